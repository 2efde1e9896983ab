//! # Lesson 02 · Processes
//!
//! A process is a running program with memory of its own. In Python,
//! processes are how CPU-bound work gets past the GIL. Rust has no GIL:
//! threads already run on every core (lesson 01), and the pool demo below
//! measures that a pool of processes buys no speed over a pool of threads.
//! In Rust you start a process for what only a process gives: isolation (a
//! crash, an abort or corrupted memory in the child cannot take the parent
//! down; a hung child can be killed), and running another program.
//!
//! Every child in this lesson is this same program, started again with
//! `worker <kind>` as its first arguments (see `worker.rs`): that replaces
//! Python's fork and its `if __name__ == "__main__"` guard. The parent's
//! toolbox (`children.rs`) makes sure each child is waited for with a
//! deadline, and killed and reaped on every path.
use std::io::{self, BufRead, BufReader, Write};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use tracing::{Instrument, info_span};
use workbook_trace::lesson::{Demo, run_demos};
use workbook_trace::measuring::{RUNS, Summary, Watch, measured_at, one_run, timed};

#[path = "02_multiprocessing_basics/children.rs"]
mod children;
#[path = "02_multiprocessing_basics/worker.rs"]
mod worker;

use children::{
    KillOnDrop, describe, forward_lines, output_timeout, wait_timeout, worker as worker_command,
};

/// The longest any single wait in this lesson may take.
const LIMIT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    let _recording = workbook_trace::record::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("worker") {
        return worker::main(&args[1..]);
    }
    run_demos("02_multiprocessing_basics", DEMOS)
}

#[rustfmt::skip]
const DEMOS: &[Demo] = &[
    Demo { name: "spawn_wait", covers: "M1, M2", run: || check(spawn_wait()) },
    Demo { name: "message_queue", covers: "M3", run: || check(message_queue()) },
    Demo { name: "pipe_between", covers: "M4", run: || check(pipe_between()) },
    Demo { name: "actor_manager", covers: "M6, M5", run: || check(actor_manager()) },
    Demo { name: "process_pool", covers: "M7, C2", run: || check(process_pool()) },
    Demo { name: "crash_isolation", covers: "M8", run: || check(crash_isolation()) },
    Demo { name: "kill_on_timeout", covers: "M10", run: || check(kill_on_timeout()) },
    Demo { name: "spawn_cost", covers: "M9", run: || check(spawn_cost()) },
];

/// A demo that fails says why and ends the lesson with a non-zero status.
/// The panic unwinds, so every `KillOnDrop` still kills and reaps its child.
fn check(result: io::Result<()>) {
    if let Err(err) = result {
        panic!("this demo failed: {err}");
    }
}

fn timed_out(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        format!("no answer from {what} within {LIMIT:?}"),
    )
}

