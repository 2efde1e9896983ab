//! Lesson 04's `false_sharing`: two threads, each with its own counter, and
//! no data shared between them, can still slow each other down when the two
//! counters sit in one cache line: every write takes the line away from the
//! other core. Measured with the counters side by side and 128 bytes apart,
//! the two layouts taking turns, per the measuring policy
//! (`workbook_trace::measuring`): medians, spread, and the machine's load.
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use tracing::info_span;
use workbook_trace::measuring::{RUNS, Summary, Watch, alternate, measured_at, timed};

const INCREMENTS: u64 = 1_000_000;

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

/// Both threads add `INCREMENTS` to their own counter, started together;
/// returns the seconds it took.
fn race(a: &AtomicU64, b: &AtomicU64, label: &str) -> f64 {
    let start_line = Barrier::new(2);
    let waiting = info_span!("thread::scope", waiting_on = "two counters").entered();
    let (seconds, ()) = timed(|| {
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
    });
    drop(waiting);
    seconds
}

pub fn run() {
    let cores = thread::available_parallelism().map_or(1, usize::from);
    println!("2 threads × {INCREMENTS} increments of their own counter, the layouts taking turns:");
    let watch = Watch::start();
    let mut round = 0;
    let seconds = alternate(RUNS, 2, |layout| {
        let took = if layout == 0 {
            round += 1;
            let shared = SideBySide::default();
            race(&shared.a, &shared.b, "same line")
        } else {
            let padded = Apart::default();
            race(&padded.a.0, &padded.b.0, "padded")
        };
        let name = ["same line", "padded"][layout];
        let end = if layout == 0 { ", " } else { "\n" };
        let head = if layout == 0 {
            format!("  round {round}: ")
        } else {
            String::new()
        };
        print!("{head}{name} {:.2} ms{end}", took * 1e3);
        Ok(took)
    })
    .expect("the runs cannot fail");
    let conditions = watch.finish();
    // In ms, so a caution about their spread reads in ms too.
    let in_ms = |s: &[f64]| Summary::of(&s.iter().map(|t| t * 1e3).collect::<Vec<_>>());
    let close = in_ms(&seconds[0]).expect("ran");
    let apart = in_ms(&seconds[1]).expect("ran");
    let cost = Summary::of_ratios(&seconds[0], &seconds[1]).expect("ran");
    println!(
        "  counters side by side (one cache line): {}",
        close.figure(1, " ms")
    );
    println!(
        "  counters 128 bytes apart (padded):      {}",
        apart.figure(1, " ms")
    );
    println!(
        "  false sharing cost: {}, each round's same line over its padded, on {cores} cores",
        cost.figure(2, "×")
    );
    println!("{}", measured_at(&conditions, &[&close, &apart, &cost]));
    if cores < 2 {
        println!(
            "  (one core: the threads never run at once, so there is nothing to share falsely)"
        );
    } else if conditions.busy() {
        // Two busy threads seldom run at the same moment on shared cores,
        // which hides the cost: say so rather than let the ratio stand alone.
        println!(
            "  (while other programs hold a core, the two counters' threads seldom run at the same moment, which hides the cost)"
        );
    }
}
