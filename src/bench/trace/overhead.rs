//! Lesson 01's `cpu_bound` traced through the runner against the lesson run
//! untraced: what tracing costs a CPU-bound lesson, by the wall clock and
//! in CPU seconds.
//!
//! The wall ratio is what a learner waits, but on a shared 2-core machine
//! it moves with everything else that runs; the CPU seconds of the
//! lesson's processes and of the workbook's threads serving the run (the
//! trace listener and its reader, the kernel sampler, the intake into the
//! model, the runner's start and end) move far less. Both are reported,
//! pair by pair, with their spread; the pairs take turns in both orders
//! (untraced first, then traced first), so a load that rises or falls
//! during the measurement does not favour one side, and one pair before
//! them warms the caches and is left out.
use crate::catalog;
use crate::measuring::Summary;
use crate::run::RunModel;
use crate::runner::{self, Run, RunEvent, RunOptions};
use crate::wire;
use indicatif::ProgressBar;
use serde::Serialize;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Pairs measured (and one warm-up pair left out): the target is within
/// 2%, so a few more than the policy's fewest.
pub const PAIRS: usize = 7;

#[derive(Serialize)]
pub struct Overhead {
    pub untraced_s: Summary,
    pub traced_s: Summary,
    /// Traced over untraced wall time, pair by pair.
    pub ratio: Summary,
    /// Traced over untraced CPU time of the lesson's processes (user +
    /// system, every thread: the recorder's writer included), pair by pair.
    pub cpu_ratio: Summary,
    /// The same with the workbook's own CPU time while it ran the lesson
    /// added on each side: everything tracing costs in CPU.
    pub total_cpu_ratio: Summary,
    /// CPU milliseconds the lesson's processes spent more traced than
    /// untraced (the recorder on the lesson's threads and its writer).
    pub lesson_extra_cpu_ms: Summary,
    /// CPU milliseconds of the workbook's threads during a traced run:
    /// listener, connection reader, sampler, output readers, intake.
    pub workbook_cpu_ms: Summary,
    /// Wall milliseconds the runner adds around the lesson: from asking for
    /// the run to `Started`, and from the lesson closing its trace to
    /// `Exited` (ending and reaping its tree, joining the readers).
    pub runner_start_end_ms: Summary,
    /// Whether the wall ratio's runs spread wider than the margin the
    /// target is about (a 1.02 target: 0.02); then the wall figure cannot
    /// say whether it is met, and the note says so.
    pub ratio_spread_wider_than_target: bool,
    pub note: Option<String>,
    pub spans: usize,
    pub warm_up_pairs_left_out: usize,
}

/// One run's figures.
#[derive(Default)]
struct Measured {
    wall: f64,
    lesson_cpu: f64,
    workbook_cpu: f64,
    /// The runner's start and end.
    runner: f64,
}

/// Alternates untraced and traced runs of lesson 01's CPU-bound demo and
/// compares them pair by pair.
pub fn measure(
    pairs: usize,
    target_ratio: f64,
    progress: &ProgressBar,
) -> anyhow::Result<Overhead> {
    let lesson = catalog::find("01")?;
    let exe = runner::lesson_binary(lesson.bin)?;
    if !exe.exists() {
        anyhow::bail!(
            "{} is not built: run `cargo build --bins` first",
            exe.display()
        );
    }
    let mut spans = 0;
    let mut runs: [Vec<Measured>; 2] = [Vec::new(), Vec::new()];
    for pair in 0..=pairs {
        // Pair 0 warms up; then untraced first and traced first take turns.
        let order = if pair % 2 == 0 { [0, 1] } else { [1, 0] };
        let mut both: [Measured; 2] = Default::default();
        for variant in order {
            progress.set_message(format!(
                "lesson 01 cpu_bound, {}, pair {pair} of {pairs}",
                if variant == 0 { "untraced" } else { "traced" }
            ));
            both[variant] = measured(|| run_once(variant, &exe, lesson.bin, &mut spans))?;
        }
        if pair > 0 {
            let [untraced, traced] = both;
            runs[0].push(untraced);
            runs[1].push(traced);
        }
    }
    let of = |variant: usize, f: fn(&Measured) -> f64| -> Vec<f64> {
        runs[variant].iter().map(f).collect()
    };
    let total = |m: &Measured| m.lesson_cpu + m.workbook_cpu;
    let extra: Vec<f64> = runs[1]
        .iter()
        .zip(&runs[0])
        .map(|(t, u)| (t.lesson_cpu - u.lesson_cpu) * 1e3)
        .collect();
    let some = |s: Option<Summary>| s.ok_or_else(|| anyhow::anyhow!("no runs"));
    let ratio = some(Summary::of_ratios(&of(1, |m| m.wall), &of(0, |m| m.wall)))?;
    let note = spread_note(&ratio, target_ratio);
    Ok(Overhead {
        untraced_s: some(Summary::of(&of(0, |m| m.wall)))?,
        traced_s: some(Summary::of(&of(1, |m| m.wall)))?,
        ratio,
        cpu_ratio: some(Summary::of_ratios(
            &of(1, |m| m.lesson_cpu),
            &of(0, |m| m.lesson_cpu),
        ))?,
        total_cpu_ratio: some(Summary::of_ratios(&of(1, total), &of(0, total)))?,
        lesson_extra_cpu_ms: some(Summary::of(&extra))?,
        workbook_cpu_ms: some(Summary::of(&of(1, |m| m.workbook_cpu * 1e3)))?,
        runner_start_end_ms: some(Summary::of(&of(1, |m| m.runner * 1e3)))?,
        ratio_spread_wider_than_target: note.is_some(),
        note,
        spans,
        warm_up_pairs_left_out: 1,
    })
}