// ── spawn_wait ──
// Start three children at once, wait for each, read its exit status. Then
// run another program and read its output and exit code.
// Timeline: three process lanes appear, each with one `work` span, a
// sleep standing in for work (so drawn as waiting); they overlap. The
// parent's lane waits on worker 1, then 2, then 3.
fn spawn_wait() -> io::Result<()> {
    let watch = Watch::start();
    let started = Instant::now();
    let mut workers = Vec::new();
    for (n, ms) in [(1, 300), (2, 200), (3, 100)] {
        let child = KillOnDrop::spawn(&mut worker_command(&[
            "greet",
            &n.to_string(),
            &ms.to_string(),
        ]))?;
        println!(
            "parent: started worker {n} ({ms} ms of work) as process {}",
            child.id()
        );
        workers.push((n, child));
    }
    for (n, mut child) in workers {
        let label = format!("worker {n}");
        let _w = info_span!("wait", waiting_on = label.as_str()).entered();
        let status = wait_timeout(&mut child, LIMIT)?.ok_or_else(|| timed_out(&label))?;
        // When the parent learns of the end: a worker that finished while
        // the parent was waiting on another is reaped only now.
        println!(
            "parent: worker {n} ended with {}, reaped at {} ms",
            describe(status),
            started.elapsed().as_millis()
        );
    }
    println!(
        "300 + 200 + 100 ms of (simulated) work took {} ms: the children ran at the same time",
        started.elapsed().as_millis()
    );
    println!(
        "{}",
        one_run(&watch.finish(), "the times show the shape, not a speed")
    );

    // Any program can be a child; its exit code is how it reports failure.
    let out = output_timeout(Command::new("uname").arg("-sr"), LIMIT)?;
    println!(
        "`uname -sr` printed {:?} and ended with {}",
        String::from_utf8_lossy(&out.stdout).trim(),
        describe(out.status)
    );
    let out = output_timeout(
        Command::new("sh").args(["-c", "echo 'disk full' >&2; exit 3"]),
        LIMIT,
    )?;
    println!(
        "`sh -c ...` ended with {}, stderr {:?}",
        describe(out.status),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(())
}

// ── message_queue ──
// A queue between processes: one message a line over the child's stdin,
// one reply a line back over its stdout. Closing stdin says "no more work",
// so no sentinel is needed.
// Timeline: the child's lane shows one `message` span per line; the parent
// waits for each reply.
fn message_queue() -> io::Result<()> {
    let mut child = KillOnDrop::spawn(
        worker_command(&["upper"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped()),
    )?;
    let (tx, replies) = mpsc::channel();
    forward_lines(child.stdout.take().expect("stdout is piped"), (), tx);
    let mut to_child = child.stdin.take().expect("stdin is piped");
    let messages = [
        "resize photo 1",
        "resize photo 2",
        "resize photo 3",
        "send report",
    ];
    // Four short lines fit in the pipe's buffer (64 KiB on Linux). For large
    // streams, write from another thread so neither side waits on a full pipe.
    for message in messages {
        writeln!(to_child, "{message}")?;
        println!("parent → child: {message}");
    }
    drop(to_child); // end of input: the child's loop over its stdin ends
    for _ in messages {
        let _w = info_span!("recv", waiting_on = "a reply line").entered();
        let ((), reply) = replies
            .recv_timeout(LIMIT)
            .map_err(|_| timed_out("the worker"))?;
        println!("child → parent: {reply}");
    }
    let status = wait_timeout(&mut child, LIMIT)?.ok_or_else(|| timed_out("the worker"))?;
    println!(
        "the worker saw its input end and exited: {}",
        describe(status)
    );
    Ok(())
}

// ── pipe_between ──
// A pipe from one child to another: the producer's stdout becomes the
// consumer's stdin, like `produce | consume` in a shell. The parent only
// wires them up and waits; the data never passes through it.
// Timeline: `produce` and `consume` spans alternate on two process lanes.
fn pipe_between() -> io::Result<()> {
    let mut producer = KillOnDrop::spawn(worker_command(&["produce", "8"]).stdout(Stdio::piped()))?;
    let pipe = producer.stdout.take().expect("stdout is piped");
    let mut consumer = KillOnDrop::spawn(worker_command(&["consume"]).stdin(Stdio::from(pipe)))?;
    // The parent holds no end of the pipe now, so when the producer exits the
    // consumer reads end-of-file.
    for (name, child) in [("producer", &mut producer), ("consumer", &mut consumer)] {
        let _w = info_span!("wait", waiting_on = name).entered();
        let status = wait_timeout(child, LIMIT)?.ok_or_else(|| timed_out(name))?;
        println!("{name}: {}", describe(status));
    }
    Ok(())
}

// ── actor_manager ──
// Python's `Manager`: one process owns the state and others send it requests.
// Here a counter server listens on a Unix socket; three client processes send
// it 50 increments each. Inside the server one thread owns the map (an
// actor), so no lock is needed. Then: what a request costs, against an add
// to an atomic shared by threads of one process, five runs of each taking
// turns (medians printed, with their spread and the machine's load).
// Timeline: four new process lanes. Clients wait (`reply`) while the
// server's `owner` thread handles one `request` at a time.
fn actor_manager() -> io::Result<()> {
    const REQUESTS: u32 = 200;
    const ADDS: u32 = 300_000;
    let socket = children::TempPath::new("counter.sock");
    let path = socket.to_str().expect("a UTF-8 temp path");
    let mut server = KillOnDrop::spawn(&mut worker_command(&["counter-server", path]))?;
    let mut connection = children::connect_within(&socket, LIMIT)?;
    let clients = ["a", "b", "c"]
        .map(|name| KillOnDrop::spawn(&mut worker_command(&["counter-client", path, name, "50"])));
    for client in clients {
        let mut client = client?;
        let _w = info_span!("wait", waiting_on = "a client").entered();
        wait_timeout(&mut client, LIMIT)?.ok_or_else(|| timed_out("a client"))?;
    }
    let mut reader = BufReader::new(connection.try_clone()?);
    let mut reply = String::new();
    // Five runs of each, taking turns: a batch of requests to the server,
    // then a batch of atomic adds on threads of this process.
    let watch = Watch::start();
    let (mut per_request, mut per_add) = (Vec::new(), Vec::new());
    let hits = AtomicU64::new(0);
    for _ in 0..RUNS {
        let started = Instant::now();
        for _ in 0..REQUESTS {
            writeln!(connection, "get hits")?;
            reply.clear();
            let _w = info_span!("get", waiting_on = "the server's reply").entered();
            reader.read_line(&mut reply)?;
        }
        // In microseconds, the unit printed.
        per_request.push(started.elapsed().as_secs_f64() * 1e6 / f64::from(REQUESTS));
        let (took, ()) = timed(|| add_on_threads(&hits, 3, ADDS));
        per_add.push(took * 1e6 / f64::from(3 * ADDS));
    }
    let conditions = watch.finish();
    println!(
        "parent: the server says hits = {} (3 clients × 50)",
        reply.trim()
    );
    writeln!(connection, "shutdown")?;
    let status = wait_timeout(&mut server, LIMIT)?.ok_or_else(|| timed_out("the server"))?;
    println!("server: {}", describe(status));

    let (Some(request), Some(add)) = (Summary::of(&per_request), Summary::of(&per_add)) else {
        return Ok(());
    };
    println!(
        "one request to the server process: {} ({REQUESTS} requests a run)",
        request.figure(1, " µs")
    );
    println!(
        "one atomic add shared by 3 threads:  {} ({} adds in all)",
        add.figure(3, " µs"),
        hits.load(Ordering::Relaxed)
    );
    println!(
        "  a request cost {:.0} adds (medians)",
        request.median / add.median
    );
    println!("{}", measured_at(&conditions, &[&request, &add]));
    Ok(())
}

/// Inside one process, threads share memory: an atomic is the counter.
/// `threads` threads each add 1 to `hits` `adds` times.
fn add_on_threads(hits: &AtomicU64, threads: u32, adds: u32) {
    let _waiting = info_span!("thread::scope", waiting_on = "adders").entered();
    thread::scope(|s| {
        for i in 0..threads {
            let add = || {
                let _s = info_span!("fetch_add", adds).entered();
                (0..adds).for_each(|_| _ = hits.fetch_add(1, Ordering::Relaxed));
            };
            thread::Builder::new()
                .name(format!("adder-{i}"))
                .spawn_scoped(s, add)
                .expect("the OS gave us a thread");
        }
    });
}

// ── process_pool ──
// A pool of three worker processes. Each gets one job at a time; when a
// result comes back, that worker gets the next job. Results are stored by
// job number, so they come out in order however the jobs finish. Then the
// same jobs on a pool of three threads: in Rust that is just as fast, and
// cheaper. Both pools are started once; the jobs then run five times on
// each, taking turns, and the medians are compared.
// Timeline: three worker process lanes, each five rows of `job` spans;
// between them the same jobs on three `rayon` thread lanes in the parent.
fn process_pool() -> io::Result<()> {
    const WORKERS: usize = 3;
    let jobs: Vec<u64> = (0..12).map(|i| 15_000 + 3_000 * i).collect();
    let watch = Watch::start();
    let started = Instant::now();
    let (tx, results_rx) = mpsc::channel();
    let mut pool = Vec::new();
    let mut stdins = Vec::new();
    for w in 0..WORKERS {
        let mut child = KillOnDrop::spawn(
            worker_command(&["pool", &w.to_string()])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped()),
        )?;
        forward_lines(child.stdout.take().expect("stdout is piped"), w, tx.clone());
        stdins.push(child.stdin.take().expect("stdin is piped"));
        pool.push(child);
    }
    let start_up = started.elapsed();
    let threads = rayon::ThreadPoolBuilder::new()
        .num_threads(WORKERS)
        .thread_name(|i| format!("rayon-{i}"))
        .build()
        .map_err(io::Error::other)?;
    let (mut by_processes, mut by_threads) = (Vec::new(), Vec::new());
    let mut results = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        results = on_processes(&jobs, &mut stdins, &results_rx)?;
        by_processes.push(started.elapsed().as_secs_f64());

        let started = Instant::now();
        let waiting = info_span!("install", waiting_on = "the rayon pool").entered();
        let counted: Vec<u64> = threads.install(|| {
            use rayon::prelude::*;
            jobs.par_iter()
                .map(|&n| {
                    let _s = info_span!("job", n).entered();
                    worker::count_primes(n)
                })
                .collect()
        });
        drop(waiting);
        by_threads.push(started.elapsed().as_secs_f64());
        assert_eq!(counted, results, "threads and processes must agree");
    }
    drop(stdins); // closing their stdin lets the workers exit
    for child in &mut pool {
        let _w = info_span!("wait", waiting_on = "a pool worker to exit").entered();
        wait_timeout(child, LIMIT)?.ok_or_else(|| timed_out("a pool worker"))?;
    }
    let conditions = watch.finish();
    println!("primes below 15,000 .. 48,000, in job order: {results:?}");
    let (Some(processes), Some(in_threads), Some(ratio)) = (
        Summary::of(&by_processes),
        Summary::of(&by_threads),
        Summary::of_ratios(&by_processes, &by_threads),
    ) else {
        return Ok(());
    };
    println!(
        "{WORKERS} worker processes: {} (pipes included; starting them took {:.1} ms, once)",
        processes.scaled(1e3).figure(1, " ms"),
        start_up.as_secs_f64() * 1e3
    );
    println!(
        "{WORKERS} worker threads:   {}, same results, no GIL to get around",
        in_threads.scaled(1e3).figure(1, " ms")
    );
    let cores = thread::available_parallelism().map_or(1, usize::from);
    println!(
        "processes' time over threads': {} on {cores} core(s)",
        ratio.figure(2, "×")
    );
    println!(
        "  (near 1 either way: neither has a lock like the GIL to get around. The same work \
         takes a few percent more or less from one run to the next, so a few percent either way \
         is no difference)"
    );
    println!("{}", measured_at(&conditions, &[&ratio]));
    Ok(())
}

