//! Small helpers for lesson 03: building runtimes, a ticker that measures
//! how late the executor is, CPU work, memory figures, and running the Python
//! comparison script.
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::runtime::{Builder, Runtime};
use tokio_util::sync::CancellationToken;

/// A runtime on this thread only: every task is polled by the thread that
/// calls `block_on`. Like Python's asyncio event loop.
pub fn current_thread() -> Runtime {
    Builder::new_current_thread()
        .thread_name("blocking") // only `spawn_blocking` starts threads here
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A runtime with `workers` threads polling tasks, stealing work from each
/// other. `#[tokio::main]` builds one of these with a worker per core.
pub fn multi_thread(workers: usize) -> Runtime {
    let next = Arc::new(AtomicUsize::new(1));
    Builder::new_multi_thread()
        .worker_threads(workers)
        // Names show as lane labels; workers start first, then any blocking threads.
        .thread_name_fn(move || format!("tokio-{}", next.fetch_add(1, Ordering::Relaxed)))
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Ticks every `every` until `stop` is cancelled, and returns the longest gap
/// between two ticks. On a healthy executor that is about `every`; when
/// something blocks the thread, the gap shows for how long.
pub async fn ticker(every: Duration, stop: CancellationToken) -> Duration {
    let mut last = Instant::now();
    let mut worst = Duration::ZERO;
    loop {
        tokio::select! {
            () = stop.cancelled() => return worst,
            () = tokio::time::sleep(every) => {
                worst = worst.max(last.elapsed());
                last = Instant::now();
            }
        }
    }
}

/// How many primes are in `range`, by trial division: plain CPU work.
pub fn count_primes(range: std::ops::Range<u64>) -> u64 {
    range
        .filter(|&k| k >= 2 && (2..=k.isqrt()).all(|d| k % d != 0))
        .count() as u64
}

/// A line of `/proc/self/status` in MiB, e.g. `VmHWM` (peak resident memory)
/// or `VmRSS` (resident now). Linux only; `None` elsewhere.
pub fn status_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Resets this process's peak-memory mark (`VmHWM`) to its current size, so
/// the next reading measures only what follows. Linux only.
pub fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// What the Python script reported, or why it did not run.
pub enum PythonFigure {
    Measured { wall: f64, peak_mib: f64 },
    Skipped(String),
}

/// Runs `lessons/python/asyncio_tasks.py N` with `python3`, killing it after
/// `limit`. The script prints `wall_s=1.23 peak_mib=45.6`.
pub fn python_tasks(n: u32, limit: Duration) -> PythonFigure {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/asyncio_tasks.py");
    let spawned = Command::new("python3")
        .arg(script)
        .arg(n.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) => return PythonFigure::Skipped(format!("python3 did not start: {err}")),
    };
    let deadline = Instant::now() + limit;
    let waiting = tracing::info_span!("python3", waiting_on = "the asyncio script").entered();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return PythonFigure::Skipped(format!("python3 took longer than {limit:?}"));
            }
        }
    };
    drop(waiting);
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = std::io::Read::read_to_string(&mut stdout, &mut out);
    }
    let value = |key: &str| {
        out.split_whitespace()
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('=')?.parse::<f64>().ok())
    };
    match (status.success(), value("wall_s"), value("peak_mib")) {
        (true, Some(wall), Some(peak_mib)) => PythonFigure::Measured { wall, peak_mib },
        _ => PythonFigure::Skipped(format!("python3 ended with {status} and printed {out:?}")),
    }
}
