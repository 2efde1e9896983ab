//! `workbook bench tui`: the terminal app's own figures. Frame time for a
//! 100,000-span timeline on a 200x50 screen (target: at most 8 ms), start-up
//! to the first frame (target: at most 200 ms), and how many trace records a
//! second the app takes in from a run.
//!
//! Under the measuring policy of [`crate::measuring`]: every figure is the
//! median of at least [`measuring::RUNS`] runs with its spread (frames are
//! each a run), the machine's load is watched, and a busy machine, a wide
//! spread or an unoptimized build is said in words. The first start-up and
//! the first highlighting are cold (nothing loaded yet) and shown apart.
use super::BenchArgs;
use crate::measuring::{self, Summary, Watch};
use crate::tui::measure;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const SPANS: usize = 100_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Milliseconds of each run, summarized.
fn summary_ms(times: &[Duration]) -> anyhow::Result<Summary> {
    let ms: Vec<f64> = times.iter().copied().map(ms).collect();
    Summary::of(&ms).ok_or_else(|| anyhow::anyhow!("no runs"))
}
/// The real binary in a real terminal: from starting it in tmux (120x40)
/// to the lesson list on screen, polled every 5 ms. `None` without tmux.
fn startup_in_tmux() -> Option<Duration> {
    use std::process::Command;
    let exe = std::env::current_exe().ok()?;
    let socket = format!("workbook-bench-{}", std::process::id());
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .args(["-L", &socket])
            .args(args)
            .output()
    };
    tmux(&["-V"]).ok()?;
    let started = Instant::now();
    let exe = exe.to_str()?;
    let ok = tmux(&["new-session", "-d", "-s", "b", "-x", "120", "-y", "40", exe])
        .ok()?
        .status
        .success();
    let mut seen = None;
    while ok && started.elapsed() < Duration::from_secs(10) {
        let screen = tmux(&["capture-pane", "-p", "-t", "b"]).ok()?;
        if String::from_utf8_lossy(&screen.stdout).contains("Lessons") {
            seen = Some(started.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = tmux(&["kill-server"]);
    seen
}

pub fn bench(args: &BenchArgs) -> anyhow::Result<ExitCode> {
    let runs = measuring::RUNS;
    let watch = Watch::start();
    // First, while syntect is still unloaded: the first run of each is cold.
    let startups: Vec<Duration> = (0..runs).map(|_| measure::startup(120, 40)).collect();
    let highlights: Vec<Duration> = (0..runs).map(|_| measure::highlight_lesson_01()).collect();
    // Each a fresh process, so every run is cold.
    let real: Option<Vec<Duration>> = (0..runs).map(|_| startup_in_tmux()).collect();
    let frames = if args.quick { 20 } else { 100 };
    let timeline = measure::synthetic_timeline(16, SPANS);
    let spans = timeline.span_count();
    let mut whole = measure::frame_times(timeline, 200, 50, frames, false);
    let mut zoomed = measure::frame_times(
        measure::synthetic_timeline(16, SPANS),
        200,
        50,
        frames,
        true,
    );
    whole.sort();
    zoomed.sort();
    let intake_spans = if args.quick { 200_000 } else { 1_000_000 };
    let mut records = 0;
    let rates: Vec<f64> = (0..runs)
        .map(|_| {
            let (n, took) = measure::ingest_rate(intake_spans);
            records = n;
            n as f64 / took.as_secs_f64()
        })
        .collect();
    let machine = watch.finish();
    let startup = summary_ms(&startups[1..])?;
    let highlight = summary_ms(&highlights[1..])?;
    let real = real.as_deref().map(summary_ms).transpose()?;
    let (whole_s, zoomed_s) = (summary_ms(&whole)?, summary_ms(&zoomed)?);
    let rate = Summary::of(&rates).ok_or_else(|| anyhow::anyhow!("no runs"))?;
    let mut spread: Vec<&Summary> = vec![&startup, &whole_s, &zoomed_s, &rate];
    if let Some(real) = &real {
        spread.push(real);
    }
    let caution = machine.caution(&spread);
    if args.json {
        let frame = |s: &Summary, sorted: &[Duration]| {
            serde_json::json!({
                "median": s.median, "min": s.min, "max": s.max, "runs": s.runs,
                "p95": ms(percentile(sorted, 0.95)),
            })
        };
        let json = serde_json::json!({
            "startup_cold_ms": ms(startups[0]),
            "startup_ms": startup,
            "highlight_lesson_01_cold_ms": ms(highlights[0]),
            "highlight_lesson_01_ms": highlight,
            "startup_in_tmux_ms": real,
            "frame_whole_run_ms": frame(&whole_s, &whole),
            "frame_zoomed_ms": frame(&zoomed_s, &zoomed),
            "spans": spans,
            "screen": "200x50",
            "ingest_records": records,
            "ingest_records_per_s": rate,
            "machine": machine,
            "caution": caution,
            "optimized_build": !cfg!(debug_assertions),
        });
        println!("{json}");
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "TUI figures on this machine ({} build; {}); each the median of runs (lowest–highest, runs):",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        machine.describe()
    );
    println!(
        "  start-up to first frame (lesson list and lesson 01 source, 120x40): cold {:.1} ms, then {} ms  (target ≤ 200 ms)",
        ms(startups[0]),
        startup.text(1)
    );
    match &real {
        Some(real) => println!(
            "  start-up of the real binary in tmux, exec to the lesson list on screen: {} ms (polled every 5 ms)",
            real.text(1)
        ),
        None => println!("  start-up in a real terminal: not measured (tmux is not installed)"),
    }
    println!(
        "  highlighting lesson 01 with syntect, in the background after that frame: cold {:.1} ms, then {} ms",
        ms(highlights[0]),
        highlight.text(1)
    );
    for (what, times, summary) in [
        ("whole run in view", &whole, &whole_s),
        ("last tenth, following", &zoomed, &zoomed_s),
    ] {
        println!(
            "  frame, {spans} spans, 200x50, {what}: {} ms, p95 {:.2} ms  (target ≤ 8 ms)",
            summary.text(2),
            ms(percentile(times, 0.95)),
        );
    }
    println!(
        "  taking in a run's trace: {records} records, {} M records/s (a faster lesson's records queue in the runner's channel, up to {} batches)",
        Summary {
            median: rate.median / 1e6,
            min: rate.min / 1e6,
            max: rate.max / 1e6,
            runs: rate.runs,
        }
        .text(1),
        crate::runner::EVENT_CAPACITY
    );
    if let Some(caution) = caution {
        println!("{caution}");
    }
    if cfg!(debug_assertions) {
        println!(
            "This is a debug build: for the app's real figures run `cargo run --release -- bench tui`."
        );
    }
    Ok(ExitCode::SUCCESS)
}
