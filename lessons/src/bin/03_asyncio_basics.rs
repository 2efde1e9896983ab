//! # Lesson 03 · Async with tokio
//!
//! tokio for someone who knows asyncio. An `async fn` returns a future; a
//! runtime (Python's event loop) polls futures until they finish; `.await`
//! is where a future may pause and let others run. Two differences shape
//! everything below:
//! - a Rust future does nothing until it is polled. `asyncio.create_task`
//!   starts work at once; in Rust only `tokio::spawn` does.
//! - tokio's default runtime has a thread per core and moves tasks between
//!   them: async code runs in parallel, not only concurrently.
//!
//! `#[tokio::main] async fn main()` is shorthand for building a runtime and
//! calling `block_on`. Each demo here builds its own runtime (`run_on`), so
//! it can pick a `current_thread` or a `multi_thread` one.
use futures::stream::{self, Stream, StreamExt};
use std::collections::BTreeSet;
use std::future::Future;
use std::pin::pin;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;
use tokio::sync::{Semaphore, mpsc, oneshot};
use tokio::task::JoinSet;
use tokio::time::sleep;
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, info_span};
use workbook_trace::lesson::{Demo, run_demos};
use workbook_trace::measuring::{RUNS, Summary, Watch, beyond_cores, measured_at, one_run};

#[path = "03_asyncio_basics/by_hand.rs"]
mod by_hand;
#[path = "03_asyncio_basics/cancel_safety.rs"]
mod cancel_safety;
#[path = "03_asyncio_basics/line_server.rs"]
mod line_server;
#[path = "03_asyncio_basics/signals.rs"]
mod signals;
#[path = "03_asyncio_basics/support.rs"]
mod support;
use support::{count_primes, current_thread, multi_thread, ticker};

fn main() -> ExitCode {
    let _recording = workbook_trace::record::init();
    run_demos("03_asyncio_basics", DEMOS)
}

#[rustfmt::skip]
const DEMOS: &[Demo] = &[
    Demo { name: "lazy_futures", covers: "A1", run: lazy_futures },
    Demo { name: "hand_made_future", covers: "A1", run: hand_made_future },
    Demo { name: "gather", covers: "A2", run: gather },
    Demo { name: "spawn_tasks", covers: "A3", run: spawn_tasks },
    Demo { name: "blocking_the_executor", covers: "A4, C4", run: blocking_the_executor },
    Demo { name: "async_cleanup", covers: "A5, C3", run: async_cleanup },
    Demo { name: "streams", covers: "A6", run: streams },
    Demo { name: "cpu_work", covers: "A7", run: cpu_work },
    Demo { name: "semaphore", covers: "A8", run: semaphore },
    Demo { name: "work_queue", covers: "A9", run: work_queue },
    Demo { name: "broadcast_watch_notify", covers: "A9", run: broadcast_watch_notify },
    Demo { name: "runtimes", covers: "A10, C1", run: runtimes },
    Demo { name: "timeout_select", covers: "A11", run: timeout_select },
    Demo { name: "cancel_safety", covers: "A11", run: cancel_safety },
    Demo { name: "line_server", covers: "A3, A8, A11, C3", run: line_server },
    Demo { name: "many_tasks", covers: "A12", run: many_tasks },
];

/// No demo may run longer than this.
const LIMIT: Duration = Duration::from_secs(20);

