//! # Lesson 01 · Threading basics
//!
//! A thread is an independent path of execution inside one process: it has
//! its own stack and shares everything else (the heap, globals, open files)
//! with the other threads. Python's `threading` module gives you the same OS
//! threads, but the standard Python interpreter's global lock (the GIL) lets
//! only one of them run Python code at a time. Rust has no such lock: two
//! threads on two cores run at the same time, and the compiler, not the
//! programmer's care, stops them from racing on shared data.
//!
//! Run one demo with `--demo NAME`, list them with `--list`, or run them all.
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};
use tracing::{info, info_span};
use workbook_trace::lesson::Demo;
use workbook_trace::measuring::{beyond_cores, measured_at, one_run};

#[path = "01_threading_basics/helpers.rs"]
mod helpers;
#[path = "01_threading_basics/refused.rs"]
mod refused;
#[path = "01_threading_basics/send_sync.rs"]
mod send_sync;
use helpers::{
    collatz_steps, cores, cpu_time, fmt_ms, payload_text, run_child_with_deadline, steps_total,
};

/// The hidden mode of `forgotten_join`: the lesson runs a copy of itself with
/// this flag, so the process that ends early is not the one teaching you.
const FORGOTTEN_JOIN_CHILD: &str = "--forgotten-join-child";

fn main() -> std::process::ExitCode {
    let _recording = workbook_trace::record::init();
    if std::env::args().nth(1).as_deref() == Some(FORGOTTEN_JOIN_CHILD) {
        forgotten_join_child();
        return std::process::ExitCode::SUCCESS;
    }
    workbook_trace::lesson::run_demos("01_threading_basics", DEMOS)
}

#[rustfmt::skip]
const DEMOS: &[Demo] = &[
    Demo { name: "spawn_join", covers: "T1", run: spawn_join },
    Demo { name: "named_threads", covers: "T2", run: named_threads },
    Demo { name: "scoped", covers: "T3", run: scoped },
    Demo { name: "pool_order", covers: "T4", run: pool_order },
    Demo { name: "shared_counter", covers: "T5", run: shared_counter },
    Demo { name: "send_sync", covers: "T5", run: send_sync },
    Demo { name: "cpu_bound", covers: "T6, C1", run: cpu_bound },
    Demo { name: "io_bound", covers: "T7, C1", run: io_bound },
    Demo { name: "forgotten_join", covers: "T8", run: forgotten_join },
    Demo { name: "panic_in_thread", covers: "T9, C3", run: panic_in_thread },
    Demo { name: "too_many_threads", covers: "T10, C3", run: too_many_threads },
];

// ── spawn_join ──
// `thread::spawn` takes a closure; `move` hands the closure its arguments
// (here `start`), so the thread owns them. The closure's return value comes
// back through `join`, which Python's `threading.Thread` cannot do.
// Timeline: three unnamed thread lanes (labelled by id) running `worker`,
// and the main thread waiting on each `join` in turn.
fn spawn_join() {
    let starts = [1_u64, 100_001, 200_001];
    let handles: Vec<thread::JoinHandle<u64>> = starts
        .into_iter()
        .map(|start| {
            thread::spawn(move || {
                let _work = info_span!("worker", start).entered();
                steps_total(start..start + 30_000, 1)
            })
        })
        .collect();
    for (start, handle) in starts.into_iter().zip(handles) {
        let waiting = info_span!("join", waiting_on = "worker thread").entered();
        let steps = handle.join().expect("the worker does not panic");
        drop(waiting);
        info!(start, steps, "joined");
        println!("thread for {start}..: {steps} Collatz steps, returned through join");
    }
}

// ── named_threads ──
// `thread::Builder` names a thread; the name shows in panic messages, in
// debuggers, in `top -H`, and here as lane labels. `thread::current()` gives
// any code its own thread's name, the way `%(threadName)s` does in Python's
// logging. `Builder::spawn` returns a `Result`: the OS may refuse a thread.
// Timeline: four lanes `downloader-1..4`, each waiting on simulated downloads.
fn named_threads() {
    let handles: Vec<_> = (1..=4)
        .map(|i| {
            thread::Builder::new()
                .name(format!("downloader-{i}"))
                .spawn(move || {
                    for part in 1..=2 {
                        let waiting = info_span!("download", part, waiting_on = "network (sleep)");
                        waiting.in_scope(|| thread::sleep(Duration::from_millis(20 * i)));
                        log(&format!("got part {part}"));
                    }
                })
                .expect("the OS gave us a thread")
        })
        .collect();
    log("started four named threads");
    for handle in handles {
        let _waiting = info_span!("join", waiting_on = "downloader").entered();
        handle.join().expect("downloaders do not panic");
    }
}

