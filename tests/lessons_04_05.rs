//! Lessons 04 (synchronization) and 05 (advanced patterns) as binaries: every
//! demo ends by itself with exit 0 within a bound and prints the fact that
//! proves its point (checked per demo in `facts.rs` beside this file),
//! `--list` matches the demo headings of the notes, and the deadlock demo
//! catches its deadlock, says who waits on whom, and ends by itself.
#[path = "lessons_04_05/facts.rs"]
mod facts;
mod support;

use std::time::{Duration, Instant};
use support::{listed_demos, run_with_timeout};

fn lesson_04() -> &'static str {
    support::lesson("04_synchronization")
}
fn lesson_05() -> &'static str {
    support::lesson("05_advanced_concurrency")
}

/// Runs each demo on its own; each must exit 0 within `limit`, print its
/// header with the ids its notes heading names, and pass `facts`.
fn every_demo_ends_by_itself(lesson: &str, exe: &str, limit: Duration, facts: fn(&str, &str)) {
    let notes = workbook::catalog::find(lesson).expect("lesson in the catalog");
    for demo in listed_demos(exe) {
        let output = run_with_timeout(exe, &["--demo", &demo], limit);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{exe} --demo {demo} failed: {}\nstdout:\n{stdout}\nstderr:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        let covers = &notes
            .demos
            .iter()
            .find(|d| d.name == demo)
            .expect("demo in the notes")
            .covers;
        assert!(
            stdout.contains(&format!("── {demo} · {covers} ──")),
            "{demo}: the ids in the code differ from the notes heading ({covers}):\n{stdout}"
        );
        facts(&demo, &stdout);
    }
}

#[test]
fn every_lesson_04_demo_ends_by_itself_and_shows_its_facts() {
    every_demo_ends_by_itself("04", lesson_04(), Duration::from_secs(30), facts::lesson_04);
}

#[test]
fn every_lesson_05_demo_ends_by_itself_and_shows_its_facts() {
    every_demo_ends_by_itself("05", lesson_05(), Duration::from_secs(30), facts::lesson_05);
}

#[test]
fn the_deadlock_is_caught_named_and_ended_within_10_s() {
    let started = Instant::now();
    let output = run_with_timeout(
        lesson_04(),
        &["--demo", "deadlock"],
        Duration::from_secs(10),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "deadlock demo failed: {}\n{stdout}",
        output.status
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        stdout.contains("deadlock detected"),
        "no deadlock reported:\n{stdout}"
    );
    assert!(
        stdout.contains("thread-a holds lock A and waits on lock B")
            && stdout.contains("thread-b holds lock B and waits on lock A"),
        "the report does not say who waits on whom:\n{stdout}"
    );
    assert!(
        stdout.contains("no deadlock"),
        "the lock-ordering fix did not run:\n{stdout}"
    );
}

#[test]
fn the_deadlock_trace_shows_two_lanes_waiting_on_each_other() {
    let trace = support::trace(
        "04_synchronization",
        Some("deadlock"),
        Duration::from_secs(60),
    );
    let waits = support::waiting_slices(&trace);
    // (pid, tid, start µs, end µs, waiting_on) of waits longer than 50 ms.
    let long = |lock: &str| -> Vec<_> {
        waits
            .iter()
            .filter(|w| w.4 == lock && w.3 - w.2 >= 50_000.0)
            .cloned()
            .collect()
    };
    let (on_b, on_a) = (long("lock B"), long("lock A"));
    let pair = on_b.iter().find_map(|b| {
        on_a.iter().find_map(|a| {
            let overlap = b.3.min(a.3) - b.2.max(a.2);
            ((b.0, b.1) != (a.0, a.1) && overlap > 0.0).then_some(overlap)
        })
    });
    let overlap = pair.unwrap_or_else(|| {
        panic!("no two lanes wait on lock A and lock B at the same time; waits: {waits:?}")
    });
    // The watchdog reports a cycle only after it has lasted 300 ms.
    assert!(
        overlap >= 250_000.0,
        "the waits overlap for only {overlap} µs"
    );
    assert!(
        support::thread_names(&trace)
            .iter()
            .any(|n| n == "watchdog"),
        "no watchdog lane"
    );
}

#[test]
fn the_hybrid_trace_shows_worker_processes_with_a_pool_and_tasks() {
    let trace = support::trace(
        "05_advanced_concurrency",
        Some("hybrid"),
        Duration::from_secs(60),
    );
    let processes = support::process_names(&trace);
    for kind in ["worker threads", "worker async"] {
        assert!(
            processes.iter().any(|p| p.contains(kind)),
            "no `{kind}` process in {processes:?}"
        );
    }
    let threads = support::thread_names(&trace);
    assert!(
        threads.iter().any(|t| t == "pool-0"),
        "no pool thread in {threads:?}"
    );
    assert!(
        threads.iter().filter(|t| t.contains("request")).count() >= 10,
        "too few request tasks in {threads:?}"
    );
}

#[test]
fn the_producer_waits_on_a_full_queue() {
    let trace = support::trace(
        "05_advanced_concurrency",
        Some("producer_consumer"),
        Duration::from_secs(60),
    );
    let full: f64 = support::waiting_slices(&trace)
        .iter()
        .filter(|w| w.4 == "queue full")
        .map(|w| w.3 - w.2)
        .sum();
    // 24 items: producing takes 48 ms, consuming 160 ms; with a queue of 4 the
    // producer must spend tens of ms blocked in send (about 100 ms quiet).
    assert!(
        full >= 10_000.0,
        "the producer waited only {full} µs on a full queue"
    );
}