/// Words for a wall ratio whose runs spread wider than the margin a
/// target of `target` (1.02) is about (0.02): such a median cannot say
/// whether the target is met.
fn spread_note(ratio: &Summary, target: f64) -> Option<String> {
    let margin = target - 1.0;
    (ratio.max - ratio.min > margin).then(|| {
        format!(
            "the wall ratio's runs spread from {:.3} to {:.3}, wider than the {margin:.2} the \
             target of {target} is about: by the wall clock this machine cannot tell whether \
             it is met; the CPU ratios, which other programs move far less, can",
            ratio.min, ratio.max
        )
    })
}

/// Runs `run` (which returns its wall seconds and the runner's share of
/// them) and adds the CPU time it cost: the children it waited for (the
/// lesson's processes) and this process's own threads.
fn measured(run: impl FnOnce() -> anyhow::Result<(f64, f64)>) -> anyhow::Result<Measured> {
    let (children, own) = (cpu_seconds(Who::Children), cpu_seconds(Who::Own));
    let (wall, runner) = run()?;
    Ok(Measured {
        wall,
        lesson_cpu: cpu_seconds(Who::Children) - children,
        workbook_cpu: cpu_seconds(Who::Own) - own,
        runner,
    })
}

#[derive(Clone, Copy)]
enum Who {
    Own,
    Children,
}

/// CPU seconds (user + system) of this process, or of the children it
/// waited for so far.
fn cpu_seconds(who: Who) -> f64 {
    use nix::sys::resource::{UsageWho, getrusage};
    let who = match who {
        Who::Own => UsageWho::RUSAGE_SELF,
        Who::Children => UsageWho::RUSAGE_CHILDREN,
    };
    getrusage(who).map_or(f64::NAN, |u| {
        let (user, system) = (u.user_time(), u.system_time());
        user.tv_sec() as f64
            + system.tv_sec() as f64
            + (user.tv_usec() + system.tv_usec()) as f64 / 1e6
    })
}

/// Runs lesson 01's `cpu_bound` once, untraced (variant 0) or traced
/// through the runner (1); returns its wall seconds and, traced, the
/// runner's share of them.
fn run_once(
    variant: usize,
    exe: &Path,
    bin: &'static str,
    spans: &mut usize,
) -> anyhow::Result<(f64, f64)> {
    let started = Instant::now();
    if variant == 0 {
        let status = Command::new(exe)
            .args(["--demo", "cpu_bound"])
            .env_remove(wire::ENV_ADDR)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        anyhow::ensure!(status.success(), "lesson 01 cpu_bound failed: {status}");
        return Ok((started.elapsed().as_secs_f64(), 0.0));
    }
    let options = RunOptions {
        demo: Some("cpu_bound".into()),
        timeout: Some(runner::RUN_TIMEOUT),
        build: false,
        trace_limit: None,
    };
    let run = Run::start_program(exe.to_path_buf(), bin, options);
    // The same model as every run; not recorded, as the untraced variant
    // writes nothing either.
    let mut model = RunModel::new(bin, Some("cpu_bound".into()));
    let (mut running_at, mut closed_at) = (None, None);
    let outcome = loop {
        // The runner always ends with `Exited`, at the latest when its
        // timeout stops the lesson; past that it is broken.
        let Ok(event) = run
            .events()
            .recv_timeout(runner::RUN_TIMEOUT + Duration::from_secs(30))
        else {
            anyhow::bail!("the traced run did not end");
        };
        match &event {
            RunEvent::Started { .. } => running_at = Some(started.elapsed()),
            RunEvent::Disconnected { .. } => closed_at = Some(started.elapsed()),
            _ => {}
        }
        model.apply_now(event);
        if let Some(outcome) = model.outcome.take() {
            break outcome;
        }
    };
    let wall = started.elapsed();
    anyhow::ensure!(outcome.success(), "traced lesson 01 cpu_bound {outcome}");
    *spans = model.timeline.span_count();
    // Without a trace connection (the recorder could not connect) the
    // runner's end is not told apart from the lesson's.
    let runner = running_at.unwrap_or_default()
        + closed_at.map_or(Duration::ZERO, |c| wall.saturating_sub(c));
    drop(run);
    Ok((wall.as_secs_f64(), runner.as_secs_f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wall_ratio_spread_wider_than_the_target_margin_is_said() {
        let tight = Summary::of(&[1.004, 1.010, 1.012]).unwrap();
        assert_eq!(spread_note(&tight, 1.02), None);
        let wide = Summary::of(&[0.99, 1.01, 1.025]).unwrap();
        let note = spread_note(&wide, 1.02).expect("0.035 is wider than 0.02");
        assert!(note.contains("from 0.990 to 1.025"), "{note}");
        assert!(note.contains("wider than the 0.02"), "{note}");
    }
}