/// A log line that says which thread wrote it.
fn log(message: &str) {
    let me = thread::current();
    println!("[{:<12}] {message}", me.name().unwrap_or("unnamed"));
    info!(message, "log");
}

// ── scoped ──
// `thread::scope` guarantees every thread spawned in it is joined before the
// scope returns, so those threads may borrow local data: `&numbers` for all
// of them, and one `&mut` slot each. With plain `thread::spawn` the data must
// be `'static`: moved in, or shared through an `Arc` clone per thread.
// Timeline: `scoped-0..3` working on their chunk while main waits in the
// scope; then `arc-0..3` doing the same through an `Arc`.
fn scoped() {
    let numbers: Vec<u64> = (1..=200_000).collect();
    let mut totals = [0_u64; 4];
    let chunk_len = numbers.len().div_ceil(totals.len());
    {
        let _waiting = info_span!("thread::scope", waiting_on = "scoped threads").entered();
        thread::scope(|scope| {
            for (i, (chunk, total)) in numbers.chunks(chunk_len).zip(&mut totals).enumerate() {
                thread::Builder::new()
                    .name(format!("scoped-{i}"))
                    .spawn_scoped(scope, move || {
                        let _work = info_span!("borrowed chunk", len = chunk.len()).entered();
                        *total = chunk.iter().copied().map(collatz_steps).sum();
                    })
                    .expect("the OS gave us a thread");
            }
        }); // every scoped thread is joined here
    }
    let total: u64 = totals.iter().sum();
    println!("scoped: {total} Collatz steps; the threads borrowed `numbers` and wrote `totals`");
    println!(
        "        `numbers` is still ours ({} items), nothing cloned",
        numbers.len()
    );

    // The same with `thread::spawn`: share through `Arc`, results via `join`.
    let shared = Arc::new(numbers);
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name(format!("arc-{i}"))
                .spawn(move || {
                    let _work = info_span!("chunk of the Arc", i).entered();
                    let chunk = shared.chunks(chunk_len).nth(i).unwrap_or_default();
                    chunk.iter().copied().map(collatz_steps).sum::<u64>()
                })
                .expect("the OS gave us a thread")
        })
        .collect();
    let arc_total: u64 = {
        let _waiting = info_span!("join", waiting_on = "arc threads").entered();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .sum()
    };
    println!("Arc:    {arc_total} Collatz steps, with an Arc clone moved into each thread");
}

// ── pool_order ──
// A pool reuses a few threads for many jobs. rayon's `par_iter().map()`
// returns results in input order, like `ThreadPoolExecutor.map`; sending each
// result down a channel as it finishes gives completion order, like
// `as_completed`. The jobs sleep for different times so the orders differ.
// Timeline: three `pool-N` lanes taking jobs; main waiting on the pool, then
// on `recv` once per result.
fn pool_order() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .thread_name(|i| format!("pool-{i}"))
        .build()
        .expect("the OS gave us threads");
    let job_ms: [u64; 6] = [90, 20, 60, 10, 50, 30];

    let watch = workbook_trace::measuring::Watch::start();
    let started = Instant::now();
    let in_order: Vec<(usize, Duration)> = {
        let _waiting = info_span!("par_iter", waiting_on = "pool").entered();
        pool.install(|| {
            let jobs = job_ms.par_iter().enumerate();
            jobs.map(|(i, &ms)| slow_job(i, ms, started)).collect()
        })
    };
    println!("par_iter().map() results, in input order:");
    for (i, done) in &in_order {
        println!(
            "  job {i} ({:>2} ms of work) finished at {}",
            job_ms[*i],
            fmt_ms(*done)
        );
    }

    let started = Instant::now();
    let (results, finished) = mpsc::channel();
    for (i, ms) in job_ms.into_iter().enumerate() {
        let results = results.clone();
        pool.spawn(move || {
            let _ = results.send(slow_job(i, ms, started));
        });
    }
    drop(results); // when every job has dropped its sender, `recv` says so
    println!("channel results, in completion order:");
    loop {
        let waiting = info_span!("recv", waiting_on = "next result").entered();
        let next = finished.recv_timeout(Duration::from_secs(5));
        drop(waiting);
        match next {
            Ok((i, done)) => {
                info!(job = i, "result");
                println!(
                    "  job {i} ({:>2} ms of work) finished at {}",
                    job_ms[i],
                    fmt_ms(done)
                );
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                println!("  no result within 5 s; giving up");
                break;
            }
        }
    }
    println!(
        "{}",
        one_run(&watch.finish(), "the times show the shape, not a speed")
    );
}

