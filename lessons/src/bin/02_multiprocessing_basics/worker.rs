//! The child side of lesson 02: what this program does when the lesson starts
//! it again as `02_multiprocessing_basics worker <kind> ...`.
//!
//! Every worker is an ordinary `main`-like function. It talks to its parent
//! through its exit status, its stdin and stdout (one message a line), or a
//! Unix socket. Every wait in here is bounded too, so a worker whose parent
//! vanished ends by itself.
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};
use tracing::info_span;

/// No worker in this lesson lives longer than this, whatever happens.
const LIFETIME: Duration = Duration::from_secs(30);

pub fn main(args: &[String]) -> ExitCode {
    // If the parent dies without reaping us, the kernel kills us too, so a
    // crashed lesson leaves no orphans behind. (Linux sends this signal when
    // the *thread* that started us ends, so the lesson starts children from
    // threads that outlive them.)
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL);

    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args[..] {
        ["greet", n, ms] => greet(n, ms),
        ["upper"] => upper(),
        ["produce", count] => produce(count),
        ["consume"] => consume(),
        ["counter-server", path] => counter_server(path),
        ["counter-client", path, name, n] => counter_client(path, name, n),
        ["pool", id] => pool(id),
        ["crash", how] => crash(how),
        ["hang"] => {
            hang();
            Ok(())
        }
        ["noop"] => Ok(()),
        _ => Err(io::Error::other(format!("unknown worker {args:?}"))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("worker {args:?}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn number<T: std::str::FromStr>(text: &str) -> io::Result<T> {
    text.parse()
        .map_err(|_| io::Error::other(format!("not a number: {text}")))
}

/// `spawn_wait`: say hello, "work" for a while, end with exit code 0.
fn greet(n: &str, ms: &str) -> io::Result<()> {
    println!("  worker {n}: hello from process {}", std::process::id());
    let _s = info_span!("work", worker = n, waiting_on = "a timer (sleep)").entered();
    thread::sleep(Duration::from_millis(number(ms)?));
    Ok(())
}

/// `message_queue`: each line on stdin is a message; answer each with a line on
/// stdout. End of input (the parent closed our stdin) means "no more work".
fn upper() -> io::Result<()> {
    let mut out = io::stdout().lock();
    for line in io::stdin().lock().lines() {
        let line = line?;
        let _s = info_span!("message", text = line.as_str()).entered();
        thread::sleep(Duration::from_millis(20)); // stands in for real work
        writeln!(out, "{} (pid {})", line.to_uppercase(), std::process::id())?;
        out.flush()?; // a pipe is block-buffered: flush, or the parent waits
    }
    Ok(())
}

/// `pipe_between`: write `count` lines to stdout, which the parent connected to
/// another child's stdin.
fn produce(count: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    for i in 0..number::<u32>(count)? {
        let _s = info_span!("produce", item = i).entered();
        thread::sleep(Duration::from_millis(15));
        writeln!(out, "reading {i}: {}", 20 + i % 7)?;
        out.flush()?;
    }
    Ok(())
}

/// `pipe_between`: read lines until the writer closes the pipe, then report.
fn consume() -> io::Result<()> {
    let (mut lines, mut total) = (0, 0u32);
    for line in io::stdin().lock().lines() {
        let line = line?;
        let _s = info_span!("consume", line = line.as_str()).entered();
        lines += 1;
        total += line
            .rsplit(' ')
            .next()
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0);
    }
    println!("consumer: {lines} lines, sum of readings {total}");
    Ok(())
}

/// `actor_manager`: one process owns a map of counters and serves requests
/// (`add KEY N`, `get KEY`, `shutdown`) from many clients over a Unix socket.
/// Inside it, one thread owns the map; connection threads pass requests to it
/// through a channel. Nobody else can touch the state, so it needs no lock.
fn counter_server(path: &str) -> io::Result<()> {
    let listener = UnixListener::bind(path)?;
    listener.set_nonblocking(true)?; // so the accept loop can notice `shutdown`
    let (requests, inbox) = mpsc::channel::<(String, mpsc::Sender<String>)>();
    let owner = thread::Builder::new().name("owner".into()).spawn(move || {
        let mut counts: HashMap<String, i64> = HashMap::new();
        while let Ok((request, reply)) = inbox.recv_timeout(LIFETIME) {
            let _s = info_span!("request", request = request.as_str()).entered();
            let answer = match request.split(' ').collect::<Vec<_>>()[..] {
                ["add", key, n] => {
                    let count = counts.entry(key.to_string()).or_default();
                    *count += n.parse::<i64>().unwrap_or(0);
                    count.to_string()
                }
                ["get", key] => counts.get(key).copied().unwrap_or(0).to_string(),
                _ => format!("error: cannot {request}"),
            };
            let _ = reply.send(answer);
        }
    })?;
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut connection = 0;
    while !stop.load(Ordering::Relaxed) && started.elapsed() < LIFETIME {
        match listener.accept() {
            Ok((stream, _)) => {
                connection += 1;
                let (requests, stop) = (requests.clone(), stop.clone());
                thread::Builder::new()
                    .name(format!("connection-{connection}"))
                    .spawn(move || serve(stream, &requests, &stop))?;
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(2));
            }
            Err(e) => return Err(e),
        }
    }
    drop(requests); // the owner ends once every connection has ended
    let _ = owner.join();
    Ok(())
}

