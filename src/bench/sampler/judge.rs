//! The sampler benchmark's figures, their JSON, and the verdict on each
//! target under the measuring policy.
use super::{Case, Reading};
use crate::measuring::{Conditions, Summary};
use serde::Serialize;

/// What a case measures, and its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The sampler's CPU time ≤ 2% of one core.
    Overhead,
    /// A spinning thread alone ≥ 95% on a core.
    Alone,
    /// Spinning threads sharing the cores: each on a core for its share
    /// (cores / threads, 50% for 4 on 2 cores) within 10 points, and
    /// queued for the rest.
    Shared,
    /// A sleeping thread ≤ 1% on a core.
    Sleeper,
}

pub const MAX_OVERHEAD: f64 = 2.0;
pub const MIN_ALONE: f64 = 95.0;
pub const SHARED_TOLERANCE: f64 = 10.0;
pub const MAX_SLEEPER: f64 = 1.0;

/// `workbook bench sampler --json`.
#[derive(Debug, Serialize)]
pub struct Figures {
    pub cores: usize,
    pub runs_per_case: usize,
    pub millis_per_run: u64,
    pub optimized_build: bool,
    pub cases: Vec<CaseFigures>,
    /// The machine over the whole measuring.
    pub machine: Conditions,
}

#[derive(Debug, Serialize)]
pub struct CaseFigures {
    pub case: &'static str,
    pub target: Target,
    pub threads: usize,
    /// The sampler thread's CPU time over wall time, % of one core.
    pub sampler_percent_of_a_core: Summary,
    pub rounds_per_second: Summary,
    /// Per worker thread, averaged over them: % of its life on a core.
    pub on_cpu_percent: Summary,
    /// ... and % runnable, waiting in a run queue.
    pub queued_percent: Summary,
    /// The machine while this case ran.
    pub machine: Conditions,
    pub verdict: Verdict,
    /// Words for a reader when the figures should not be trusted as they stand.
    pub caution: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "verdict", content = "why")]
pub enum Verdict {
    Met,
    Missed(String),
    /// The machine was too busy for this figure to say anything.
    NotJudged(String),
}

/// The share of a core, in %, each of `threads` spinners gets on `cores`.
pub fn shared_share(cores: usize, threads: usize) -> f64 {
    (100.0 * cores as f64 / threads as f64).min(100.0)
}

pub fn summarize(
    case: &Case,
    readings: &[Reading],
    machine: Conditions,
    cores: usize,
) -> anyhow::Result<CaseFigures> {
    let of = |f: fn(&Reading) -> f64| {
        let values: Vec<f64> = readings.iter().map(f).collect();
        Summary::of(&values).ok_or_else(|| anyhow::anyhow!("no readings for {}", case.what))
    };
    let overhead = of(|r| r.overhead)?;
    let on_cpu = of(|r| r.on_cpu)?;
    let queued = of(|r| r.queued)?;
    let verdict = judge(case, &overhead, &on_cpu, &queued, &machine, cores);
    let shown = if case.target == Target::Overhead {
        overhead
    } else {
        on_cpu
    };
    Ok(CaseFigures {
        case: case.what,
        target: case.target,
        threads: case.threads,
        sampler_percent_of_a_core: overhead,
        rounds_per_second: of(|r| r.rounds_per_s)?,
        on_cpu_percent: on_cpu,
        queued_percent: queued,
        caution: machine.caution(&[&shown]),
        machine,
        verdict,
    })
}

/// Per the measuring policy: a busy machine takes cores from the spinners,
/// so the spinners' shares are not judged there.
fn judge(
    case: &Case,
    overhead: &Summary,
    on_cpu: &Summary,
    queued: &Summary,
    machine: &Conditions,
    cores: usize,
) -> Verdict {
    let busy = || {
        machine.caution(&[]).map_or_else(
            || "the machine was busy".to_string(),
            |c| c.trim_start_matches("Noisy: ").to_string(),
        )
    };
    let check = |met: bool, what: String| {
        if met {
            Verdict::Met
        } else {
            Verdict::Missed(what)
        }
    };
    match case.target {
        Target::Overhead => check(
            overhead.median <= MAX_OVERHEAD,
            format!("{:.2}% of a core, above {MAX_OVERHEAD}%", overhead.median),
        ),
        Target::Sleeper => check(
            on_cpu.median <= MAX_SLEEPER,
            format!("{:.1}% on a core, above {MAX_SLEEPER}%", on_cpu.median),
        ),
        Target::Alone | Target::Shared if machine.busy() => Verdict::NotJudged(busy()),
        Target::Alone => check(
            on_cpu.median >= MIN_ALONE,
            format!("{:.1}% on a core, below {MIN_ALONE}%", on_cpu.median),
        ),
        Target::Shared => {
            let share = shared_share(cores, case.threads);
            let near = (on_cpu.median - share).abs() <= SHARED_TOLERANCE;
            let rest_queued = on_cpu.median + queued.median >= 100.0 - SHARED_TOLERANCE;
            check(
                near && rest_queued,
                format!(
                    "{:.1}% on a core and {:.1}% queued, not {share:.0}% and the rest",
                    on_cpu.median, queued.median
                ),
            )
        }
    }
}

pub fn print_case(f: &CaseFigures) {
    let verdict = match &f.verdict {
        Verdict::Met => "target met".to_string(),
        Verdict::Missed(why) => format!("target NOT met: {why}"),
        Verdict::NotJudged(why) => format!("not judged: {why}"),
    };
    let load = f
        .machine
        .load_average
        .map_or_else(|| "unknown".into(), |[a, b]| format!("{a:.1}→{b:.1}"));
    let others = f
        .machine
        .other_programs_cores
        .map_or_else(|| "unknown".into(), |c| format!("{c:.2}"));
    let steal = f
        .machine
        .steal_fraction
        .map_or_else(|| "unknown".into(), |s| format!("{:.1}%", s * 100.0));
    println!(
        "{}\n  sampler {} of a core, {} rounds/s · per thread: on a core {}, queued {:.1}%\n  \
         machine: load average {load}, other programs {others} cores, steal {steal} · {verdict}",
        f.case,
        with_unit(&f.sampler_percent_of_a_core, 2, "%"),
        with_unit(&f.rounds_per_second, 0, ""),
        with_unit(&f.on_cpu_percent, 1, "%"),
        f.queued_percent.median,
    );
}

/// `1.12% (1.10–1.21, 3 runs)`.
fn with_unit(s: &Summary, decimals: usize, unit: &str) -> String {
    format!(
        "{:.decimals$}{unit} ({:.decimals$}–{:.decimals$}, {} runs)",
        s.median, s.min, s.max, s.runs
    )
}
