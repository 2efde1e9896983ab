//! What each demo of lessons 04 and 05 must print to have made its point.
//! Bounds follow from the work (sleeps that cannot overlap, counts that must
//! add up), never from how fast a busy machine happens to be. A figure
//! measured under the policy (several runs, median and spread) must be the
//! one its printed runs give.
use crate::support::figures::{
    assert_conditions_printed, assert_ratio, assert_summarizes, figure, figure_in, number_after,
    per_run, slack,
};

/// Every number after `prefix`, one per line that holds it.
fn numbers_after(text: &str, prefix: &str) -> Vec<f64> {
    text.lines()
        .filter(|l| l.contains(prefix))
        .map(|l| number_after(l, prefix))
        .collect()
}

/// The list of numbers in `[a, b, c]` after `prefix`.
fn list_after(text: &str, prefix: &str) -> Vec<u64> {
    let rest = text
        .split_once(prefix)
        .unwrap_or_else(|| panic!("no {prefix:?} in:\n{text}"))
        .1;
    let inside = rest
        .split_once('[')
        .and_then(|(_, r)| r.split_once(']'))
        .expect("a [list]")
        .0;
    inside
        .split(", ")
        .map(|n| n.parse().expect("a number"))
        .collect()
}

/// Demos whose times are one run each: they end by saying what the times
/// show and how busy the machine was (and a caution in words when busy).
const ONE_RUN: [&str; 15] = [
    "mutex_guard",
    "semaphore",
    "condvar_event",
    "park_flag_barrier",
    "sync_channel",
    "deadlock",
    "starvation",
    "spin_lock",
    "rwlock",
    "which_primitive",
    "producer_consumer",
    "async_worker_pool",
    "hybrid",
    "graceful_shutdown",
    "testing_concurrency",
];

fn one_run_says_how_busy(demo: &str, out: &str) {
    if ONE_RUN.contains(&demo) {
        assert!(out.contains("; one run, load average"), "{demo}:\n{out}");
        assert_conditions_printed(out);
    }
}