/// Runs `jobs` on the pool of worker processes, one job at a time per
/// worker, the next job to whichever answers; the results in job order.
fn on_processes(
    jobs: &[u64],
    stdins: &mut [std::process::ChildStdin],
    results_rx: &mpsc::Receiver<(usize, String)>,
) -> io::Result<Vec<u64>> {
    let workers = stdins.len();
    let mut next = 0;
    let mut hand_out = |w: usize| -> io::Result<()> {
        if let Some(n) = jobs.get(next) {
            writeln!(stdins[w], "job {next} {n}")?;
            next += 1;
        }
        Ok(())
    };
    for w in 0..workers {
        hand_out(w)?;
    }
    let mut results = vec![0; jobs.len()];
    for _ in 0..jobs.len() {
        let waiting = info_span!("recv", waiting_on = "a result from any worker").entered();
        let (w, line) = results_rx
            .recv_timeout(LIMIT)
            .map_err(|_| timed_out("the pool"))?;
        drop(waiting);
        let parsed = match line.split(' ').collect::<Vec<_>>()[..] {
            ["result", i, count] => i.parse::<usize>().ok().zip(count.parse().ok()),
            _ => None,
        };
        let (i, count) = parsed.ok_or_else(|| io::Error::other(format!("bad result: {line}")))?;
        results[i] = count;
        hand_out(w)?;
    }
    Ok(results)
}