/// A job that takes `ms` milliseconds; returns its index and when it finished.
fn slow_job(i: usize, ms: u64, started: Instant) -> (usize, Duration) {
    let _waiting = info_span!("job", i, waiting_on = "slow work (sleep)").entered();
    thread::sleep(Duration::from_millis(ms));
    (i, started.elapsed())
}

// ── shared_counter ──
// Four threads adding to one counter. The obvious code does not compile:
//
//     let mut count = 0;
//     thread::scope(|s| {
//         for _ in 0..4 {
//             s.spawn(|| count += 1);
//         }
//     });
//
//   error[E0499]: cannot borrow `count` as mutable more than once at a time
//     |
//   6 |             s.spawn(|| count += 1);
//     |             --------^^------------
//     |             |       |  |
//     |             |       |  borrows occur due to use of `count` in closure
//     |             |       `count` was mutably borrowed here in the previous iteration of the loop
//     |             argument requires that `count` is borrowed for `'1`
//
// and sharing an `Rc<RefCell<i32>>` instead fails with
//   error[E0277]: `Rc<RefCell<i32>>` cannot be sent between threads safely
//
// (Both quotes are checked against the compiler by lessons/tests/send_sync.rs, from
// 01_threading_basics/send_sync.md; the `send_sync` demo shows more.)
//
// (`Rc` is not `Send`, `RefCell` is not `Sync`.) What compiles is sharing that
// is safe: a `Mutex` (one thread at a time, inside an `Arc` so every thread
// owns a handle) or an atomic integer (one indivisible instruction per add;
// `Relaxed` because only the count matters here, see lesson 04 for orderings).
// Timeline: `mutex-0..3` then `atomic-0..3`; the atomic ones finish sooner.
fn shared_counter() {
    const THREADS: usize = 4;
    const ADDS: u64 = 250_000;
    const EXPECTED: u64 = THREADS as u64 * ADDS;

    // Each round counts both ways, taking turns, so the times compare like
    // with like; each count must come out exact every round.
    let watch = workbook_trace::measuring::Watch::start();
    let (mut with_mutex, mut with_atomic) = (Vec::new(), Vec::new());
    let mut totals = Vec::new();
    for _ in 0..workbook_trace::measuring::RUNS {
        let (took, total) = workbook_trace::measuring::timed(|| count_with_mutex(THREADS, ADDS));
        with_mutex.push(took);
        totals.push(total);
        let (took, total) = workbook_trace::measuring::timed(|| count_with_atomic(THREADS, ADDS));
        with_atomic.push(took);
        totals.push(total);
    }
    let conditions = watch.finish();
    let summary = workbook_trace::measuring::Summary::of;
    let (Some(mutex), Some(atomic), Some(ratio)) = (
        summary(&with_mutex),
        summary(&with_atomic),
        workbook_trace::measuring::Summary::of_ratios(&with_mutex, &with_atomic),
    ) else {
        return;
    };
    // Every run's count, not only the last: a lost add in any run shows.
    let counted = |way: usize| {
        let runs: Vec<u64> = totals.iter().skip(way).step_by(2).copied().collect();
        if runs.iter().all(|&t| t == EXPECTED) {
            format!(
                "{EXPECTED} (expected {EXPECTED}) in each of {} runs",
                runs.len()
            )
        } else {
            format!("{runs:?} (expected {EXPECTED} each run)")
        }
    };
    println!(
        "Arc<Mutex<u64>>: {}, took {}",
        counted(0),
        mutex.scaled(1e3).figure(1, " ms")
    );
    println!(
        "AtomicU64:       {}, took {}",
        counted(1),
        atomic.scaled(1e3).figure(1, " ms")
    );
    println!(
        "the mutex took {} as long as the atomic",
        ratio.figure(1, "×")
    );
    println!("{}", measured_at(&conditions, &[&ratio]));
}