/// Runs `body` on `runtime` as the `main` task, gives up after `LIMIT`, then
/// shuts the runtime down (waiting at most a second for blocking threads).
/// The main thread sits in `block_on` meanwhile: a waiting span, with the
/// polls it makes (of `main`, and of every task on a `current_thread`
/// runtime) drawn inside it as running.
fn run_on<F: Future>(runtime: Runtime, body: F) -> F::Output {
    let main = async { tokio::time::timeout(LIMIT, body).await };
    let waiting = info_span!("block_on", waiting_on = "timers, I/O and tasks").entered();
    let output = runtime
        .block_on(main.instrument(info_span!("main", task = "main")))
        .expect("the demo finished within LIMIT");
    drop(waiting);
    runtime.shutdown_timeout(Duration::from_secs(1));
    output
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

// ── lazy_futures ──
// Calling an `async fn` only builds a future: nothing runs until `.await`.
// Two futures awaited one after the other run one after the other.
// Timeline: the `main` task lane; a `brewing` mark appears only when each
// future is awaited, not when it is created.
fn lazy_futures() {
    let watch = Watch::start();
    run_on(current_thread(), async {
        let started = Instant::now();
        let tea = brew("tea", 200);
        let coffee = brew("coffee", 200);
        println!(
            "two futures made in {} µs; nothing brewed yet",
            started.elapsed().as_micros()
        );
        println!("{}", tea.await);
        println!("{}", coffee.await);
        println!(
            "awaited one after the other: {} ms (200 + 200)",
            ms(started.elapsed())
        );
        // Never awaited, never run. The compiler warns about a future left
        // unused (`#[must_use]`), as Python warns "coroutine was never awaited".
        drop(brew("juice", 200));
        println!("the juice future was dropped unawaited: no `brewing juice` line");
    });
    println!(
        "{}",
        one_run(&watch.finish(), "the times show the shape, not a speed")
    );
}

async fn brew(drink: &str, millis: u64) -> String {
    tracing::info!(drink, "brewing");
    println!("  brewing {drink}...");
    sleep(Duration::from_millis(millis)).await;
    format!("{drink} is ready")
}

// ── hand_made_future ──
// What `.await` compiles to, built by hand (`03_asyncio_basics/by_hand.rs`).
// A `Future` is anything with a `poll` method that returns `Ready(value)` or
// `Pending`; before returning `Pending` it must arrange for the `Waker` in its
// `Context` to be called when it can make progress. `Timer` does that with a
// thread that sleeps and then calls `wake()`. The executor is a run queue of
// task numbers and a loop that polls whichever task was woken, sleeping when
// none was: no busy polling. An `async fn` made of two timers runs on the
// same executor: the compiler wrote its `poll` for us.
// Pin: the state machine of an `async fn` may hold a reference to one of its
// own locals across an `.await`; moving it would leave that reference
// dangling. `poll` therefore takes `Pin<&mut Self>`, a promise that the
// future will not move again once polled; the executor keeps each task in
// a `Pin<Box<..>>` for that reason. `Timer` holds no such reference, so it
// is `Unpin` and can be used like a plain `&mut`.
// Timeline: the executor (main) waits on "a wake-up" between polls; each
// `poll` is a short span inside a task lane (`one timer`, `async fn`); each
// timer thread sleeps, then leaves a `wake` mark just before the next poll.
fn hand_made_future() {
    let watch = Watch::start();
    by_hand::run();
    println!(
        "{}",
        one_run(&watch.finish(), "the times show the shape, not a speed")
    );
}

// ── gather ──
// Three ways to wait for many futures at once, like `asyncio.gather`:
// `join!` (a fixed set), `join_all` (a Vec, results in order) and `JoinSet`
// (spawned tasks, results as they finish).
// Timeline: `join!` and `join_all` run inside the `main` task, which waits on
// `the network`; the JoinSet's three `fetch` tasks get lanes of their own,
// waiting on `the network`, while `main` waits on the next to finish.
fn gather() {
    let watch = Watch::start();
    run_on(current_thread(), async {
        let started = Instant::now();
        let (a, b, c) = tokio::join!(
            fetch("users", 300),
            fetch("orders", 200),
            fetch("stock", 100)
        );
        println!(
            "join!:    {a}, {b}, {c} in {} ms, not 600",
            ms(started.elapsed())
        );

        let started = Instant::now();
        // The first page is the slowest (250 ms), the last the fastest (50 ms).
        let pages = ["p1", "p2", "p3", "p4", "p5"];
        let pages = futures::future::join_all(
            pages
                .into_iter()
                .zip([250, 200, 150, 100, 50])
                .map(|(page, millis)| fetch(page, millis)),
        );
        println!(
            "join_all: {:?} in {} ms, in the order asked",
            pages.await,
            ms(started.elapsed())
        );

        let started = Instant::now();
        let mut set = JoinSet::new();
        for (what, millis) in [("users", 300), ("orders", 200), ("stock", 100)] {
            set.spawn(fetch(what, millis).instrument(info_span!("fetch", task = what)));
        }
        while let Some(done) = set
            .join_next()
            .instrument(info_span!(
                "join_next",
                waiting_on = "the next fetch to finish"
            ))
            .await
        {
            println!(
                "JoinSet:  {} done at {} ms",
                done.expect("fetch cannot panic"),
                ms(started.elapsed())
            );
        }
    });
    println!(
        "{}",
        one_run(&watch.finish(), "the times show the shape, not a speed")
    );
}

async fn fetch(what: &'static str, millis: u64) -> &'static str {
    sleep(Duration::from_millis(millis))
        .instrument(info_span!("fetch", waiting_on = "the network"))
        .await;
    what
}

// ── spawn_tasks ──
// `tokio::spawn` starts a task right away, like `asyncio.create_task`, on a
// runtime with two worker threads. A task must be `'static + Send`: it may
// outlive this function and move between threads, so it owns its data (an
// `Arc` here). Awaiting its `JoinHandle` gives back its result, or a
// `JoinError` if it panicked.
// Timeline: four `download` task lanes waiting on `the network`, `main`
// waiting on `download 0`, `download 1`, ...; each poll shows on the worker
// thread (`tokio-1`, `tokio-2`) that ran it.
fn spawn_tasks() {
    let watch = Watch::start();
    run_on(multi_thread(2), async {
        let sizes = Arc::new(vec![3_u64, 1, 4, 1]);
        let started = Arc::new(AtomicUsize::new(0));
        let mut handles = Vec::new();
        for i in 0..4 {
            let (sizes, started) = (Arc::clone(&sizes), Arc::clone(&started));
            let name = format!("download {i}");
            let task = async move {
                started.fetch_add(1, Ordering::Relaxed);
                for _ in 0..sizes[i] {
                    sleep(Duration::from_millis(40))
                        .instrument(info_span!("chunk", waiting_on = "the network"))
                        .await;
                }
                sizes[i] * 1000
            };
            handles.push(tokio::spawn(
                task.instrument(info_span!("download", task = name.as_str())),
            ));
        }
        // Nothing has awaited a handle yet, and still the tasks start.
        let spawned = Instant::now();
        while started.load(Ordering::Relaxed) < 4 && spawned.elapsed() < Duration::from_secs(1) {
            sleep(Duration::from_millis(1)).await;
        }
        println!(
            "before any handle was awaited: {} of 4 tasks started within {} ms",
            started.load(Ordering::Relaxed),
            ms(spawned.elapsed())
        );
        for (i, handle) in handles.into_iter().enumerate() {
            let bytes = handle
                .instrument(info_span!("join", waiting_on = format!("download {i}")))
                .await
                .expect("download cannot panic");
            println!("download {i}: {bytes} bytes");
        }
        // A one-line panic hook instead of the default message (and backtrace).
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| println!("[panic hook] a task panicked")));
        let failing = tokio::spawn(
            async { panic!("task gave up") }.instrument(info_span!("bad", task = "failing")),
        );
        let error = failing.await.expect_err("the task panicked");
        std::panic::set_hook(default_hook);
        println!(
            "a panicking task: JoinError, is_panic() = {}; the runtime carries on",
            error.is_panic()
        );
    });
    println!(
        "{}",
        one_run(&watch.finish(), "the times show the shape, not a speed")
    );
}

