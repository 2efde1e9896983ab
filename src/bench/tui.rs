//! `workbook bench tui`: the terminal app's own figures. Frame time for a
//! 100,000-span timeline on a 200x50 screen (target: at most 8 ms), start-up
//! to the first frame (target: at most 200 ms), and how many trace records a
//! second the app takes in from a run.
use super::BenchArgs;
use crate::tui::measure;
use crate::views::duration::human_duration;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const SPANS: usize = 100_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
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
    // First, while syntect is still unloaded: start-up is a cold figure.
    let startup = measure::startup(120, 40);
    let highlight = measure::highlight_lesson_01();
    let real = startup_in_tmux();
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
    let (records, took) = measure::ingest_rate(if args.quick { 200_000 } else { 1_000_000 });
    let rate = records as f64 / took.as_secs_f64();
    if args.json {
        let json = serde_json::json!({
            "startup_ms": ms(startup),
            "highlight_lesson_01_ms": ms(highlight),
            "startup_in_tmux_ms": real.map(ms),
            "frame_whole_run_ms": {"median": ms(percentile(&whole, 0.5)), "p95": ms(percentile(&whole, 0.95)), "max": ms(*whole.last().unwrap())},
            "frame_zoomed_ms": {"median": ms(percentile(&zoomed, 0.5)), "p95": ms(percentile(&zoomed, 0.95)), "max": ms(*zoomed.last().unwrap())},
            "spans": spans,
            "screen": "200x50",
            "ingest_records_per_s": rate,
        });
        println!("{json}");
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "TUI figures on this machine ({} build)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!(
        "  start-up to first frame (lesson list and lesson 01 source, 120x40): {}  (target ≤ 200 ms)",
        human_duration(startup)
    );
    match real {
        Some(real) => println!(
            "  start-up of the real binary in tmux, exec to the lesson list on screen: {} (polled every 5 ms)",
            human_duration(real)
        ),
        None => println!("  start-up in a real terminal: not measured (tmux is not installed)"),
    }
    println!(
        "  highlighting lesson 01 with syntect, in the background after that frame: {}",
        human_duration(highlight)
    );
    for (what, times) in [
        ("whole run in view", &whole),
        ("last tenth, following", &zoomed),
    ] {
        println!(
            "  frame, {spans} spans, 200x50, {what}: median {}, p95 {}, max {} over {frames} frames  (target ≤ 8 ms)",
            human_duration(percentile(times, 0.5)),
            human_duration(percentile(times, 0.95)),
            human_duration(*times.last().unwrap()),
        );
    }
    println!(
        "  taking in a run's trace: {records} records in {} = {:.1} M records/s; the runner's channel is unbounded, so a faster lesson is never blocked, its records queue",
        human_duration(took),
        rate / 1e6
    );
    Ok(ExitCode::SUCCESS)
}
