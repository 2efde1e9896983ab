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
// actor), so no lock is needed. Then: what the same counting costs with an
// atomic shared by threads of one process.
// Timeline: four new process lanes. Clients wait (`reply`) while the
// server's `owner` thread handles one `request` at a time.
fn actor_manager() -> io::Result<()> {
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
    let started = Instant::now();
    let rounds = 200;
    for _ in 0..rounds {
        writeln!(connection, "get hits")?;
        reply.clear();
        let _w = info_span!("get", waiting_on = "the server's reply").entered();
        reader.read_line(&mut reply)?;
    }
    let per_request = started.elapsed() / rounds;
    println!(
        "parent: the server says hits = {} (3 clients × 50)",
        reply.trim()
    );
    writeln!(connection, "shutdown")?;
    let status = wait_timeout(&mut server, LIMIT)?.ok_or_else(|| timed_out("the server"))?;
    println!("server: {}", describe(status));

    // Inside one process, threads share memory: an atomic is the counter.
    let hits = AtomicU64::new(0);
    let adds = 1_000_000;
    let started = Instant::now();
    let waiting = info_span!("thread::scope", waiting_on = "adders").entered();
    thread::scope(|s| {
        for i in 0..3 {
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
    drop(waiting);
    let per_add = started.elapsed() / (3 * adds);
    println!(
        "one request to the server process: {:.1} µs (measured over {rounds})",
        per_request.as_secs_f64() * 1e6
    );
    println!(
        "one atomic add shared by 3 threads:  {:.3} µs ({} adds)",
        per_add.as_secs_f64() * 1e6,
        hits.load(Ordering::Relaxed)
    );
    Ok(())
}

// ── process_pool ──
// A pool of three worker processes. Each gets one job at a time; when a
// result comes back, that worker gets the next job. Results are stored by
// job number, so they come out in order however the jobs finish. Then the
// same jobs on a pool of three threads: in Rust that is just as fast, and
// cheaper.
// Timeline: three worker process lanes, each a row of `job` spans; then the
// same jobs on three `rayon` thread lanes inside the parent.
fn process_pool() -> io::Result<()> {
    const WORKERS: usize = 3;
    let jobs: Vec<u64> = (0..12).map(|i| 60_000 + 10_000 * i).collect();
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
        stdins.push(child.stdin.take());
        pool.push(child);
    }
    let mut next = 0;
    let mut hand_out = |w: usize| -> io::Result<()> {
        match (jobs.get(next), stdins[w].as_mut()) {
            (Some(n), Some(stdin)) => writeln!(stdin, "job {next} {n}")?,
            _ => stdins[w] = None, // no more jobs: closing stdin lets the worker exit
        }
        next += 1;
        Ok(())
    };
    for w in 0..WORKERS {
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
    for child in &mut pool {
        let _w = info_span!("wait", waiting_on = "a pool worker to exit").entered();
        wait_timeout(child, LIMIT)?.ok_or_else(|| timed_out("a pool worker"))?;
    }
    let by_processes = started.elapsed();
    println!("primes below 60,000 .. 170,000, in job order: {results:?}");

    let started = Instant::now();
    let threads = rayon::ThreadPoolBuilder::new()
        .num_threads(WORKERS)
        .thread_name(|i| format!("rayon-{i}"))
        .build()
        .map_err(io::Error::other)?;
    let waiting = info_span!("install", waiting_on = "the rayon pool").entered();
    let by_threads: Vec<u64> = threads.install(|| {
        use rayon::prelude::*;
        jobs.par_iter()
            .map(|&n| {
                let _s = info_span!("job", n).entered();
                worker::count_primes(n)
            })
            .collect()
    });
    drop(waiting);
    let thread_time = started.elapsed();
    assert_eq!(by_threads, results, "threads and processes must agree");
    println!(
        "{WORKERS} worker processes: {:>5} ms (start-up and pipes included)",
        by_processes.as_millis()
    );
    println!(
        "{WORKERS} worker threads:   {:>5} ms, same results, no GIL to get around",
        thread_time.as_millis()
    );
    let cores = thread::available_parallelism().map_or(1, usize::from);
    println!("(both on {cores} core(s); either can come out ahead by chance on busy cores)");
    Ok(())
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
// allocation that an existing thread polls.
// Timeline: a burst of ten short process lanes while the parent waits on
// each; then the parent's lane is busy with `threads`, then `tasks`. (The
// twenty runs of `true` record nothing, so they draw no lanes.)
fn spawn_cost() -> io::Result<()> {
    let per_unit = |n: u32, elapsed: Duration| elapsed.as_secs_f64() * 1e6 / f64::from(n);
    let (n, started) = (10, Instant::now());
    for _ in 0..n {
        let _s = info_span!("process", waiting_on = "a child to start and end").entered();
        let mut child = KillOnDrop::spawn(&mut worker_command(&["noop"]))?;
        wait_timeout(&mut child, LIMIT)?.ok_or_else(|| timed_out("a worker"))?;
    }
    let this_program = per_unit(n, started.elapsed());
    let (n, started) = (20, Instant::now());
    for _ in 0..n {
        let out = output_timeout(&mut Command::new("true"), LIMIT)?;
        assert!(out.status.success());
    }
    let small_program = per_unit(n, started.elapsed());
    let (n, started) = (2_000, Instant::now());
    {
        let _s = info_span!("threads", n).entered();
        for _ in 0..n {
            thread::spawn(|| {})
                .join()
                .expect("an empty thread cannot panic");
        }
    }
    let thread = per_unit(n, started.elapsed());
    let n = 100_000;
    let runtime = tokio::runtime::Runtime::new()?;
    let started = Instant::now();
    // `.instrument`, not `.entered()`: a guard held across `.await` stays
    // entered while the future is parked, so the span would claim the thread
    // while other tasks run on it (and in a spawned task that moves between
    // workers, be exited on another thread than the one that entered it).
    let spawn_all = async {
        let tasks: Vec<_> = (0..n).map(|i| tokio::spawn(async move { i })).collect();
        for task in tasks {
            task.await.expect("an empty task cannot panic");
        }
    };
    runtime.block_on(spawn_all.instrument(info_span!("tasks", n)));
    let task = per_unit(n, started.elapsed());
    println!("start and wait for one ...            µs    (× a task)");
    for (what, us) in [
        ("process (this program, worker noop)", this_program),
        ("process (`true`)", small_program),
        ("thread", thread),
        ("tokio task", task),
    ] {
        println!("  {what:<36} {us:>9.1}  {:>9.0}", us / task);
    }
    Ok(())
}
