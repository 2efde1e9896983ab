//! Lesson 04's `false_sharing`: two threads, each with its own counter, and
//! no data shared between them, can still slow each other down when the two
//! counters sit in one cache line: every write takes the line away from the
//! other core. Measured with the counters side by side and 128 bytes apart.
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};
use tracing::info_span;

const INCREMENTS: u64 = 1_000_000;
const RUNS: usize = 5;

/// Two counters next to each other: 16 bytes, one cache line.
#[derive(Default)]
struct SideBySide {
    a: AtomicU64,
    b: AtomicU64,
}

/// A counter alone in its own 128 bytes (two 64-byte lines, because some
/// CPUs fetch lines in pairs); crossbeam's `CachePadded` does the same.
#[derive(Default)]
#[repr(align(128))]
struct Padded(AtomicU64);

#[derive(Default)]
struct Apart {
    a: Padded,
    b: Padded,
}

/// Both threads add `INCREMENTS` to their own counter, started together.
fn race(a: &AtomicU64, b: &AtomicU64, label: &str) -> Duration {
    let start_line = Barrier::new(2);
    let started = Instant::now();
    let waiting = info_span!("thread::scope", waiting_on = "two counters").entered();
    thread::scope(|s| {
        for (name, counter) in [("left", a), ("right", b)] {
            let start_line = &start_line;
            thread::Builder::new()
                .name(format!("{name} ({label})"))
                .spawn_scoped(s, move || {
                    start_line.wait();
                    let _work = info_span!("count", label).entered();
                    for _ in 0..INCREMENTS {
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                })
                .expect("a thread");
        }
    });
    drop(waiting);
    started.elapsed()
}

fn median(mut runs: Vec<Duration>) -> (Duration, Duration, Duration) {
    runs.sort();
    (runs[0], runs[runs.len() / 2], runs[runs.len() - 1])
}

/// The one-minute load average (runnable threads, averaged), if known.
fn load_average() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

pub fn run() {
    let cores = thread::available_parallelism().map_or(1, usize::from);
    let (mut close, mut apart) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let shared = SideBySide::default();
        close.push(race(&shared.a, &shared.b, "same line"));
        let padded = Apart::default();
        apart.push(race(&padded.a.0, &padded.b.0, "padded"));
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (close_min, close_med, close_max) = median(close);
    let (apart_min, apart_med, apart_max) = median(apart);
    println!(
        "2 threads × {INCREMENTS} increments of their own counter, {RUNS} runs each (median, min-max):"
    );
    println!(
        "  counters side by side (one cache line): {:>6.1} ms ({:.1}-{:.1})",
        ms(close_med),
        ms(close_min),
        ms(close_max)
    );
    println!(
        "  counters 128 bytes apart (padded):      {:>6.1} ms ({:.1}-{:.1})",
        ms(apart_med),
        ms(apart_min),
        ms(apart_max)
    );
    let load = load_average();
    let load_text = load.map_or_else(|| "unknown".into(), |l| format!("{l:.1}"));
    println!(
        "  false sharing cost: {:.1}× (medians), on {cores} cores, load average {load_text} after the runs",
        ms(close_med) / ms(apart_med),
    );
    if cores < 2 {
        println!(
            "  (one core: the threads never run at once, so there is nothing to share falsely)"
        );
    } else if load.is_some_and(|l| l > cores as f64) {
        println!(
            "  (more runnable threads than cores: the two counters' threads seldom ran at the same moment, which hides the cost)"
        );
    }
}