// ── crash_isolation ──
// Three children end badly: one panics, one aborts, one exits with code 3.
// The parent reads each exit status and carries on. Then a thread panics:
// `join` hands the panic back and the process lives on, but an abort in a
// thread would have ended the whole process. Only a process contains that.
// Timeline: three short process lanes that stop abruptly.
fn crash_isolation() -> io::Result<()> {
    for how in ["panic", "abort", "exit"] {
        let out = output_timeout(&mut worker_command(&["crash", how]), LIMIT)?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        // A panic prints a blank line, `thread 'main' (PID) panicked at
        // FILE:LINE:`, then its message: show the message.
        let said = stderr
            .lines()
            .find(|l| !l.trim().is_empty() && !l.contains("panicked at"))
            .unwrap_or("(nothing)");
        println!(
            "child that chose to {how:<5}: {:<32} its stderr: {said}",
            describe(out.status)
        );
    }
    println!("parent: still here");
    // The default hook would print the panic (and, with RUST_BACKTRACE set, a
    // backtrace) to stderr; a one-line hook keeps the output readable.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {
        let me = thread::current();
        println!(
            "[panic hook] thread '{}' panicked",
            me.name().unwrap_or("?")
        );
    }));
    let handle = thread::Builder::new()
        .name("panicky".into())
        .spawn(|| -> u32 { panic!("thread gave up") })?;
    let joined = {
        let _w = info_span!("join", waiting_on = "panicky").entered();
        handle.join()
    };
    std::panic::set_hook(default_hook);
    match joined {
        Ok(_) => println!("the thread did not panic?"),
        Err(payload) => {
            let message = payload.downcast_ref::<&str>().copied().unwrap_or("?");
            println!("a panicking thread: join returned Err({message:?}); the process carries on");
        }
    }
    Ok(())
}