// ── blocking_the_executor ──
// On a `current_thread` runtime one thread polls every task. A task that
// calls `std::thread::sleep` (or any blocking call) holds that thread, so a
// ticker that should tick every 20 ms stalls. The fixes: `tokio::time::sleep`,
// which yields, or `spawn_blocking`, which moves the blocking call to a
// thread of its own.
// Timeline: in the first round a waiting span `std::thread::sleep` sits on
// the main thread and the ticker lane has a 300 ms hole; in the other rounds
// the ticker keeps ticking.
fn blocking_the_executor() {
    let watch = Watch::start();
    for (how, label) in [
        (Wait::BlockingSleep, "std::thread::sleep in a task"),
        (Wait::AsyncSleep, "tokio::time::sleep"),
        (Wait::SpawnBlocking, "spawn_blocking(std::thread::sleep)"),
    ] {
        let worst = run_on(current_thread(), async move {
            let stop = CancellationToken::new();
            let ticks = tokio::spawn(
                ticker(Duration::from_millis(20), stop.clone())
                    .instrument(info_span!("ticker", task = "ticker")),
            );
            let work = async move {
                sleep(Duration::from_millis(60)).await;
                let pause = Duration::from_millis(300);
                match how {
                    Wait::BlockingSleep => {
                        let _w = info_span!(
                            "std::thread::sleep",
                            waiting_on = "a blocking call: the runtime's only thread"
                        )
                        .entered();
                        std::thread::sleep(pause);
                    }
                    Wait::AsyncSleep => sleep(pause).await,
                    Wait::SpawnBlocking => {
                        let off = tokio::task::spawn_blocking(move || {
                            let _w = info_span!(
                                "std::thread::sleep",
                                waiting_on = "a blocking call, on a blocking thread"
                            )
                            .entered();
                            std::thread::sleep(pause);
                        });
                        off.await.expect("sleep cannot panic");
                    }
                }
                sleep(Duration::from_millis(60)).await;
            };
            tokio::spawn(work.instrument(info_span!("work", task = label)))
                .await
                .expect("work cannot panic");
            stop.cancel();
            ticks.await.expect("ticker cannot panic")
        });
        println!(
            "{label:<36} ticker's longest gap: {:>3} ms (it ticks every 20 ms)",
            ms(worst)
        );
    }
    println!(
        "{}",
        one_run(&watch.finish(), "the times show the shape, not a speed")
    );
}

#[derive(Clone, Copy)]
enum Wait {
    BlockingSleep,
    AsyncSleep,
    SpawnBlocking,
}