/// `threads` threads each add 1 to one `Arc<Mutex<u64>>` `adds` times.
fn count_with_mutex(threads: usize, adds: u64) -> u64 {
    let counter = Arc::new(Mutex::new(0_u64));
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let counter = Arc::clone(&counter);
            spawn_named(format!("mutex-{i}"), move || {
                let _work = info_span!("add under lock", adds).entered();
                for _ in 0..adds {
                    *counter.lock().expect("no thread panicked holding it") += 1;
                }
            })
        })
        .collect();
    join_all(handles);
    let total = *counter.lock().expect("not poisoned");
    info!(total, "mutex counter");
    total
}

/// The same with one `AtomicU64` and `fetch_add`.
fn count_with_atomic(threads: usize, adds: u64) -> u64 {
    let counter = Arc::new(AtomicU64::new(0));
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let counter = Arc::clone(&counter);
            spawn_named(format!("atomic-{i}"), move || {
                let _work = info_span!("fetch_add", adds).entered();
                for _ in 0..adds {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    join_all(handles);
    let total = counter.load(Ordering::Relaxed);
    info!(total, "atomic counter");
    total
}

fn spawn_named(name: String, work: impl FnOnce() + Send + 'static) -> thread::JoinHandle<()> {
    thread::Builder::new()
        .name(name)
        .spawn(work)
        .expect("the OS gave us a thread")
}

fn join_all(handles: Vec<thread::JoinHandle<()>>) {
    let _waiting = info_span!("join", waiting_on = "workers").entered();
    for handle in handles {
        handle.join().expect("workers do not panic");
    }
}

// ── send_sync ──
// Which types may cross threads, and why. `Send`: a value may move to
// another thread; `Sync`: a `&` to it may be shared. The compiler derives
// both from a type's fields, and `spawn` demands them. The demo runs what is
// allowed (an `Arc<Mutex<_>>` shared by three threads; a `Cell` moved into
// one thread, which is fine because only that thread can reach it; a tokio
// task that drops its `Rc` before `.await`, and a `LocalSet` task that may
// keep one), then prints what is refused, each with the compiler's error:
// `Rc`, `RefCell` behind an `Arc`, a shared `Cell`, a raw pointer, a
// `MutexGuard`, and a `!Send` value or std guard held across `.await` in
// `tokio::spawn`. The examples live in `01_threading_basics/send_sync.md`
// and lessons/tests/send_sync.rs compiles each, so the quoted errors stay true.
// Timeline: `arc-mutex-0..2` each push once while main waits on them;
// `owns-a-cell` counts alone; then the `send task` and `local task` lanes
// wait on their 20 ms timers.
fn send_sync() {
    send_sync::run();
}

// ── cpu_bound ──
// The same CPU work (total Collatz steps of 1..=LIMIT) on one thread, then
// split over one thread per core. In CPython the threaded run would take as
// long as the single one, because the GIL lets one thread run Python code at
// a time; Python reaches for processes instead. Rust threads run in parallel.
// Timeline: main busy alone, then `cpu-0..N` busy side by side (parallelism)
// while main waits on the joins.
fn cpu_bound() {
    // Five rounds, each the job on one thread and then on all of them, taking
    // turns so a burst of other load hits both alike; the speedup printed is
    // the median round's, with the spread beside it and the machine's load.
    // Alone, main runs the very shares the threads run, one after another:
    // the same numbers through the same code, so only the parallelism differs.
    const LIMIT: u64 = 500_000;
    const ROUNDS: usize = workbook_trace::measuring::RUNS;
    let n = cores();
    let share = move |i: usize| steps_total(i as u64 + 1..LIMIT + 1, n);
    let watch = workbook_trace::measuring::Watch::start();
    let (mut alone_s, mut together_s) = (Vec::new(), Vec::new());
    for round in 1..=ROUNDS {
        let started = Instant::now();
        let alone: u64 = {
            let _work = info_span!("all the work", threads = 1, round).entered();
            (0..n).map(share).sum()
        };
        let one_thread = started.elapsed();

        let started = Instant::now();
        let handles: Vec<_> = (0..n)
            .map(|i| {
                // Interleaved shares (i+1, i+1+n, ...) keep the threads' work even.
                thread::Builder::new()
                    .name(format!("cpu-{i}"))
                    .spawn(move || {
                        let _work = info_span!("share of the work", share = i).entered();
                        share(i)
                    })
                    .expect("the OS gave us a thread")
            })
            .collect();
        let together: u64 = {
            let _waiting = info_span!("join", waiting_on = "cpu workers").entered();
            handles
                .into_iter()
                .map(|h| h.join().expect("no panic"))
                .sum()
        };
        let n_threads = started.elapsed();
        assert_eq!(alone, together, "both ways compute the same answer");
        println!(
            "round {round}: 1 thread {:>8}, {n} threads {:>8}  (total steps {together})",
            fmt_ms(one_thread),
            fmt_ms(n_threads)
        );
        alone_s.push(one_thread.as_secs_f64());
        together_s.push(n_threads.as_secs_f64());
    }
    let conditions = watch.finish();
    let speedup = workbook_trace::measuring::Summary::of_ratios(&alone_s, &together_s)
        .expect("five rounds ran");
    info!(
        speedup = format!("{:.2}", speedup.median),
        threads = n,
        "speedup"
    );
    println!(
        "speedup: {} with {n} threads; {}",
        speedup.figure(2, "×"),
        conditions.brief()
    );
    println!("Rust has no GIL: unlike Python threads, these threads scale CPU work across cores.");
    if n == 1 {
        println!("(this machine reports one core, so there is nothing to scale onto)");
        return;
    }
    if let Some(excess) = beyond_cores(&speedup, n, &conditions) {
        println!("{excess}");
    }
    if let Some(caution) = conditions.caution(&[&speedup]) {
        // Measured, not guessed: the CPU time other programs used meanwhile.
        println!("{caution}");
    } else if speedup.median < 0.7 * n as f64 {
        println!(
            "(below {n}× on a quiet machine: the cores may be hyperthreads sharing one core's units)"
        );
    }
}

// ── io_bound ──
// Six "requests" that each wait 50 ms (a sleep standing in for the network).
// One after another they take 300 ms; on six threads the waits overlap and
// the whole batch takes about 50 ms. A waiting thread uses no CPU (the
// demo measures the process's CPU time), so this works on one core too:
// concurrency, not parallelism. Python threads do this
// just as well, since the GIL is released while a thread waits on I/O.
// Five runs of each, taking turns; the figures are their medians.
// Timeline: main waiting six times in a row, then `io-0..5` waiting
// together; five times over.
fn io_bound() {
    const REQUESTS: usize = 6;
    let request = |i: usize| {
        let _waiting = info_span!("request", i, waiting_on = "network (sleep)").entered();
        thread::sleep(Duration::from_millis(50));
    };
    let watch = workbook_trace::measuring::Watch::start();
    let (mut sequential, mut threaded, mut cpu_used) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..workbook_trace::measuring::RUNS {
        let (took, ()) = workbook_trace::measuring::timed(|| (0..REQUESTS).for_each(request));
        sequential.push(took);
        let cpu_before = cpu_time();
        let (took, ()) = workbook_trace::measuring::timed(|| {
            let handles: Vec<_> = (0..REQUESTS)
                .map(|i| spawn_named(format!("io-{i}"), move || request(i)))
                .collect();
            join_all(handles);
        });
        threaded.push(took);
        cpu_used.push(cpu_time().saturating_sub(cpu_before).as_secs_f64());
    }
    let conditions = watch.finish();
    let summary = workbook_trace::measuring::Summary::of;
    let (Some(one_by_one), Some(overlapped), Some(cpu), Some(ratio)) = (
        summary(&sequential),
        summary(&threaded),
        summary(&cpu_used),
        workbook_trace::measuring::Summary::of_ratios(&sequential, &threaded),
    ) else {
        return;
    };
    println!(
        "{REQUESTS} requests one after another: {}",
        one_by_one.scaled(1e3).figure(1, " ms")
    );
    println!(
        "{REQUESTS} requests on {REQUESTS} threads:      {}",
        overlapped.scaled(1e3).figure(1, " ms")
    );
    println!(
        "overlap made it {} faster; the whole process used {:.1} ms of CPU in a threaded run (median)",
        ratio.figure(1, "×"),
        cpu.median * 1e3
    );
    let (one_by_one, overlapped) = (one_by_one.scaled(1e3), overlapped.scaled(1e3));
    println!("{}", measured_at(&conditions, &[&one_by_one, &overlapped]));
}

// ── forgotten_join ──
// When `main` returns, the process exits, and every thread still running is
// stopped mid-step: no unwinding, no "finally". Dropping a `JoinHandle` does
// not wait (it detaches the thread). Python waits for non-daemon threads at
// exit; Rust treats every thread like a daemon thread. To show it safely the
// lesson runs a copy of itself (`forgotten_join_child`) and reads its output.
// Timeline: a second process whose `forgotten` thread stops mid-step.
fn forgotten_join() {
    println!("running a child copy of this lesson whose main does not join:");
    let waiting = info_span!("child process", waiting_on = "child to exit").entered();
    let outcome = run_child_with_deadline(&[FORGOTTEN_JOIN_CHILD], Duration::from_secs(5));
    drop(waiting);
    match outcome {
        Ok((status, output)) => {
            for line in output.lines() {
                println!("  | {line}");
            }
            let steps = output
                .lines()
                .filter(|l| l.contains("worker: step"))
                .count();
            println!("child exited ({status}); the worker printed {steps} of 5 steps");
            println!("and never its last line. The fix: keep the JoinHandle and `join` it,");
            println!("or use `thread::scope`, which joins for you.");
        }
        Err(problem) => println!("could not run the child: {problem}"),
    }
}

fn forgotten_join_child() {
    let _detached = thread::Builder::new().name("forgotten".into()).spawn(|| {
        for step in 1..=5 {
            info!(step, "step");
            println!("worker: step {step} of 5");
            let _waiting = info_span!("step", step, waiting_on = "slow step (sleep)").entered();
            thread::sleep(Duration::from_millis(100));
        }
        println!("worker: all 5 steps done");
    });
    let waiting = info_span!("main's own work", waiting_on = "sleep").entered();
    thread::sleep(Duration::from_millis(150));
    drop(waiting);
    info!("main returns");
    println!("main:   returning from main without joining");
}

// ── panic_in_thread ──
// A panic ends only the thread it happens in. Its `join` returns
// `Err(payload)`, the value given to `panic!` (a `&str` or a `String`), while
// the other threads finish normally. Rust's default panic hook prints a long
// message to stderr; this demo swaps in a one-line hook, then restores it.
// Timeline: `parser-2` ends at once with a `panic` mark; the others go on.
fn panic_in_thread() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|panic| {
        let me = thread::current();
        let message = payload_text(panic.payload());
        info!(message, "panic");
        eprintln!(
            "[panic hook] thread '{}' panicked: {message}",
            me.name().unwrap_or("?")
        );
    }));

    let inputs = ["12", "7", "oops", "30"];
    let handles: Vec<_> = inputs
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            thread::Builder::new()
                .name(format!("parser-{i}"))
                .spawn(move || {
                    let _work = info_span!("parse", text).entered();
                    let n: u64 = text.parse().expect("input is a number");
                    let _waiting = info_span!("more work", waiting_on = "sleep").entered();
                    thread::sleep(Duration::from_millis(30)); // the others go on
                    n * 2
                })
                .expect("the OS gave us a thread")
        })
        .collect();
    for (text, handle) in inputs.iter().zip(handles) {
        let waiting = info_span!("join", waiting_on = "parser").entered();
        let result = handle.join();
        drop(waiting);
        match result {
            Ok(doubled) => println!("join({text:?}) = Ok({doubled})"),
            Err(payload) => {
                info!(text, "thread panicked");
                println!(
                    "join({text:?}) = Err(payload: {:?})",
                    payload_text(&*payload)
                );
            }
        }
    }
    std::panic::set_hook(default_hook);
}