// ── kill_on_timeout ──
// A child that never answers. Wait with a deadline, ask it to stop
// (SIGTERM), and if it will not, kill it (SIGKILL). Then reap it: a child
// that has ended stays a zombie until its parent waits for it.
// Timeline: the `hang` lane waits forever; the parent waits 300 ms, then
// the child's lane ends.
fn kill_on_timeout() -> io::Result<()> {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    let mut child = KillOnDrop::spawn(&mut worker_command(&["hang"]))?;
    let pid = Pid::from_raw(child.id() as i32);
    let waited = {
        let _w = info_span!("wait", waiting_on = "the hanging child (300 ms)").entered();
        wait_timeout(&mut child, Duration::from_millis(300))?
    };
    if let Some(status) = waited {
        println!("it ended by itself: {}", describe(status));
        return Ok(());
    }
    println!("no answer after 300 ms: sending SIGTERM");
    kill(pid, Signal::SIGTERM).map_err(io::Error::from)?;
    let status = if let Some(status) = wait_timeout(&mut child, Duration::from_millis(500))? {
        status
    } else {
        println!("still running: sending SIGKILL, which cannot be ignored");
        child.kill()?;
        child.wait()?
    };
    println!("reaped: {}", describe(status));

    // Reaping, seen from the kernel's side: a child that has ended stays in
    // the process table as a zombie (state Z) until its parent waits for it.
    let mut quick = KillOnDrop::spawn(&mut worker_command(&["noop"]))?;
    let pid = quick.id();
    let deadline = Instant::now() + Duration::from_secs(5);
    while matches!(children::state(pid), Some('R' | 'S' | 'D')) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(2));
    }
    let before = children::state(pid);
    wait_timeout(&mut quick, LIMIT)?;
    let after = children::state(pid);
    let show = |state: Option<char>| state.map_or("gone".to_string(), |s| format!("state {s}"));
    println!(
        "a child that ended: {} before wait (Z = zombie), {} after (reaped, no entry left)",
        show(before),
        show(after)
    );
    Ok(())
}