// ── async_cleanup ──
// There is no async `Drop`: a destructor cannot `.await`. So a resource that
// needs async cleanup (say goodbye to a server, flush a buffer) gets an
// explicit `close().await`, and `Drop` is the synchronous safety net that
// still runs on every path: `?`, panic, or cancellation. A helper that takes
// an async closure plays the part of `async with`.
// Timeline: the `main` task lane waits on `the server` (connect, reply,
// goodbye in turn); D's reply wait is cut off by the timeout, no goodbye.
fn async_cleanup() {
    run_on(current_thread(), async {
        let mut a = Connection::open("A").await;
        a.send("hello").await.expect("A accepts hello");
        a.close().await;

        let early_return = async {
            let mut b = Connection::open("B").await;
            b.send("bad request").await?; // returns here: close() never runs, Drop does
            b.close().await;
            Ok::<(), String>(())
        };
        println!("B: {:?}", early_return.await);

        let result = with_connection("C", async |c| c.send("bad request").await).await;
        println!("C: {result:?}, closed by the helper on the error path");

        let cancelled = tokio::time::timeout(
            Duration::from_millis(25),
            with_connection("D", async |d| d.send("slow").await),
        )
        .await;
        println!(
            "D: timed out = {}: a cancelled future stops at its .await; only Drop runs",
            cancelled.is_err()
        );
    });
}

struct Connection {
    name: &'static str,
    open: bool,
}

impl Connection {
    async fn open(name: &'static str) -> Connection {
        sleep(Duration::from_millis(10))
            .instrument(info_span!("open", waiting_on = "the server (connect)"))
            .await;
        println!("  {name}: opened");
        Connection { name, open: true }
    }

    async fn send(&mut self, message: &str) -> Result<(), String> {
        sleep(Duration::from_millis(30))
            .instrument(info_span!("send", waiting_on = "the server (reply)"))
            .await;
        if message.starts_with("bad") {
            return Err(format!("{} refused {message:?}", self.name));
        }
        println!("  {}: sent {message:?}", self.name);
        Ok(())
    }

    /// The async part of cleanup. Only an `.await` can do it, so it cannot
    /// live in `Drop`.
    async fn close(mut self) {
        sleep(Duration::from_millis(20))
            .instrument(info_span!("close", waiting_on = "the server (goodbye)"))
            .await;
        self.open = false;
        println!("  {}: closed politely (goodbye sent)", self.name);
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if self.open {
            println!(
                "  {}: dropped while open: no goodbye, the socket is just closed",
                self.name
            );
        }
    }
}

/// Like `async with`: opens, runs `body`, and closes on success and on error.
async fn with_connection<T>(
    name: &'static str,
    body: impl AsyncFnOnce(&mut Connection) -> Result<T, String>,
) -> Result<T, String> {
    let mut connection = Connection::open(name).await;
    let result = body(&mut connection).await;
    connection.close().await;
    result
}

// ── streams ──
// A `Stream` is an async iterator: Python's async generator and `async for`.
// `stream::unfold` turns a state and an async step into a stream;
// `while let Some(x) = stream.next().await` consumes it; combinators filter
// and collect; `buffer_unordered(3)` runs up to three items at once.
// Timeline: the `main` task lane waits on `the sensor`, waking once per
// reading.
fn streams() {
    let watch = Watch::start();
    run_on(current_thread(), async {
        let mut sensor = pin!(readings(5));
        while let Some(reading) = sensor.next().await {
            println!("  reading {reading}");
        }
        let warm: Vec<u32> = readings(10)
            .filter(|r| std::future::ready(*r > 22))
            .collect()
            .await;
        println!("a new stream of 10 readings, filtered to those above 22: {warm:?}");

        let started = Instant::now();
        let order: Vec<u64> = stream::iter(1..=6_u64)
            .map(|i| async move {
                sleep(Duration::from_millis(40 * (7 - i))).await; // item 1 is the slowest
                i
            })
            .buffer_unordered(3)
            .collect()
            .await;
        println!(
            "buffer_unordered(3): items finished in the order {order:?}, {} ms in all",
            ms(started.elapsed())
        );
    });
    println!(
        "{}",
        one_run(&watch.finish(), "the times show the shape, not a speed")
    );
}

fn readings(count: u32) -> impl Stream<Item = u32> {
    stream::unfold(0, move |i| async move {
        if i == count {
            return None;
        }
        sleep(Duration::from_millis(30)) // the sensor takes 30 ms per reading
            .instrument(info_span!("read", waiting_on = "the sensor"))
            .await;
        Some((20 + (i * 5) % 7, i + 1))
    })
}