pub fn lesson_04(demo: &str, out: &str) {
    one_run_says_how_busy(demo, out);
    match demo {
        "mutex_guard" => {
            // 16 sleeps of 15 ms under one lock cannot overlap.
            let held = number_after(out, "held through the work : 16 results in");
            let short = number_after(out, "held only to push     : 16 results in");
            assert!(held >= 240.0 && short < held, "{out}");
        }
        "semaphore" => assert_eq!(out.matches("at most 2 inside at once").count(), 2, "{out}"),
        "condvar_event" => {
            for cook in 1..=3 {
                let started = out
                    .lines()
                    .find(|l| l.starts_with(&format!("cook-{cook} ")))
                    .map(|l| number_after(l, "starts baking at"))
                    .expect("cook line");
                assert!(
                    started >= 80.0,
                    "cook-{cook} did not wait for the oven:\n{out}"
                );
            }
        }
        "park_flag_barrier" => {
            assert!(
                number_after(out, "the parked thread woke at") >= 30.0,
                "{out}"
            );
            let arrived = numbers_after(out, "arrived at");
            let left = numbers_after(out, "left at");
            let last = arrived.iter().copied().fold(0.0, f64::max);
            assert_eq!(left.len(), 3, "{out}");
            assert!(
                left.iter().all(|l| *l >= last),
                "nobody leaves before the last arrives:\n{out}"
            );
        }
        "sync_channel" => {
            assert!(
                out.contains("consumer got 8 items, then recv() returned Err"),
                "{out}"
            );
            // 8 items at 15 ms each through a queue of 2: the producers must wait.
            assert!(number_after(out, "producers spent") > 20.0, "{out}");
        }
        "lost_update" => {
            let lost = numbers_after(out, ", lost ");
            assert_eq!(lost.len(), 3, "{out}");
            assert!(
                lost[0] + lost[1] > 0.0,
                "load-then-store lost nothing twice:\n{out}"
            );
            assert!(
                out.contains("fetch_add     : expected 8000000, got 8000000, lost 0"),
                "{out}"
            );
            assert!(
                out.contains("under one guard: 6 buyers × 30 from 100 → 3 paid, balance 10"),
                "{out}"
            );
            let paid = number_after(
                out,
                "check, unlock, then act      : 6 buyers × 30 from 100 →",
            );
            assert!(paid > 3.0, "check-then-act did not overdraw:\n{out}");
        }
        "deadlock" => assert!(
            out.contains("deadlock detected") && out.contains("no deadlock"),
            "{out}"
        ),
        "starvation" => {
            assert!(number_after(out, "polite failed") > 0.0, "{out}");
            // The ticket lock serves polite after at most greedy's current turn,
            // long before greedy's 200 ms are up.
            let fair = out
                .lines()
                .find(|l| l.starts_with("ticket lock"))
                .expect("ticket line");
            assert!(number_after(fair, "polite waited") < 100.0, "{out}");
        }
        "spin_lock" => {
            // Every waiter waits out the holder's 300 ms sleep (timed from
            // when the holder has the lock), spinning or blocked.
            for kind in ["spin lock", "std Mutex"] {
                let waits = numbers_after(out, &format!("{kind}: waiter-"));
                assert_eq!(waits.len(), 2, "{out}");
                for line in out
                    .lines()
                    .filter(|l| l.starts_with(kind) && l.contains("waited"))
                {
                    assert!(number_after(line, "waited") >= 250.0, "{line}\n{out}");
                }
            }
            assert!(number_after(out, "the waiters tried") > 0.0, "{out}");
            // A blocked waiter sleeps in the kernel: next to no CPU of its own.
            for line in out.lines().filter(|l| l.starts_with("std Mutex: waiter")) {
                assert!(number_after(line, "on a core for") < 50.0, "{line}\n{out}");
            }
        }
        "rwlock" => {
            assert!(out.contains("config is now v2"), "{out}");
            // Nine 20 ms reads one at a time would take 180 ms before the write.
            assert!(
                number_after(out, "1 write of 10 ms in") < 190.0,
                "reads overlap:\n{out}"
            );
        }
        "once_and_poison" => {
            for fact in [
                "computed 1 time(s)",
                "ledger.lock() now returns Err",
                "[10, 20, 30, 40] (with the half-done push)",
                "after clear_poison(), lock() is Ok: true",
            ] {
                assert!(out.contains(fact), "{fact}:\n{out}");
            }
        }
        "atomics" => {
            assert!(out.contains("every run counted to 1000000: true"), "{out}");
            let kinds = ["atomic Relaxed", "atomic SeqCst", "Mutex<u64>"];
            let runs: Vec<Vec<f64>> = kinds
                .iter()
                .map(|k| per_run(out, "round:", &format!("{k} ")))
                .collect();
            for (kind, values) in kinds.iter().zip(&runs) {
                let printed = figure_in(out, kind, ": ");
                assert_summarizes(printed, values, 0.051, out);
            }
            let seq_cst = figure(out, "SeqCst / Relaxed:");
            assert_ratio(seq_cst, &runs[1], &runs[0], 0.005, out);
            let mutex = figure(out, "Mutex / Relaxed :");
            assert_ratio(mutex, &runs[2], &runs[0], 0.005, out);
            assert_conditions_printed(out);
            assert!(out.contains("data=42"), "{out}");
        }
        "memory_ordering" => {
            assert!(
                out.contains("ready.load(Relaxed): BROKEN"),
                "loom missed the bug:\n{out}"
            );
            assert!(out.contains("ready.load(Acquire): holds in all"), "{out}");
        }
        "compare_and_swap" => {
            assert!(out.contains("sold 200000 (never more)"), "{out}");
            assert_eq!(
                list_after(out, "per buyer").iter().sum::<u64>(),
                200_000,
                "{out}"
            );
            assert!(
                out.contains("last ticket Ok(199999), after sold out Err(200000)"),
                "{out}"
            );
        }
        "false_sharing" => {
            let close = per_run(out, "round ", "same line ");
            let apart = per_run(out, "round ", "padded ");
            assert_summarizes(figure(out, "(one cache line):"), &close, 0.051, out);
            assert_summarizes(figure(out, "(padded):"), &apart, 0.051, out);
            let cost = figure(out, "false sharing cost:");
            assert_ratio(cost, &close, &apart, 0.005, out);
            assert_conditions_printed(out);
        }
        "which_primitive" => {
            assert!(out.contains("exclusive access"), "{out}");
            // Three 15 ms holds of one tokio Mutex across .await cannot overlap.
            let took = out
                .lines()
                .find(|l| l.starts_with("tokio Mutex held across .await"))
                .map(|l| number_after(l.split_once("], ").expect("time").1, ""))
                .expect("tokio line");
            assert!(took >= 45.0, "{out}");
        }
        other => panic!("no facts for lesson 04 demo {other}"),
    }
}

