//! Lesson 05's `testing_concurrency`: four ways to test concurrent code, each
//! run here on a small bug, with what it catches and what it misses.
use crate::ordering::{Verdict, check_publish};
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use tracing::info_span;

pub fn run() {
    let watch = workbook_trace::measuring::Watch::start();
    deadline();
    paused_time();
    loom_model();
    stress();
    println!("\nwhat each catches and misses:");
    for (how, catches, misses) in [
        (
            "deadline",
            "a hang, turned into a failure that says who waited",
            "wrong answers that come fast; too tight a deadline flakes on busy cores",
        ),
        (
            "paused time",
            "timing logic (timeouts, backoff, rate limits) exactly, in no real time",
            "races between threads; blocking calls; tokio code only",
        ),
        (
            "loom",
            "every interleaving and memory-model outcome of a small model",
            "anything outside the model; big models take too long",
        ),
        (
            "stress",
            "races that real hardware produces often",
            "rare ones, and bugs this CPU or compiler never shows",
        ),
    ] {
        println!(
            "  {how:<12} catches {catches}\n  {:<12} misses  {misses}",
            ""
        );
    }
    println!(
        "{}",
        workbook_trace::measuring::one_run(
            &watch.finish(),
            "the deadline is 200 ms; the paused clock's 700 ms take no real time",
        )
    );
}

/// The hang from the `debugging` demo, under a test with a deadline: the
/// code under test runs on its own thread, the test waits at most 200 ms.
fn deadline() {
    let sum_until_closed = |keep_a_sender: bool| {
        let (jobs, inbox) = mpsc::channel::<u64>();
        let (answer, result) = mpsc::channel();
        let spare = keep_a_sender.then(|| jobs.clone());
        thread::Builder::new()
            .name(format!("summer (spare sender kept: {keep_a_sender})"))
            .spawn(move || {
                let _waiting =
                    info_span!("sum", waiting_on = "the jobs channel to close").entered();
                let _ = answer.send(inbox.iter().sum::<u64>());
            })
            .expect("a thread");
        for n in 1..=3 {
            jobs.send(n).expect("the summer is alive");
        }
        drop(jobs);
        let started = Instant::now();
        let outcome = {
            let _waiting =
                info_span!("recv_timeout", waiting_on = "the answer (200 ms deadline)").entered();
            result.recv_timeout(Duration::from_millis(200))
        };
        drop(spare); // ends the hung summer after the verdict
        (outcome, started.elapsed())
    };
    let (buggy, waited) = sum_until_closed(true);
    let (fixed, took) = sum_until_closed(false);
    println!(
        "deadline    : a spare Sender kept: {} after {} ms; dropped: {:?} in {} ms",
        if buggy.is_err() {
            "FAILED, no answer (a hang, caught)"
        } else {
            "passed?"
        },
        waited.as_millis(),
        fixed,
        took.as_millis()
    );
}

/// Retries an operation that fails three times, waiting 100, 200 and 400 ms
/// between tries. Under paused time the test takes no real time and the
/// virtual clock shows the waits exactly.
fn paused_time() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a runtime");
    let real = Instant::now();
    let (tries, virtual_elapsed) = runtime.block_on(async {
        let started = tokio::time::Instant::now();
        let mut tries = 0;
        let mut backoff = Duration::from_millis(100);
        loop {
            tries += 1;
            if tries == 4 {
                break; // the fourth try succeeds
            }
            tokio::time::sleep(backoff).await; // the clock jumps: nothing else to run
            backoff *= 2;
        }
        (tries, started.elapsed())
    });
    println!(
        "paused time: {tries} tries with backoff 100/200/400 ms: {} ms on the virtual clock (exactly), {} µs of real time",
        virtual_elapsed.as_millis(),
        real.elapsed().as_micros()
    );
}

/// loom on the lost update of lesson 04 (a load, then a store) and on the
/// publish bug.
fn loom_model() {
    use loom::sync::Arc;
    use loom::sync::atomic::AtomicU64 as LoomU64;
    let lost_update = |atomic_add: bool| {
        let outcome = std::panic::catch_unwind(move || {
            loom::model(move || {
                let count = Arc::new(LoomU64::new(0));
                let other = {
                    let count = Arc::clone(&count);
                    loom::thread::spawn(move || add_one(&count, atomic_add))
                };
                add_one(&count, atomic_add);
                other.join().expect("no panic");
                assert_eq!(count.load(Relaxed), 2, "an increment was lost");
            });
        });
        outcome.is_ok()
    };
    let _work = info_span!("loom::model").entered();
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let (racy, fixed) = (lost_update(false), lost_update(true));
    std::panic::set_hook(quiet);
    let verdict = |ok: bool| if ok { "holds" } else { "BROKEN (found)" };
    println!(
        "loom       : load-then-store counter {}; fetch_add {}",
        verdict(racy),
        verdict(fixed)
    );
    let publish = |store, load| match check_publish(store, load) {
        Verdict::Holds { executions } => format!("holds in all {executions} executions"),
        Verdict::Broken { execution, .. } => format!("BROKEN in execution {execution}"),
    };
    println!(
        "loom       : Relaxed publish {}; Release/Acquire publish {}",
        publish(Relaxed, Relaxed),
        publish(Release, Acquire)
    );
}

/// One increment: atomic, or a load then a store (the lost-update bug).
fn add_one(count: &loom::sync::atomic::AtomicU64, atomic_add: bool) {
    if atomic_add {
        count.fetch_add(1, Relaxed);
    } else {
        let seen = count.load(Relaxed);
        count.store(seen + 1, Relaxed);
    }
}

/// The same two bugs run for real, many times.
fn stress() {
    const ROUNDS: u32 = 300;
    let _work = info_span!("stress runs").entered();
    let mut lost_rounds = 0;
    for _ in 0..ROUNDS {
        let count = AtomicU64::new(0);
        let start_line = std::sync::Barrier::new(2);
        thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    start_line.wait(); // start together, or they may never overlap
                    for _ in 0..10_000 {
                        let seen = count.load(Relaxed);
                        count.store(seen + 1, Relaxed);
                    }
                });
            }
        });
        if count.into_inner() != 20_000 {
            lost_rounds += 1;
        }
    }
    let mut stale_rounds = 0;
    for _ in 0..ROUNDS {
        let (data, ready) = (AtomicU64::new(0), AtomicBool::new(false));
        let saw_stale = thread::scope(|s| {
            let reader = s.spawn(|| {
                while !ready.load(Relaxed) {
                    std::hint::spin_loop();
                }
                data.load(Relaxed) != 42
            });
            data.store(42, Relaxed);
            ready.store(true, Relaxed);
            reader.join().expect("no panic")
        });
        if saw_stale {
            stale_rounds += 1;
        }
    }
    println!(
        "stress     : load-then-store counter lost updates in {lost_rounds} of {ROUNDS} runs; Relaxed publish went wrong in {stale_rounds} of {ROUNDS} runs on this {} CPU",
        std::env::consts::ARCH
    );
}