// ── cpu_work ──
// CPU-bound work inside a task holds its worker thread just like a blocking
// sleep does. Hand it off: `spawn_blocking` runs it on tokio's blocking
// threads; rayon runs it on all cores and sends the answer back through a
// oneshot channel (Python's `run_in_executor`). A ticker measures the stall.
// The three ways take turns, five runs each; the figures are their medians.
// Timeline: in each run the ticker lane first stops while `crunch` runs on
// the main thread; then the work moves to a blocking thread, then to the
// `rayon` threads (`main` waits on `the blocking thread`, then on `the answer
// from rayon`), and the ticker keeps going.
fn cpu_work() {
    const N: u64 = 150_000;
    const WAYS: [&str; 3] = ["inline in the task", "spawn_blocking", "rayon + oneshot"];
    let rayon_pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("rayon-{i}"))
        .build()
        .expect("a rayon pool");
    let watch = Watch::start();
    // Per way: seconds the count took, and the ticker's longest gap.
    let mut took: [Vec<f64>; 3] = Default::default();
    let mut gaps: [Vec<f64>; 3] = Default::default();
    let mut counted = BTreeSet::new();
    for _ in 0..RUNS {
        for (way, label) in WAYS.into_iter().enumerate() {
            let (primes, time, worst) = crunch_beside_a_ticker(label, N, &rayon_pool);
            counted.insert(primes);
            took[way].push(time.as_secs_f64());
            gaps[way].push(worst.as_secs_f64());
        }
    }
    let conditions = watch.finish();
    let primes: Vec<String> = counted.iter().map(u64::to_string).collect();
    let primes = primes.join(" or ");
    let mut shown = Vec::new();
    for (way, label) in WAYS.into_iter().enumerate() {
        let (Some(time), Some(gap)) = (Summary::of(&took[way]), Summary::of(&gaps[way])) else {
            return;
        };
        println!(
            "{label:<20} {primes} primes in {:>5.1} ms ({:.1}–{:.1}); ticker's longest gap {:>3.0} ms ({:.0}–{:.0})",
            time.median * 1e3,
            time.min * 1e3,
            time.max * 1e3,
            gap.median * 1e3,
            gap.min * 1e3,
            gap.max * 1e3
        );
        shown.push(time.scaled(1e3));
    }
    println!("  (medians of {RUNS} runs, the ways taking turns; min–max in brackets)");
    if let Some(speedup) = Summary::of_ratios(&took[1], &took[2]) {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        println!(
            "rayon over spawn_blocking: {} on {cores} core(s)",
            speedup.figure(2, "×")
        );
        if let Some(excess) = beyond_cores(&speedup, cores, &conditions) {
            println!("{excess}");
        }
        shown.push(speedup);
    }
    let shown: Vec<&Summary> = shown.iter().collect();
    println!("{}", measured_at(&conditions, &shown));
}

/// One run of `cpu_work`: counts the primes below `n` the way `label` says,
/// with a 20 ms ticker beside it on a one-thread runtime; the count, the
/// time it took and the ticker's longest gap.
fn crunch_beside_a_ticker(
    label: &str,
    n: u64,
    rayon_pool: &rayon::ThreadPool,
) -> (u64, Duration, Duration) {
    let crunch = |range: std::ops::Range<u64>| {
        let _s = info_span!("crunch", from = range.start).entered();
        count_primes(range)
    };
    run_on(current_thread(), async {
        let stop = CancellationToken::new();
        let ticks = tokio::spawn(
            ticker(Duration::from_millis(20), stop.clone())
                .instrument(info_span!("ticker", task = "ticker")),
        );
        sleep(Duration::from_millis(20)).await;
        let started = Instant::now();
        let primes = match label {
            "inline in the task" => crunch(0..n),
            "spawn_blocking" => tokio::task::spawn_blocking(move || crunch(0..n))
                .instrument(info_span!("join", waiting_on = "the blocking thread"))
                .await
                .expect("no panic"),
            _ => {
                let (tx, rx) = oneshot::channel();
                rayon_pool.spawn(move || {
                    use rayon::prelude::*;
                    let chunks = (0..8)
                        .into_par_iter()
                        .map(|c| crunch(c * n / 8..(c + 1) * n / 8));
                    let _ = tx.send(chunks.sum::<u64>());
                });
                rx.instrument(info_span!("oneshot", waiting_on = "the answer from rayon"))
                    .await
                    .expect("rayon sends an answer")
            }
        };
        let took = started.elapsed();
        sleep(Duration::from_millis(20)).await;
        stop.cancel();
        (primes, took, ticks.await.expect("ticker cannot panic"))
    })
}

