//! # Lesson 05 · Advanced patterns
//!
//! The building blocks of lessons 01 to 04, put together the way real
//! programs use them: a bounded queue between producers and consumers, a
//! pool of async workers, processes that each run a pool or a runtime, CPU
//! work on rayon next to I/O on tokio, shutting everything down cleanly,
//! finding a hang, and a pipeline of stages.
//!
//! Two rules run through all of it: every queue is bounded, so a fast part
//! cannot bury a slow one (backpressure); and every wait has a deadline or an
//! owner who will end it, so nothing hangs for ever.
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, LazyLock};
use std::thread;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, info_span};
use workbook_trace::lesson::{Demo, run_demos};

#[path = "05_advanced_concurrency/hybrid.rs"]
mod hybrid;
#[path = "04_synchronization/ordering.rs"]
#[allow(dead_code)] // lesson 04's loom checks; this lesson uses only `check_publish`
mod ordering;
#[path = "05_advanced_concurrency/testing.rs"]
mod testing;
#[path = "shared/threads.rs"]
mod threads;
#[path = "05_advanced_concurrency/worker_pool.rs"]
mod worker_pool;

use threads::{named, runtime};
use workbook_trace::measuring::{Watch, one_run};
use worker_pool::WorkerPool;

fn main() -> ExitCode {
    let _recording = workbook_trace::record::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("worker") {
        return hybrid::worker_main(&args[1..]);
    }
    run_demos("05_advanced_concurrency", DEMOS)
}

#[rustfmt::skip]
const DEMOS: &[Demo] = &[
    Demo { name: "producer_consumer", covers: "V1", run: producer_consumer },
    Demo { name: "async_worker_pool", covers: "V2", run: async_worker_pool },
    Demo { name: "hybrid", covers: "V3", run: hybrid },
    Demo { name: "cpu_and_io", covers: "V4", run: cpu_and_io },
    Demo { name: "graceful_shutdown", covers: "V5, C3", run: graceful_shutdown },
    Demo { name: "debugging", covers: "V6", run: debugging },
    Demo { name: "testing_concurrency", covers: "V6", run: testing_concurrency },
    Demo { name: "pipeline", covers: "V7", run: pipeline },
];

// ── producer_consumer ──
// One producer makes an item every 2 ms; three consumers take 20 ms each
// (a wide gap, so backpressure shows even when a busy machine oversleeps).
// The queue between them holds 4 items: when it is full, `send` blocks and
// the producer slows to the consumers' pace (backpressure). With room for
// 100 the producer races ahead and the backlog piles up in memory. The
// queue is a crossbeam-channel: its `Receiver` may be shared by many
// consumers (std's has one owner, and wrapping it in a Mutex makes the
// consumers queue for the lock). No sentinel: the producer's Sender is
// dropped when it finishes, and each consumer's `recv` then returns `Err`.
// Timeline: with the small queue the producer lane waits on "queue full";
// the consumer lanes wait on "queue empty" only at the start and end.
fn producer_consumer() {
    let watch = Watch::start();
    for capacity in [4, 100] {
        let (tx, rx) = crossbeam_channel::bounded::<u32>(capacity);
        let (sent, taken, most_queued) = (
            AtomicUsize::new(0),
            AtomicUsize::new(0),
            AtomicUsize::new(0),
        );
        let blocked_us = AtomicU64::new(0);
        let started = Instant::now();
        let waiting = info_span!("thread::scope", waiting_on = "producer and consumers").entered();
        let handled: Vec<usize> = thread::scope(|s| {
            let (sent, taken, most_queued, blocked_us) = (&sent, &taken, &most_queued, &blocked_us);
            named(s, "producer", move || {
                for item in 0..24 {
                    produce(item);
                    let asked = Instant::now();
                    {
                        let _waiting = info_span!("send", waiting_on = "queue full").entered();
                        tx.send(item).expect("the consumers are alive");
                    }
                    blocked_us.fetch_add(asked.elapsed().as_micros() as u64, Ordering::Relaxed);
                    let queued = (sent.fetch_add(1, Ordering::SeqCst) + 1)
                        .saturating_sub(taken.load(Ordering::SeqCst));
                    most_queued.fetch_max(queued, Ordering::SeqCst);
                }
            }); // `tx` is dropped here: the channel closes once it is drained
            let consumers: Vec<_> = (0..3)
                .map(|c| {
                    let rx = &rx;
                    named(s, &format!("consumer-{c}"), move || {
                        let mut handled = 0;
                        loop {
                            let next = {
                                let _waiting =
                                    info_span!("recv", waiting_on = "queue empty").entered();
                                rx.recv()
                            };
                            let Ok(item) = next else { break };
                            taken.fetch_add(1, Ordering::SeqCst);
                            consume(item);
                            handled += 1;
                        }
                        handled
                    })
                })
                .collect();
            consumers
                .into_iter()
                .map(|c| c.join().expect("no panic"))
                .collect()
        });
        drop(waiting);
        println!(
            "queue of {capacity:>3}: 24 items in {:>3} ms; producer blocked {:>3} ms in send; at most {:>2} waiting in the queue; consumers handled {handled:?}",
            started.elapsed().as_millis(),
            blocked_us.load(Ordering::Relaxed) / 1000,
            most_queued.load(Ordering::SeqCst),
        );
    }
    println!(
        "{}",
        one_run(
            &watch.finish(),
            &format!(
                "producing alone takes {} ms; consuming takes 24 × {} ms / 3 = {} ms: the consumers set the pace",
                24 * PRODUCE_MS,
                CONSUME_MS,
                24 * CONSUME_MS / 3
            ),
        )
    );
}