// ── too_many_threads ──
// A thread costs a system call to create, a stack (2 MiB of address space by
// default) and scheduler time. One thread per tiny job wastes most of its time
// on that; a few long-lived workers taking jobs from a shared counter (a pool;
// rayon gives you a ready-made one) spend it on the jobs.
// Five runs of each, taking turns; the figures are their medians.
// Timeline: main spawning and joining 2000 threads (not drawn: 2000 lanes), then
// `worker-0..N` busy for a much shorter time, five times over.
fn too_many_threads() {
    const JOBS: usize = 2_000;
    // Five runs of each way, taking turns; the figures are their medians.
    let watch = workbook_trace::measuring::Watch::start();
    let (mut one_each, mut pooled) = (Vec::new(), Vec::new());
    for _ in 0..workbook_trace::measuring::RUNS {
        let (took, spawned) = workbook_trace::measuring::timed(|| thread_per_job(JOBS));
        let Some(total) = spawned else { return };
        one_each.push(took);
        let n = cores();
        let (took, by_pool) = workbook_trace::measuring::timed(|| pool_of(n, JOBS));
        pooled.push(took);
        assert_eq!(total, by_pool, "same jobs, same answer");
    }
    let conditions = watch.finish();
    let summary = workbook_trace::measuring::Summary::of;
    let (Some(per_job), Some(pool), Some(ratio)) = (
        summary(&one_each),
        summary(&pooled),
        workbook_trace::measuring::Summary::of_ratios(&one_each, &pooled),
    ) else {
        return;
    };
    println!(
        "{JOBS} jobs, one thread each: {}  ({:.1} µs per thread)",
        per_job.scaled(1e3).figure(1, " ms"),
        per_job.median * 1e6 / JOBS as f64
    );
    println!(
        "{JOBS} jobs, pool of {} threads: {}",
        cores(),
        pool.scaled(1e3).figure(1, " ms")
    );
    println!("the pool was {} faster", ratio.figure(1, "×"));
    println!("{}", measured_at(&conditions, &[&ratio]));
}