pub fn lesson_05(demo: &str, out: &str) {
    one_run_says_how_busy(demo, out);
    match demo {
        "producer_consumer" => {
            for handled in out.lines().filter(|l| l.starts_with("queue of")) {
                let per: u64 = list_after(handled, "consumers handled").iter().sum();
                assert_eq!(per, 24, "{out}");
            }
            let small = out
                .lines()
                .find(|l| l.starts_with("queue of   4"))
                .expect("small");
            let big = out
                .lines()
                .find(|l| l.starts_with("queue of 100"))
                .expect("big");
            assert!(
                number_after(small, "producer blocked") > 0.0,
                "backpressure:\n{out}"
            );
            assert!(
                number_after(big, "at most") > 4.0,
                "the backlog piles up:\n{out}"
            );
        }
        "async_worker_pool" => {
            assert!(out.contains("batch of 12 answers"), "{out}");
            assert_eq!(
                list_after(out, "jobs per worker").iter().sum::<u64>(),
                12,
                "{out}"
            );
        }
        "hybrid" => {
            assert!(out.contains("result threads: sum 23999997"), "{out}");
            assert!(out.contains("result async: 20 requests"), "{out}");
            assert!(
                out.contains("both children finished and were reaped"),
                "{out}"
            );
        }
        "cpu_and_io" => {
            assert!(
                out.contains("4 progress messages from the pool each run"),
                "{out}"
            );
            // Each round: "on rayon T ms, heartbeat L ms late; inline T ms, heartbeat L ms late".
            let (mut offloaded, mut inline) = (Vec::new(), Vec::new());
            for line in out.lines().filter(|l| l.trim_start().starts_with("round ")) {
                let (rayon, blocking) = line.split_once("; inline").expect("two ways a round");
                offloaded.push(number_after(rayon, "heartbeat"));
                inline.push(number_after(blocking, "heartbeat"));
            }
            let late = |how| figure_in(out, how, "heartbeat at most");
            // Rounds are printed to 0.1 ms, the medians to 1 ms.
            assert_summarizes(late("CPU on rayon"), &offloaded, 0.51, out);
            assert_summarizes(late("CPU inline"), &inline, 0.51, out);
            // Inline, both tokio workers crunch 60 ms at a time: the heartbeat waits.
            assert!(late("CPU inline").median >= 50.0, "{out}");
            assert_conditions_printed(out);
        }
        "graceful_shutdown" => {
            assert_eq!(out.matches("stopped cleanly").count(), 3, "{out}");
            for fact in [
                "failed on its own",
                "aborted: it ignored the token",
                "none left running",
            ] {
                assert!(out.contains(fact), "{fact}:\n{out}");
            }
        }
        "debugging" => {
            for fact in [
                "HANG: no total after 300 ms",
                "after drop(jobs): total 55",
                "timeout: no reply",
            ] {
                assert!(out.contains(fact), "{fact}:\n{out}");
            }
        }
        "testing_concurrency" => {
            for fact in [
                "a spare Sender kept: FAILED, no answer",
                "dropped: Ok(6)",
                "700 ms on the virtual clock",
                "load-then-store counter BROKEN (found); fetch_add holds",
                "Relaxed publish BROKEN",
                "Release/Acquire publish holds",
                "Relaxed publish went wrong in",
            ] {
                assert!(out.contains(fact), "{fact}:\n{out}");
            }
        }
        "pipeline" => {
            let one = per_run(out, "round ", "1 transform thread ");
            let two = per_run(out, "round ", "2 transform threads ");
            let records = number_after(out, "1 transform thread(s):");
            let rate = |ms: &[f64]| -> Vec<f64> { ms.iter().map(|t| records / t * 1e3).collect() };
            let printed = |n| figure(out, &format!("{n} transform thread(s): {records} records,"));
            // Rounds are printed to 0.1 ms, rates to 1 record/s.
            for (n, ms) in [(1, &one), (2, &two)] {
                let rates = rate(ms);
                let tolerance = 0.51 + slack(&rates, &[ms], 0.05);
                assert_summarizes(printed(n), &rates, tolerance, out);
            }
            let gain = figure(out, "a second transform thread:");
            assert_ratio(gain, &one, &two, 0.05, out);
            assert_conditions_printed(out);
            // transform spins 2 ms of wall time per record: two threads nearly
            // halve it, unless other programs took the cores the other stages
            // needed, which the demo must then say rather than blame the pipeline.
            if gain.max > 2.0 {
                assert!(out.contains("is not the second thread's doing"), "{out}");
            }
            assert!(
                gain.median > 1.0 || out.contains("Noisy: "),
                "two transform threads are faster (or the demo says the machine was busy):\n{out}"
            );
            let transform_lines: Vec<u64> = out
                .lines()
                .filter(|l| l.trim_start().starts_with("transform-"))
                .map(|l| {
                    l.split_whitespace()
                        .nth(1)
                        .expect("a count")
                        .parse()
                        .expect("a number")
                })
                .collect();
            // Every round: all records by one thread, then shared by two.
            let all = records as u64 * gain.runs.expect("figure() reads a run count") as u64;
            assert_eq!(transform_lines.len(), 3, "{out}");
            assert_eq!(transform_lines[0], all, "{out}");
            assert_eq!(transform_lines[1] + transform_lines[2], all, "{out}");
            assert!(
                transform_lines[1] > 0 && transform_lines[2] > 0,
                "both transform threads take records from the shared queue:\n{out}"
            );
        }
        other => panic!("no facts for lesson 05 demo {other}"),
    }
}