/// What one item costs to make and to handle, in ms.
const PRODUCE_MS: u64 = 2;
const CONSUME_MS: u64 = 20;

fn produce(item: u32) {
    let _work = info_span!("produce", item).entered();
    thread::sleep(Duration::from_millis(PRODUCE_MS));
}

fn consume(item: u32) {
    let _work = info_span!("consume", item).entered();
    thread::sleep(Duration::from_millis(CONSUME_MS));
}

// ── async_worker_pool ──
// A pool of async workers with a life cycle: `start` spawns N worker tasks
// reading one bounded job queue; `submit` queues a job and returns a
// oneshot receiver for its answer; the caller waits for the whole batch
// with a timeout; `shutdown` closes the queue, and each worker finishes
// what is queued and returns how many jobs it did. No sentinels: a closed
// channel is the stop signal.
// Timeline: three `worker` task lanes waiting in turn on `the next job` and
// on `the job's I/O`; the `submitter` waits on `room in the queue`, then on
// `the batch's answers`, then on `the workers to finish`. The pool itself is
// in `05_advanced_concurrency/worker_pool.rs`.
fn async_worker_pool() {
    let watch = Watch::start();
    let started = Instant::now();
    let main = async {
        let pool = WorkerPool::start(3, 4);
        let mut answers = Vec::new();
        for id in 0..12 {
            let cost = Duration::from_millis(10 + u64::from(id % 4) * 10);
            answers.push(pool.submit(id, cost).await);
        }
        let submitted = started.elapsed();
        let all_answers = futures::future::join_all(answers)
            .instrument(info_span!("answers", waiting_on = "the batch's answers"));
        let batch = tokio::time::timeout(Duration::from_secs(5), all_answers)
            .await
            .expect("the batch finished within 5 s");
        let batch_done = started.elapsed();
        let first = batch
            .first()
            .and_then(|a| a.as_ref().ok())
            .cloned()
            .unwrap_or_default();
        let per_worker = pool.shutdown().await;
        println!(
            "submitted 12 jobs by {} ms (the queue of 4 pushed back)",
            submitted.as_millis()
        );
        println!(
            "batch of {} answers at {} ms (300 ms of work / 3 workers = 100 ms); first: {first}",
            batch.iter().filter(|a| a.is_ok()).count(),
            batch_done.as_millis()
        );
        println!(
            "shutdown: jobs per worker {per_worker:?}, all stopped at {} ms",
            started.elapsed().as_millis()
        );
    };
    let waiting = info_span!("block_on", waiting_on = "submitter task").entered();
    runtime().block_on(main.instrument(info_span!("submitter", task = "submitter")));
    drop(waiting);
    println!(
        "{}",
        one_run(
            &watch.finish(),
            "12 jobs of 10-40 ms, 300 ms in all, on 3 workers: about 100 ms",
        )
    );
}