// ── spawn_cost ──
// What it costs to start one process, one thread and one tokio task (and
// wait for it to end), measured here. Processes cost the most: a new address
// space and a program to load; threads share the process; a task is a small
// allocation that an existing thread polls. Five runs, each measuring all
// four kinds in turn; each figure is the median run's, its spread beside it.
// Timeline: bursts of short process lanes while the parent waits on each;
// then the parent's lane is busy with `threads`, then `tasks`; five times.
// (The runs of `true` record nothing, so they draw no lanes.)
fn spawn_cost() -> io::Result<()> {
    const PROCESSES: u32 = 6;
    const THREADS: u32 = 400;
    const TASKS: u32 = 20_000;
    let runtime = tokio::runtime::Runtime::new()?;
    let watch = Watch::start();
    // Microseconds per start-and-wait: [this program, `true`, thread, task].
    let mut costs: [Vec<f64>; 4] = Default::default();
    for _ in 0..RUNS {
        let started = Instant::now();
        for _ in 0..PROCESSES {
            let _s = info_span!("process", waiting_on = "a child to start and end").entered();
            let mut child = KillOnDrop::spawn(&mut worker_command(&["noop"]))?;
            wait_timeout(&mut child, LIMIT)?.ok_or_else(|| timed_out("a worker"))?;
        }
        costs[0].push(per_unit(PROCESSES, started.elapsed()));
        let started = Instant::now();
        for _ in 0..PROCESSES {
            let out = output_timeout(&mut Command::new("true"), LIMIT)?;
            assert!(out.status.success());
        }
        costs[1].push(per_unit(PROCESSES, started.elapsed()));
        let started = Instant::now();
        {
            let _s = info_span!("threads", n = THREADS).entered();
            for _ in 0..THREADS {
                thread::spawn(|| {})
                    .join()
                    .expect("an empty thread cannot panic");
            }
        }
        costs[2].push(per_unit(THREADS, started.elapsed()));
        let started = Instant::now();
        // `.instrument`, not `.entered()`: a guard held across `.await` stays
        // entered while the future is parked, so the span would claim the thread
        // while other tasks run on it (and in a spawned task that moves between
        // workers, be exited on another thread than the one that entered it).
        let spawn_all = async {
            let tasks: Vec<_> = (0..TASKS).map(|i| tokio::spawn(async move { i })).collect();
            for task in tasks {
                task.await.expect("an empty task cannot panic");
            }
        };
        runtime.block_on(spawn_all.instrument(info_span!("tasks", n = TASKS)));
        costs[3].push(per_unit(TASKS, started.elapsed()));
    }
    let conditions = watch.finish();
    println!("start and wait for one ...            µs    (× a task)   µs, min–max of {RUNS} runs");
    let mut summaries = Vec::new();
    for (what, us) in [
        "process (this program, worker noop)",
        "process (`true`)",
        "thread",
        "tokio task",
    ]
    .into_iter()
    .zip(&costs)
    {
        let (Some(cost), Some(tasks)) = (Summary::of(us), Summary::of_ratios(us, &costs[3])) else {
            continue;
        };
        println!(
            "  {what:<36} {:>9.1}  {:>9.0}   {:.1}–{:.1}",
            cost.median, tasks.median, cost.min, cost.max
        );
        summaries.push(cost);
    }
    println!("  (medians; the × column is the median run's ratio)");
    let shown: Vec<&Summary> = summaries.iter().collect();
    println!("{}", measured_at(&conditions, &shown));
    Ok(())
}

/// Microseconds per unit when `n` units took `elapsed`.
fn per_unit(n: u32, elapsed: Duration) -> f64 {
    elapsed.as_secs_f64() * 1e6 / f64::from(n)
}