fn serve(
    stream: UnixStream,
    requests: &mpsc::Sender<(String, mpsc::Sender<String>)>,
    stop: &AtomicBool,
) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(LIFETIME));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    for line in BufReader::new(stream).lines() {
        let Ok(request) = line else { break };
        if request == "shutdown" {
            stop.store(true, Ordering::Relaxed);
            let _ = writeln!(writer, "bye");
            break;
        }
        let (reply, answer) = mpsc::channel();
        if requests.send((request, reply)).is_err() {
            break;
        }
        let Ok(answer) = answer.recv_timeout(Duration::from_secs(5)) else {
            break;
        };
        if writeln!(writer, "{answer}").is_err() {
            break;
        }
    }
}

/// `actor_manager`: a client process that sends `n` increments, one at a
/// time, each waiting for its reply.
fn counter_client(path: &str, name: &str, n: &str) -> io::Result<()> {
    let stream = UnixStream::connect(path)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut reply = String::new();
    let _s = info_span!("client", name).entered();
    for _ in 0..number::<u32>(n)? {
        writeln!(writer, "add hits 1")?;
        let _w = info_span!("reply", waiting_on = "the counter's owner").entered();
        reply.clear();
        reader.read_line(&mut reply)?;
    }
    println!(
        "  client {name}: {n} increments sent; the last reply said hits = {}",
        reply.trim()
    );
    Ok(())
}

/// `process_pool`: a pool worker. Each line on stdin is `job <i> <n>`; it
/// answers `result <i> <primes below n>`. It ends when its stdin closes.
fn pool(id: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    for line in io::stdin().lock().lines() {
        let line = line?;
        let ["job", i, n] = line.split(' ').collect::<Vec<_>>()[..] else {
            return Err(io::Error::other(format!("bad job: {line}")));
        };
        let _s = info_span!("job", worker = id, job = i).entered();
        writeln!(out, "result {i} {}", count_primes(number(n)?))?;
        out.flush()?;
    }
    Ok(())
}

/// How many primes are below `n`, by trial division: plain CPU work.
pub fn count_primes(n: u64) -> u64 {
    (2..n)
        .filter(|&k| (2..=k.isqrt()).all(|d| k % d != 0))
        .count() as u64
}

/// `crash_isolation`: end badly, in one of three ways.
fn crash(how: &str) -> io::Result<()> {
    let _s = info_span!("crash", how).entered();
    thread::sleep(Duration::from_millis(20)); // some work before it goes wrong
    match how {
        "panic" => panic!("worker gave up: index out of range"),
        "abort" => {
            // No core file for a crash we do on purpose.
            let _ = nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_CORE, 0, 0);
            // abort skips destructors: send what was recorded first.
            workbook_trace::record::flush();
            std::process::abort()
        }
        "exit" => {
            workbook_trace::record::flush();
            std::process::exit(3)
        }
        _ => Err(io::Error::other(format!("no crash called {how}"))),
    }
}

/// `kill_on_timeout`: a worker that never answers: it keeps waiting for
/// something that never comes, checking every 50 ms (within its lifetime).
fn hang() {
    let started = Instant::now();
    while started.elapsed() < LIFETIME {
        let _w = info_span!("hang", waiting_on = "something that never happens").entered();
        thread::sleep(Duration::from_millis(50));
    }
}