// ── hybrid ──
// Processes for isolation, and inside each process the right tool for its
// job: the parent starts this same program twice in worker mode; one child
// runs a rayon pool over CPU work, the other a tokio runtime with 20
// concurrent "requests". Each child prints one result line; the parent
// waits for it with a deadline, and kills and reaps a child on every path
// (see `05_advanced_concurrency/hybrid.rs`). In Python this layering is how
// you get both parallelism and many connections; in Rust one process can
// already do both, so reach for processes when you need them apart.
// Timeline: two child process lanes under the parent: `pool-0`/`pool-1`
// running chunks, and 20 `request` task lanes on one thread, each waiting
// on `the server` for 20-40 ms.
fn hybrid() {
    let watch = Watch::start();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(10);
    let mut children = Vec::new();
    for kind in ["threads", "async"] {
        match hybrid::spawn_worker(kind) {
            Ok(mut child) => {
                let lines = child.lines();
                children.push((kind, child, lines));
            }
            Err(err) => {
                println!("could not start the {kind} worker: {err}");
                return; // children started so far are killed and reaped on drop
            }
        }
    }
    for (kind, child, lines) in &mut children {
        let _waiting = info_span!("wait", waiting_on = %format!("worker {kind}")).entered();
        match lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) => println!("{kind:>7} child (pid {:>6}) says: {line}", child.0.id()),
            Err(_) => println!("{kind:>7} child: no answer within 10 s; it will be killed"),
        }
        if !child.wait_until(deadline) {
            println!("{kind:>7} child still running at the deadline; killing it");
        }
    }
    drop(children); // kills any child still running, and reaps every one
    println!(
        "both children finished and were reaped at {} ms",
        started.elapsed().as_millis()
    );
    println!(
        "{}",
        one_run(
            &watch.finish(),
            "each child's time counts from its own start; the parent's includes starting both",
        )
    );
}

// ── cpu_and_io ──
// An async service whose requests each need 60 ms of CPU. Run 1 hands the
// CPU part to a rayon pool and awaits a oneshot (async → pool); the pool
// reports progress back through an unbounded tokio channel, whose `send` is
// a plain function a pool thread can call (pool → async). Run 2 does the CPU
// work inline in the tasks, blocking tokio's two worker threads. A heartbeat
// task ticks every 10 ms and records how late it fires: that is what the
// other I/O in the service would feel. The two runs take turns for five
// rounds; the lateness printed is the median over the rounds, with its spread.
// Timeline: run 1, `rayon-0`/`rayon-1` lanes busy while the request tasks
// wait on `the answer from rayon` and the heartbeat task keeps ticking; run
// 2, the request tasks hog the tokio workers and the heartbeat lane has a
// long gap.
fn cpu_and_io() {
    use workbook_trace::measuring::{RUNS, Summary};
    let pool = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .thread_name(|i| format!("rayon-{i}"))
            .build()
            .expect("a rayon pool"),
    );
    let runtime = runtime();
    let watch = Watch::start();
    // Per way (offloaded, inline): each run's worst lateness and duration, in ms.
    let (mut late, mut took) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    let mut messages = Vec::new();
    let mut example = None;
    for round in 1..=RUNS {
        let mut parts = Vec::new();
        for (way, offload) in [true, false].into_iter().enumerate() {
            let (worst_late, progress, requests_took) = serve(&runtime, &pool, offload);
            late[way].push(worst_late.as_secs_f64() * 1e3);
            took[way].push(requests_took.as_secs_f64() * 1e3);
            parts.push(format!(
                "{} {:>5.1} ms, heartbeat {:>5.1} ms late",
                if offload { "on rayon" } else { "inline" },
                requests_took.as_secs_f64() * 1e3,
                worst_late.as_secs_f64() * 1e3
            ));
            if offload {
                messages.push(progress.len());
                example = example.or(progress.into_iter().next());
            }
        }
        println!("  round {round}: 4 requests {}", parts.join("; "));
    }
    let machine = watch.finish();
    let late: Vec<Summary> = late.iter().map(|l| Summary::of(l).expect("ran")).collect();
    for (way, how) in ["CPU on rayon, awaited", "CPU inline in the tasks"]
        .iter()
        .enumerate()
    {
        let t = Summary::of(&took[way]).expect("ran");
        let pool_note = if way == 0 {
            let each = if messages.iter().all(|&m| m == 4) {
                "4".to_string()
            } else {
                format!("{messages:?}")
            };
            format!("; {each} progress messages from the pool each run")
        } else {
            String::new()
        };
        println!(
            "{how:<24}: heartbeat at most {} late; 4 requests in {:.0} ms (median){pool_note}",
            late[way].figure(0, " ms"),
            t.median
        );
    }
    if let Some(line) = example {
        println!("  e.g. {line}");
    }
    println!(
        "  {RUNS} rounds, the two ways taking turns; {}",
        machine.brief()
    );
    // The conclusion these numbers support, not the one the lesson hopes for.
    let (offloaded, inline) = (late[0].median, late[1].median);
    if inline > offloaded * 2.0 && inline > 20.0 {
        println!(
            "So: inline CPU work made the heartbeat up to {inline:.0} ms late (median), against {offloaded:.0} ms with it on rayon: keep CPU work off the async workers."
        );
    } else {
        println!(
            "These runs did not show it: the heartbeat was at most {inline:.0} ms late inline and {offloaded:.0} ms offloaded (medians; free cores can hide the blocking; run it again, or on a busier machine)."
        );
    }
    if let Some(caution) = machine.caution(&[]) {
        println!("{caution}");
    }
}