// ── semaphore ──
// Ten requests, at most three in flight: each task waits for a permit from a
// `Semaphore`, and the permit goes back when it is dropped.
// A span instrumenting an await (`.instrument(info_span!(.., waiting_on))`)
// names what the task is parked on between its polls.
// Timeline: ten `request` task lanes: seven start waiting on `a permit`,
// three wait on `the server` (their 100 ms sleep), and each time a permit
// comes back three more move over, four rounds in all.
fn semaphore() {
    let watch = Watch::start();
    run_on(multi_thread(2), async {
        let permits = Arc::new(Semaphore::new(3));
        let (in_flight, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let started = Instant::now();
        let mut set = JoinSet::new();
        for i in 0..10 {
            let (permits, in_flight, most) = (permits.clone(), in_flight.clone(), most.clone());
            let name = format!("request {i}");
            set.spawn(
                async move {
                    let _permit = permits
                        .acquire()
                        .instrument(info_span!("acquire", waiting_on = "a permit"))
                        .await
                        .expect("the semaphore is never closed");
                    tracing::info!("got a permit");
                    most.fetch_max(
                        in_flight.fetch_add(1, Ordering::SeqCst) + 1,
                        Ordering::SeqCst,
                    );
                    sleep(Duration::from_millis(100))
                        .instrument(info_span!("io", waiting_on = "the server"))
                        .await;
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                }
                .instrument(info_span!("request", task = name.as_str())),
            );
        }
        while let Some(done) = set.join_next().await {
            done.expect("a request cannot panic");
        }
        println!(
            "10 requests of 100 ms, at most {} in flight: {} ms (4 rounds)",
            most.load(Ordering::SeqCst),
            ms(started.elapsed())
        );
    });
    println!(
        "{}",
        one_run(&watch.finish(), "the times show the shape, not a speed")
    );
}

// ── work_queue ──
// A bounded queue with three workers, like `asyncio.Queue(maxsize=3)`. The
// producer waits when the queue is full (backpressure). Dropping the sender
// closes the queue, so workers end when it is empty; awaiting them all is
// `queue.join()`, with no sentinels and no `task_done()`.
// Timeline: a `producer` lane waiting on `queue full` now and then, and
// three `worker` lanes alternating between a job (`the job's I/O`) and
// `the next job`.
fn work_queue() {
    run_on(multi_thread(2), async {
        let (tx, rx) = mpsc::channel::<u64>(3);
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        let mut workers = JoinSet::new();
        for w in 1..=3 {
            let rx = Arc::clone(&rx);
            let job_loop = async move {
                let mut done = Vec::new();
                // The lock is held only while waiting for the next job.
                let next = || async { rx.lock().await.recv().await };
                while let Some(job) = next()
                    .instrument(info_span!("recv", waiting_on = "the next job"))
                    .await
                {
                    sleep(Duration::from_millis(20 + (job % 4) * 15))
                        .instrument(info_span!("job", waiting_on = "the job's I/O"))
                        .await;
                    done.push(job);
                }
                (w, done)
            };
            workers.spawn(
                job_loop.instrument(info_span!("worker", task = format!("worker {w}").as_str())),
            );
        }
        let producer = async move {
            let mut had_to_wait = 0;
            for job in 0..12 {
                if let Err(mpsc::error::TrySendError::Full(job)) = tx.try_send(job) {
                    had_to_wait += 1;
                    tx.send(job)
                        .instrument(info_span!("send", waiting_on = "queue full"))
                        .await
                        .expect("the workers hold the receiver");
                }
            }
            had_to_wait // `tx` is dropped here: the queue is closed
        };
        let had_to_wait =
            tokio::spawn(producer.instrument(info_span!("producer", task = "producer")))
                .await
                .expect("no panic");
        while let Some(done) = workers.join_next().await {
            let (w, jobs) = done.expect("a worker cannot panic");
            println!("worker {w} did jobs {jobs:?}");
        }
        println!(
            "all 12 jobs done; the producer found the queue full {had_to_wait} times and waited"
        );
    });
}

// ── broadcast_watch_notify ──
// Three tokio primitives that are not a queue to one consumer
// (`03_asyncio_basics/signals.rs`). `broadcast`: every subscriber gets every
// message; one too slow to keep up gets `Lagged(n)`, the number it missed,
// instead of holding the sender up. `watch`: one value, the latest; a
// reader that is busy misses intermediate versions but never sees a stale
// one. `Notify`: a wake-up without data; `notify_one` wakes one waiter (or
// leaves a permit if none waits), `notify_waiters` wakes all that wait now.
// Timeline: the `fast subscriber` waits on "the next broadcast" after every
// message while the `slow subscriber` is mostly in "its own work"; the
// `config reader` alternates a short wait on "a new config" with 20 ms
// reloads; three `waiter` lanes wait on "the bell", one released at 30 ms,
// two at 60 ms.
fn broadcast_watch_notify() {
    let watch = Watch::start();
    run_on(current_thread(), signals::run());
    println!(
        "{}",
        one_run(&watch.finish(), "the times show the shape, not a speed")
    );
}

// ── runtimes ──
// The same job on a `current_thread` runtime and on a `multi_thread` one
// with two workers: four tasks of uneven length that crunch numbers and
// `yield_now()` between slices. One thread gives concurrency (tasks take
// turns); two give parallelism (twice the speed on two cores). Each task
// records which threads polled it: on the multi-thread runtime an idle
// worker steals waiting tasks, so a task can run on both. The two runtimes
// take turns, five runs each; the times printed are their medians.
// Timeline: first all four `crunch` lanes take turns on the main thread;
// then they spread over `tokio-1` and `tokio-2`, and at least one task's
// polls hop between the two; five times over.
fn runtimes() {
    const KINDS: [&str; 2] = ["current_thread", "multi_thread"];
    let watch = Watch::start();
    let mut took: [Vec<f64>; 2] = Default::default();
    // Per runtime, per task: every thread that polled it in any run.
    let mut polled_on: [Vec<(u64, BTreeSet<String>)>; 2] = Default::default();
    for _ in 0..RUNS {
        for (kind, label) in KINDS.into_iter().enumerate() {
            let runtime = if kind == 0 {
                current_thread()
            } else {
                multi_thread(2)
            };
            let started = Instant::now();
            let threads = run_on(runtime, crunch_in_tasks(label));
            took[kind].push(started.elapsed().as_secs_f64());
            for (t, seen) in threads {
                match polled_on[kind].iter_mut().find(|(task, _)| *task == t) {
                    Some((_, all)) => all.extend(seen),
                    None => polled_on[kind].push((t, seen)),
                }
            }
        }
    }
    let conditions = watch.finish();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    for (kind, label) in KINDS.into_iter().enumerate() {
        let Some(time) = Summary::of(&took[kind]) else {
            return;
        };
        println!(
            "{label:<15} {}  ({cores} cores on this machine)",
            time.scaled(1e3).figure(1, " ms")
        );
        for (t, seen) in &polled_on[kind] {
            println!(
                "  crunch {t} ({:>2} slices) polled on {seen:?}",
                t * SLICES_PER_UNIT
            );
        }
    }
    let Some(speedup) = Summary::of_ratios(&took[0], &took[1]) else {
        return;
    };
    println!("  (the threads are every one that polled the task, in any of the {RUNS} runs)");
    println!(
        "multi_thread over current_thread: {}",
        speedup.figure(2, "×")
    );
    if let Some(excess) = beyond_cores(&speedup, cores.min(2), &conditions) {
        println!("{excess}");
    }
    println!("{}", measured_at(&conditions, &[&speedup]));
}

/// Slices of work per unit of a task's length: task `t` crunches `t` times this.
const SLICES_PER_UNIT: u64 = 3;

/// Four tasks of uneven length crunching numbers, `yield_now()` between
/// slices; each task's number and the threads that polled it.
async fn crunch_in_tasks(label: &str) -> Vec<(u64, BTreeSet<String>)> {
    let mut set = JoinSet::new();
    for t in 1..=4_u64 {
        let crunch = async move {
            let mut seen = BTreeSet::new();
            for _ in 0..t * SLICES_PER_UNIT {
                count_primes(0..25_000);
                seen.insert(std::thread::current().name().unwrap_or("?").to_string());
                tokio::task::yield_now().await; // let the executor run another task
            }
            (t, seen)
        };
        let name = format!("crunch {t} ({label})");
        set.spawn(crunch.instrument(info_span!("crunch", task = name.as_str())));
    }
    let mut threads = set.join_all().await;
    threads.sort();
    threads
}

// ── timeout_select ──
// `timeout` and `select!` cancel by dropping: the losing future stops at the
// `.await` where it was waiting, and its destructors run there. A spawned
// task is different: dropping its `JoinHandle` detaches it, and it keeps
// running until `abort()`.
// Timeline: `main` waits on `report (300 ms)` until the timeout, then on a
// mirror; the `counter` task lane waits on `its 10 ms timer` between ticks,
// keeps going after its handle is dropped and stops right after `abort()`.
fn timeout_select() {
    run_on(current_thread(), async {
        let result =
            tokio::time::timeout(Duration::from_millis(100), slow("report (300 ms)", 300)).await;
        println!("timeout(100 ms): {result:?}");

        tokio::select! {
            won = slow("mirror A (300 ms)", 300) => println!("select!: {won} won"),
            won = slow("mirror B (80 ms)", 80) => println!("select!: {won} won"),
        }

        let count = Arc::new(AtomicU32::new(0));
        let counter = {
            let count = Arc::clone(&count);
            async move {
                loop {
                    sleep(Duration::from_millis(10))
                        .instrument(info_span!("tick", waiting_on = "its 10 ms timer"))
                        .await;
                    count.fetch_add(1, Ordering::Relaxed);
                }
            }
        };
        let handle = tokio::spawn(counter.instrument(info_span!("counter", task = "counter")));
        let abort = handle.abort_handle();
        drop(handle);
        let before = count.load(Ordering::Relaxed);
        sleep(Duration::from_millis(100)).await;
        println!(
            "JoinHandle dropped: the task kept counting, {before} → {}",
            count.load(Ordering::Relaxed)
        );
        abort.abort();
        sleep(Duration::from_millis(10)).await;
        let stopped = count.load(Ordering::Relaxed);
        sleep(Duration::from_millis(100)).await;
        println!(
            "after abort(): {stopped} → {}, stopped at its next .await",
            count.load(Ordering::Relaxed)
        );
    });
}

struct OnCancel(&'static str, bool);

impl Drop for OnCancel {
    fn drop(&mut self) {
        if self.1 {
            println!("  dropped mid-way: {}", self.0);
        }
    }
}

async fn slow(what: &'static str, millis: u64) -> &'static str {
    let mut guard = OnCancel(what, true);
    sleep(Duration::from_millis(millis))
        .instrument(info_span!("slow", waiting_on = what))
        .await;
    guard.1 = false;
    what
}

// ── cancel_safety ──
// `select!` drops the branches that lose. A future that has already taken
// something (a message, part of a frame) and is dropped before it returns
// takes that thing with it. Here `next_pair` receives two messages; a
// `select!` loop races a fresh `next_pair` against a 10 ms heartbeat, and
// whenever the heartbeat wins between the two receives, the first message
// is gone. A drop guard counts each loss where it happens. Fix 1: keep one
// future alive across iterations (pin it outside the loop, poll it by
// `&mut`). Fix 2: race only a cancel-safe method (`recv()` takes a message
// or nothing) and keep the half-built pair outside any future
// (`03_asyncio_basics/cancel_safety.rs`).
// Timeline: the `producer` lane sends every 6 ms; in the first run the
// `main` task's waits on "a pair" are cut off by heartbeats, with a `lost`
// mark each time one took a message with it; in the other runs none.
fn cancel_safety() {
    run_on(current_thread(), async {
        cancel_safety::run().await;
    });
}

// ── line_server ──
// An async TCP server on 127.0.0.1 and four real clients, all in this
// process (`03_asyncio_basics/line_server.rs`). Framing: TCP carries bytes,
// not messages; tokio-util's `LinesCodec` turns them into lines, whatever
// the chunks the client wrote, and refuses lines over 64 bytes. Back-
// pressure: at most two connections at once; the server takes a slot
// before it accepts, so later clients wait in the kernel's queue. Graceful
// shutdown: a `CancellationToken` stops the accept loop, each connection
// says `bye` and closes, and the server waits for them with a deadline.
// Timeline: `server` waits on "a free connection slot" while two
// `connection` lanes are open; clients 3 and 4 wait on "a reply from the
// server" until a slot frees; `client 4` stays until the shutdown.
fn line_server() {
    let watch = Watch::start();
    run_on(multi_thread(2), line_server::run());
    println!(
        "{}",
        one_run(&watch.finish(), "the times show the shape, not a speed")
    );
}

// ── many_tasks ──
// 100,000 tasks, each sleeping 1 s, all at once: a task is a small heap
// allocation, not a thread. The wall time and peak memory are measured here,
// and the same job in Python's asyncio is run for comparison if `python3`
// is installed.
// Timeline: one `main` task lane, idle for a second; the tasks themselves
// are not recorded (100,000 lanes would drown the view). Then the main
// thread waits on `python3` while the asyncio version runs.
fn many_tasks() {
    const N: u32 = 100_000;
    let watch = Watch::start();
    let reset = support::reset_peak_memory();
    let before = support::status_mib("VmRSS:").unwrap_or(0.0);
    let started = Instant::now();
    let spawned = run_on(multi_thread(2), async {
        let tasks: Vec<_> = (0..N)
            .map(|_| tokio::spawn(sleep(Duration::from_secs(1))))
            .collect();
        let spawned = started.elapsed();
        for task in tasks {
            task.await.expect("a sleep cannot panic");
        }
        spawned
    });
    let wall = started.elapsed().as_secs_f64();
    let peak = support::status_mib("VmHWM:").unwrap_or(0.0);
    let measured = if reset {
        "peak while they ran"
    } else {
        "peak of the whole lesson"
    };
    println!(
        "tokio:   {N} tasks × sleep(1 s): {wall:.2} s wall, {peak:.0} MiB {measured} ({before:.0} MiB before)"
    );
    println!(
        "         (spawning took {} ms; about {:.1} KiB per task; 1 s of it is the sleep itself)",
        ms(spawned),
        (peak - before).max(0.0) * 1024.0 / f64::from(N),
    );
    match support::python_tasks(N, Duration::from_secs(30)) {
        support::PythonFigure::Measured { wall, peak_mib } => {
            println!(
                "asyncio: {N} tasks × asyncio.sleep(1): {wall:.2} s wall, {peak_mib:.0} MiB peak (python3, measured now)"
            );
        }
        support::PythonFigure::Skipped(why) => {
            println!("asyncio: skipped the Python comparison: {why}");
        }
    }
    println!(
        "{}",
        one_run(&watch.finish(), "the times show the shape, not a speed")
    );
}
