//! `workbook bench flood`: a lesson-like producer records new spans as fast
//! as it can for 10 s (`--quick`: 3 s) through the real runner into the
//! TUI's intake (a [`Session`] pumped every frame as the app pumps it), and
//! the bench reports this process's peak memory and how far the view fell
//! behind the producer. Targets (issue 12): at most 256 MiB, at most 1 s.
//!
//! The producer is this binary as a worker (`bench --worker flood:SECS`),
//! started through a two-line script because the runner starts programs the
//! way it starts lessons.
pub mod producer;

use super::BenchArgs;
use crate::runner::{Run, RunOptions};
use crate::tui::measure;
use serde::Serialize;
use std::process::ExitCode;
use std::time::Duration;

const TARGET_MIB: f64 = 256.0;
const TARGET_BEHIND_S: f64 = 1.0;

/// Peak resident memory of this process, MiB (`VmHWM`).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

pub fn run(args: &BenchArgs) -> anyhow::Result<ExitCode> {
    let seconds = if args.quick { 3.0 } else { 10.0 };
    // Removed when it drops, whatever the flood did.
    let dir = tempfile::Builder::new()
        .prefix("workbook-flood-")
        .tempdir()?;
    let figures = flood(dir.path(), seconds)?;
    let peak = figures.peak_rss_mib.unwrap_or(f64::NAN);
    let behind = figures.view_behind_s;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!(
            "Flood: a producer recording new spans as fast as it can for {seconds} s, through the runner into the TUI's intake, the app drawn every frame ({} build)",
            figures.build
        );
        println!(
            "  spans the producer recorded     {}",
            figures.producer_spans
        );
        println!(
            "  spans kept in the model         {} (the model keeps at most {} spans and {} span definitions)",
            figures.spans_kept,
            crate::timeline::MAX_SPANS,
            crate::timeline::MAX_DEFS,
        );
        // Each span of the flood has a definition of its own, so past the
        // definitions' cap its definition and its enter are each counted.
        println!(
            "  records past those caps         {} (counted, not kept: the definitions and enters of spans not kept)",
            figures.not_kept
        );
        println!(
            "  records dropped by the recorder {} (in the producer, before sending)",
            figures.dropped_by_producer
        );
        println!(
            "  peak memory of this process     {peak:.0} MiB (target ≤ {TARGET_MIB}: {})",
            if peak <= TARGET_MIB { "met" } else { "NOT met" }
        );
        println!(
            "  view behind the producer, worst {} (target ≤ {}: {})",
            crate::views::duration::human_secs(behind),
            crate::views::duration::human_secs(TARGET_BEHIND_S),
            if behind <= TARGET_BEHIND_S {
                "met"
            } else {
                "NOT met"
            }
        );
        println!(
            "  per 30 ms frame while producing: taking events in {:.1} ms median, {:.1} worst; drawing {:.1} ms median, {:.1} worst",
            figures.pump_ms.median,
            figures.pump_ms.worst,
            figures.draw_ms.median,
            figures.draw_ms.worst,
        );
        println!("  while measuring: {}", figures.machine.describe);
    }
    Ok(ExitCode::SUCCESS)
}

/// What `workbook bench flood --json` prints, and the text report reads.
#[derive(Serialize)]
struct Figures {
    seconds: f64,
    producer_spans: u64,
    spans_kept: usize,
    not_kept: u64,
    dropped_by_producer: u64,
    peak_rss_mib: Option<f64>,
    view_behind_s: f64,
    /// Per 30 ms frame while producing, milliseconds.
    pump_ms: PerFrame,
    draw_ms: PerFrame,
    build: &'static str,
    outcome: String,
    machine: Machine,
    targets_met: TargetsMet,
}

#[derive(Serialize)]
struct PerFrame {
    median: f64,
    worst: f64,
}

#[derive(Serialize)]
struct Machine {
    conditions: crate::measuring::Conditions,
    describe: String,
}

#[derive(Serialize)]
struct TargetsMet {
    memory: bool,
    behind: bool,
}

fn flood(dir: &std::path::Path, seconds: f64) -> anyhow::Result<Figures> {
    use std::os::unix::fs::PermissionsExt;
    let exe = std::fs::read_link("/proc/self/exe").or_else(|_| std::env::current_exe())?;
    let script = dir.join("flood");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexec '{}' bench --worker flood:{seconds}\n",
            exe.display()
        ),
    )?;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700))?;
    let watch = crate::measuring::Watch::start();
    let options = RunOptions {
        demo: None,
        timeout: Some(Duration::from_secs_f64(seconds + 60.0)),
        build: false,
        trace_limit: None,
    };
    let intake = measure::take_in(Run::start_program(script, "flood", options), seconds);
    let machine = watch.finish();
    let produced = intake
        .output
        .iter()
        .find_map(|l| {
            l.strip_prefix("recorded ")?
                .strip_suffix(" spans")?
                .parse::<u64>()
                .ok()
        })
        .unwrap_or(0);
    let worst_behind = intake.worst_behind_s;
    let peak = peak_rss_mib();
    Ok(Figures {
        seconds,
        producer_spans: produced,
        spans_kept: intake.spans_kept,
        not_kept: intake.not_kept,
        dropped_by_producer: intake.dropped,
        peak_rss_mib: peak,
        view_behind_s: worst_behind,
        pump_ms: PerFrame {
            median: intake.pump_ms.0,
            worst: intake.pump_ms.1,
        },
        draw_ms: PerFrame {
            median: intake.draw_ms.0,
            worst: intake.draw_ms.1,
        },
        build: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        outcome: intake.outcome,
        machine: Machine {
            describe: machine.describe(),
            conditions: machine,
        },
        targets_met: TargetsMet {
            memory: peak.is_some_and(|p| p <= TARGET_MIB),
            behind: worst_behind <= TARGET_BEHIND_S,
        },
    })
}