/// The job `i` of `too_many_threads`: a little CPU work.
fn small_job(i: usize) -> u64 {
    steps_total(i as u64 * 20 + 1..i as u64 * 20 + 21, 1)
}

/// Every job on a thread of its own; the total, or `None` when the OS
/// refused a thread (said on stdout).
fn thread_per_job(jobs: usize) -> Option<u64> {
    // `thread::spawn` panics when the OS says no; `Builder::spawn` lets us stop.
    let mut spawned = Vec::with_capacity(jobs);
    {
        let _work = info_span!("spawn", threads = jobs).entered();
        for i in 0..jobs {
            match thread::Builder::new().spawn(move || small_job(i)) {
                Ok(handle) => spawned.push(handle),
                Err(refused) => {
                    println!("the OS refused thread number {i}: {refused}");
                    break;
                }
            }
        }
    }
    let complete = spawned.len() == jobs;
    let _waiting = info_span!("join", waiting_on = "one thread per job").entered();
    let total = spawned
        .into_iter()
        .map(|h| h.join().expect("no panic"))
        .sum();
    complete.then_some(total)
}

/// The same jobs taken from a shared counter by `n` long-lived workers.
fn pool_of(n: usize, jobs: usize) -> u64 {
    let next = Arc::new(AtomicUsize::new(0));
    let total = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..n)
        .map(|w| {
            let (next, total) = (Arc::clone(&next), Arc::clone(&total));
            spawn_named(format!("worker-{w}"), move || {
                let _work = info_span!("take jobs until none left").entered();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= jobs {
                        break;
                    }
                    total.fetch_add(small_job(i), Ordering::Relaxed);
                }
            })
        })
        .collect();
    join_all(workers);
    total.load(Ordering::Relaxed)
}