/// One run of `cpu_and_io`: four requests of 60 ms of CPU each, offloaded to
/// `pool` or done inline, while a heartbeat ticks. Returns the heartbeat's
/// worst lateness, the pool's progress messages and how long the requests
/// took.
fn serve(
    runtime: &tokio::runtime::Runtime,
    pool: &Arc<rayon::ThreadPool>,
    offload: bool,
) -> (Duration, Vec<String>, Duration) {
    let started = Instant::now();
    let waiting = info_span!("block_on", waiting_on = "requests").entered();
    let outcome = runtime.block_on(async {
        let heartbeat =
            tokio::spawn(heartbeat().instrument(info_span!("heartbeat", task = "heartbeat")));
        let (progress_tx, mut progress_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        let log = tokio::spawn(
            async move {
                let mut lines = Vec::new();
                while let Some(line) = progress_rx
                    .recv()
                    .instrument(info_span!("recv", waiting_on = "progress from the pool"))
                    .await
                {
                    lines.push(line);
                }
                lines
            }
            .instrument(info_span!("progress", task = "progress log")),
        );
        let mut requests = JoinSet::new();
        for id in 0..4 {
            let (pool, progress_tx) = (pool.clone(), progress_tx.clone());
            let request = async move {
                if offload {
                    let (done_tx, done_rx) = oneshot::channel();
                    pool.spawn(move || {
                        let result = crunch(id);
                        let me = thread::current().name().unwrap_or("?").to_string();
                        let _ = progress_tx.send(format!("request {id} crunched on {me}"));
                        let _ = done_tx.send(result);
                    });
                    done_rx
                        .instrument(info_span!("oneshot", waiting_on = "the answer from rayon"))
                        .await
                        .expect("the pool ran the job")
                } else {
                    crunch(id) // blocks this tokio worker thread for 60 ms
                }
            };
            requests
                .spawn(request.instrument(info_span!("request", task = %format!("request {id}"))));
        }
        drop(progress_tx);
        requests.join_all().await;
        let requests_took = started.elapsed();
        let progress = log.await.expect("no panic");
        (heartbeat.await.expect("no panic"), progress, requests_took)
    });
    drop(waiting);
    outcome
}

/// Ticks every 10 ms for 150 ms (longer than the four requests take on
/// two threads); returns the worst lateness.
async fn heartbeat() -> Duration {
    let mut worst = Duration::ZERO;
    let mut next = tokio::time::Instant::now();
    for _ in 0..15 {
        next += Duration::from_millis(10);
        tokio::time::sleep_until(next).await;
        worst = worst.max(next.elapsed());
    }
    worst
}

/// 60 ms of CPU work standing in for parsing, hashing, resizing...
fn crunch(id: u64) -> u64 {
    let _work = info_span!("crunch", id).entered();
    let until = Instant::now() + Duration::from_millis(60);
    let mut x = id;
    while Instant::now() < until {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    }
    x
}

// ── graceful_shutdown ──
// Structured concurrency: no task outlives the code that started it, and
// every task's result or error comes back. `thread::scope` does it for
// threads: the scope joins them all before it returns, so they may borrow
// local data. For tasks, a `JoinSet` owns them and a `CancellationToken`
// asks them to stop: each task `select!`s on the token, flushes, returns.
// One task fails on its own (its error is collected, not lost); one ignores
// the token and is aborted after a 200 ms grace period. Dropping a JoinSet
// also aborts whatever is still in it.
// Timeline: the `poller` task lanes wait on `the next reading` until the
// "shutdown" mark, then on `the flush`; `poller 3` waits on `the server` and
// fails; `stubborn` waits on `a 10 s sleep` until it is aborted at 300 ms.
fn graceful_shutdown() {
    let watch = Watch::start();
    let readings: Vec<u64> = (1..=1000).collect();
    let (left, right) = readings.split_at(500);
    let waiting = info_span!("thread::scope", waiting_on = "two halves").entered();
    let (a, b) = thread::scope(|s| {
        let a = named(s, "left-half", || left.iter().sum::<u64>());
        let b = named(s, "right-half", || right.iter().sum::<u64>());
        (a.join().expect("no panic"), b.join().expect("no panic"))
    });
    drop(waiting);
    println!(
        "thread::scope: halves {a} + {b} = {}; both threads ended before the scope returned",
        a + b
    );

    let waiting = info_span!("block_on", waiting_on = "tasks").entered();
    runtime().block_on(async {
        let token = CancellationToken::new();
        let mut tasks = JoinSet::new();
        let mut names = HashMap::new();
        for id in 0..3 {
            let stop = token.child_token();
            let handle = tasks.spawn(poller(id, stop).instrument(info_span!("poller", task = %format!("poller {id}"))));
            names.insert(handle.id(), format!("poller {id}"));
        }
        let failing = async {
            tokio::time::sleep(Duration::from_millis(30))
                .instrument(info_span!("connect", waiting_on = "the server"))
                .await;
            Err(String::from("connection refused"))
        };
        let handle = tasks.spawn(failing.instrument(info_span!("poller", task = "poller 3")));
        names.insert(handle.id(), "poller 3".into());
        let stubborn = async {
            tokio::time::sleep(Duration::from_secs(10)) // never looks at the token
                .instrument(info_span!("sleep", waiting_on = "a 10 s sleep"))
                .await;
            Ok(0)
        };
        let handle = tasks.spawn(stubborn.instrument(info_span!("stubborn", task = "stubborn")));
        names.insert(handle.id(), "stubborn".into());

        // Collect outcomes as they come; at 100 ms ask everyone to stop, and
        // 200 ms later abort whoever has not.
        let started = Instant::now();
        let shutdown = tokio::time::sleep(Duration::from_millis(100));
        let grace_over = tokio::time::sleep(Duration::from_millis(300));
        tokio::pin!(shutdown, grace_over);
        let (mut cancelled, mut aborted) = (false, false);
        let at = || format!("{:>3} ms", started.elapsed().as_millis());
        loop {
            tokio::select! {
                next = tasks.join_next_with_id() => {
                    let Some(next) = next else { break };
                    let (id, outcome) = match next {
                        Ok((id, Ok(polls))) => (id, format!("stopped cleanly after {polls} polls")),
                        Ok((id, Err(err))) => (id, format!("failed on its own: {err}")),
                        Err(err) if err.is_cancelled() => (err.id(), "aborted: it ignored the token".into()),
                        Err(err) => (err.id(), format!("panicked: {err}")),
                    };
                    println!("  {}  {:<9} {outcome}", at(), names[&id]);
                }
                () = &mut shutdown, if !cancelled => {
                    cancelled = true;
                    tracing::info!("shutdown");
                    println!("  {}  shutdown: token.cancel(), 200 ms of grace", at());
                    token.cancel();
                }
                () = &mut grace_over, if !aborted => {
                    aborted = true;
                    println!("  {}  grace period over: abort_all()", at());
                    tasks.abort_all();
                }
            }
        }
        println!("  {}  every task accounted for: none left running", at());
    });
    drop(waiting);
    println!(
        "{}",
        one_run(
            &watch.finish(),
            "the times are timers: shutdown at 100 ms, abort at 300 ms",
        )
    );
}

async fn poller(id: u32, stop: CancellationToken) -> Result<u32, String> {
    let mut polls = 0;
    loop {
        tokio::select! {
            () = stop.cancelled() => {
                let flush = tokio::time::sleep(Duration::from_millis(5 + u64::from(id) * 5));
                flush.instrument(info_span!("flush", waiting_on = "the flush")).await;
                return Ok(polls);
            }
            () = tokio::time::sleep(Duration::from_millis(15))
                .instrument(info_span!("poll", waiting_on = "the next reading")) => polls += 1,
        }
    }
}

// ── debugging ──
// Three habits that make concurrent bugs findable. Name every thread and
// put the name in every log line. Put spans around work and waits (this
// workbook's timeline is built from nothing else). And give every wait a
// timeout, so a hang turns into a message instead of a frozen program. The
// hang here is a classic: `summer` adds up numbers until its channel
// closes, but `main` still holds a Sender, so it never closes. The timeout
// catches it, the log says who is stuck where, and dropping the Sender
// fixes it. Then the same with `tokio::time::timeout` around a reply that
// never comes.
// Timeline: `summer` waits on "jobs channel" and main on "total from
// summer" until the timeout mark; after `drop(jobs)` both finish at once.
// Then the `asker` task lane waits on "a reply" until its timeout mark.
fn debugging() {
    LazyLock::force(&STARTED);
    let (jobs, inbox) = mpsc::channel::<u64>();
    let (total_tx, total_rx) = mpsc::channel::<u64>();
    let summer = thread::Builder::new()
        .name("summer".into())
        .spawn(move || {
            log("started; adding up jobs until the channel closes");
            let mut total = 0;
            loop {
                let next = {
                    let _waiting = info_span!("recv", waiting_on = "jobs channel").entered();
                    inbox.recv()
                };
                let Ok(n) = next else { break };
                total += n;
            }
            log("channel closed; sending the total");
            let _ = total_tx.send(total);
        })
        .expect("spawn summer");
    for n in 1..=10 {
        jobs.send(n).expect("summer is alive");
    }
    log("sent 10 jobs; waiting for the total (at most 300 ms)");
    let wait_for_total = |limit| {
        let _waiting = info_span!("recv", waiting_on = "total from summer").entered();
        total_rx.recv_timeout(limit)
    };
    if let Ok(total) = wait_for_total(Duration::from_millis(300)) {
        log(&format!("total {total}"));
    } else {
        log("HANG: no total after 300 ms. summer is still in recv() on the jobs channel,");
        log("      which stays open while any Sender lives: main still holds `jobs`");
    }
    drop(jobs); // the fix: close the channel
    match wait_for_total(Duration::from_secs(2)) {
        Ok(total) => log(&format!("after drop(jobs): total {total}")),
        Err(err) => log(&format!("still no total: {err}")),
    }
    summer.join().expect("summer did not panic");

    let waiting = info_span!("block_on", waiting_on = "the asker task").entered();
    let asker = async {
        let (reply_tx, reply_rx) = oneshot::channel::<u64>();
        let forgotten = reply_tx; // kept alive, never used: nobody will answer
        let waited = Instant::now();
        let reply = reply_rx.instrument(info_span!("reply", waiting_on = "a reply"));
        match tokio::time::timeout(Duration::from_millis(200), reply).await {
            Ok(reply) => log(&format!("reply: {reply:?}")),
            Err(_) => log(&format!(
                "timeout: no reply after {} ms; the sender is alive but unused",
                waited.elapsed().as_millis()
            )),
        }
        drop(forgotten);
    };
    runtime().block_on(asker.instrument(info_span!("asker", task = "asker")));
    drop(waiting);
}

static STARTED: LazyLock<Instant> = LazyLock::new(Instant::now);

fn log(message: &str) {
    let me = thread::current();
    println!(
        "[{:>6.1} ms] [{:<7}] {message}",
        STARTED.elapsed().as_secs_f64() * 1000.0,
        me.name().unwrap_or("unnamed")
    );
    tracing::info!(message);
}

// ── testing_concurrency ──
// Four ways to test concurrent code, each run here on a small bug
// (`05_advanced_concurrency/testing.rs`). A deadline turns the `debugging`
// demo's hang into a failure. Paused time (tokio's `start_paused`) checks a
// retry backoff of 100/200/400 ms exactly, in microseconds of real time.
// loom tries every interleaving of a small model: it finds the lost update
// and lesson 04's Relaxed publish bug. Stress runs the same two bugs for
// real, 300 times each: the lost update shows up, the publish bug (on x86)
// does not. Then what each technique catches and misses.
// Timeline: two `summer` lanes waiting on the jobs channel while main waits
// on the answer (the first until its 200 ms deadline); then main busy in
// `loom::model` and `stress runs`.
fn testing_concurrency() {
    testing::run();
}

// ── pipeline ──
// Four stages on their own threads, connected by bounded channels: `read`
// (0.5 ms of I/O a record) → `parse` → `transform` (2 ms of CPU) → `write`
// (1 ms of I/O). Each stage measures its busy time, so its own throughput
// is printed next to the pipeline's: the slowest stage sets the pace, and
// the stages before it wait on "queue full". The second way gives the slow
// stage two threads reading one queue. The two ways take turns for five
// rounds; each figure is the median round's, with the spread and the load.
// Timeline: `transform` lanes busy end to end; `read` and `write` waiting
// (their I/O is a sleep, and on their queues); `parse` waiting on queues.
// Main waits in `thread::scope` here, as in every demo of this lesson.
fn pipeline() {
    use workbook_trace::measuring::{RUNS, Summary, alternate};
    const RECORDS: u32 = 60;
    println!("{RECORDS} records through the pipeline, 1 and 2 transform threads taking turns:");
    let watch = Watch::start();
    // Per way: each round's stage reports.
    let mut reports: [Vec<Vec<Report>>; 2] = [Vec::new(), Vec::new()];
    let mut round = 0;
    let seconds = alternate(RUNS, 2, |way| {
        let (took, stages) = run_pipeline(RECORDS, way + 1);
        if way == 0 {
            round += 1;
            print!(
                "  round {round}: 1 transform thread {:>5.1} ms, ",
                took * 1e3
            );
        } else {
            println!("2 transform threads {:>5.1} ms", took * 1e3);
        }
        reports[way].push(stages);
        Ok(took)
    })
    .expect("the runs cannot fail");
    let machine = watch.finish();
    for (way, rounds) in reports.iter().enumerate() {
        let rates: Vec<f64> = seconds[way]
            .iter()
            .map(|t| f64::from(RECORDS) / t)
            .collect();
        let rate = Summary::of(&rates).expect("ran");
        println!(
            "{} transform thread(s): {RECORDS} records, {}",
            way + 1,
            rate.figure(0, " records/s")
        );
        for stage in 0..rounds[0].len() {
            let items: usize = rounds.iter().map(|r| r[stage].items).sum();
            let alone: Vec<f64> = rounds
                .iter()
                .map(|r| &r[stage])
                .filter(|r| r.items > 0)
                .map(|r| r.items as f64 / r.busy.as_secs_f64().max(1e-9))
                .collect();
            let Some(alone) = Summary::of(&alone) else {
                println!(
                    "  {:<11} {items:>3} records over {RUNS} runs",
                    rounds[0][stage].stage
                );
                continue;
            };
            println!(
                "  {:<11} {items:>3} records over {RUNS} runs → {} on its own",
                rounds[0][stage].stage,
                alone.figure(0, " records/s")
            );
        }
    }
    // The conclusion these numbers support: a second transformer helps only
    // if transforming was the slowest stage.
    let gain = Summary::of_ratios(&seconds[0], &seconds[1]).expect("ran");
    println!(
        "a second transform thread: {} the throughput, round by round; {}",
        gain.figure(2, "×"),
        machine.brief()
    );
    if gain.max > 2.0 {
        // write (1 ms a record) caps two transformers at 1,000 records/s,
        // twice one transformer's 500: more than 2× is the one-thread run's loss.
        println!(
            "(a round above 2× is not the second thread's doing: `write` caps the pipeline at 1,000 records/s, twice what one `transform` can do, so that round's one-thread run lost time to something else: other programs, or sleeps that overslept)"
        );
    }
    if gain.median >= 1.3 {
        println!("So: transforming was the bottleneck, and a second thread on it paid.");
    } else if machine.busy() {
        println!(
            "So: nothing to conclude this time: other programs kept the cores busy, every stage waited for one, and the figures say more about the machine than about the pipeline."
        );
    } else {
        println!(
            "So: little or nothing: the slowest stage (see 'on its own') was elsewhere. While measuring: {}.",
            machine.describe()
        );
    }
    // On a busy machine the other stages queue for a core too, and the
    // figures say more about the machine than about the pipeline.
    if let Some(caution) = machine.caution(&[&gain]) {
        println!("{caution}");
    }
}

/// One run of the pipeline with `transformers` transform threads: its
/// seconds and each stage worker's report.
fn run_pipeline(records: u32, transformers: usize) -> (f64, Vec<Report>) {
    // crossbeam-channel: several workers of a stage may share one Receiver.
    let (to_parse, parse_in) = crossbeam_channel::bounded::<String>(8);
    let (to_transform, transform_in) = crossbeam_channel::bounded::<(u32, u64)>(8);
    let (to_write, write_in) = crossbeam_channel::bounded::<u64>(8);
    let started = Instant::now();
    let waiting = info_span!("thread::scope", waiting_on = "stages").entered();
    let reports = thread::scope(|s| {
        let read = named(s, "read", move || {
            let mut busy = Duration::ZERO;
            for i in 0..records {
                let t = Instant::now();
                let record = {
                    let _io = info_span!("read", i, waiting_on = "disk (sleep)").entered();
                    thread::sleep(Duration::from_micros(500));
                    format!("{i},{}", u64::from(i) * 7)
                };
                busy += t.elapsed();
                let _waiting = info_span!("send", waiting_on = "parse queue full").entered();
                to_parse.send(record).expect("parse is alive");
            }
            Report {
                stage: "read".into(),
                items: records as usize,
                busy,
            }
        });
        let (parse_in, transform_in, write_in) = (&parse_in, &transform_in, &write_in);
        let parse = named(s, "parse", move || {
            run_stage("parse", parse_in, Some(&to_transform), |line: String| {
                let (i, value) = line.split_once(',').expect("i,value");
                (
                    i.parse().expect("a number"),
                    value.parse().expect("a number"),
                )
            })
        });
        let transform: Vec<_> = (0..transformers)
            .map(|t| {
                let to_write = to_write.clone();
                named(s, &format!("transform-{t}"), move || {
                    run_stage(
                        "transform",
                        transform_in,
                        Some(&to_write),
                        |(i, value): (u32, u64)| {
                            crunch_for(u64::from(i) ^ value, Duration::from_millis(2))
                        },
                    )
                })
            })
            .collect();
        drop(to_write);
        let write = named(s, "write", move || {
            run_stage(
                "write",
                write_in,
                None::<&crossbeam_channel::Sender<()>>,
                |_: u64| {
                    let _io = info_span!("write", waiting_on = "disk (sleep)").entered();
                    thread::sleep(Duration::from_millis(1));
                },
            )
        });
        let mut reports = vec![
            read.join().expect("no panic"),
            parse.join().expect("no panic"),
        ];
        reports.extend(transform.into_iter().map(|t| t.join().expect("no panic")));
        reports.push(write.join().expect("no panic"));
        reports
    });
    drop(waiting);
    (started.elapsed().as_secs_f64(), reports)
}

struct Report {
    stage: String,
    items: usize,
    busy: Duration,
}

/// One worker of a stage: receive, work, send on, until the input closes.
fn run_stage<I, O>(
    stage: &'static str,
    input: &crossbeam_channel::Receiver<I>,
    output: Option<&crossbeam_channel::Sender<O>>,
    work: impl Fn(I) -> O,
) -> Report {
    let (mut items, mut busy) = (0, Duration::ZERO);
    loop {
        let next = {
            let _waiting =
                info_span!("recv", waiting_on = %format!("{stage} queue empty")).entered();
            input.recv()
        };
        let Ok(item) = next else { break };
        let t = Instant::now();
        let out = {
            let _work = info_span!("work", stage).entered();
            work(item)
        };
        busy += t.elapsed();
        items += 1;
        if let Some(output) = output {
            let _waiting = info_span!("send", waiting_on = "next queue full").entered();
            output.send(out).expect("the next stage is alive");
        }
    }
    let worker = thread::current().name().unwrap_or(stage).to_string();
    Report {
        stage: worker,
        items,
        busy,
    }
}

fn crunch_for(seed: u64, duration: Duration) -> u64 {
    let until = Instant::now() + duration;
    let mut x = seed;
    while Instant::now() < until {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    }
    x
}
