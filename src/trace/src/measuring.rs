//! One measuring policy for every figure the workbook prints: `workbook
//! bench` (models, trace, tui), its JSON, the TUI's benchmark view and the
//! lessons' own speedups and timings.
//!
//! A single timing on a shared 2-core machine swings by half or more, so a
//! figure is never one run:
//! - each job is sized ([`calibrate`]) to run long enough to measure, about
//!   half a second sequential;
//! - it runs at least [`RUNS`] times, the variants being compared taking
//!   turns ([`alternate`]), so a burst of load hits all of them alike;
//! - it is reported as the median with its spread, min to max ([`Summary`]);
//! - the machine is watched while measuring ([`Watch`]): load average, CPU
//!   time other programs used, CPU time the hypervisor stole (`/proc/stat`).
//!   When the spread is wide or the machine was busy, [`Conditions::caution`]
//!   says so in words instead of leaving a confident number alone.
//!
//! The CPU-bound job itself, [`mix_sum`], is here too, so that it is
//! optimized in every build (see its module for why that matters).
mod machine;
mod printing;
mod work;

pub use machine::{Conditions, Watch};
pub use printing::{beyond_cores, line, measured_at, one_run};
use serde::Serialize;
use std::time::Instant;
pub use work::mix_sum;

/// The fewest runs behind a figure.
pub const RUNS: usize = 5;
/// A spread (max − min) wider than this share of the median is called wide.
pub const WIDE_SPREAD: f64 = 0.2;

/// The median of several runs and how far they spread.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub runs: usize,
}

impl Summary {
    /// `None` for no values; NaNs are left out.
    pub fn of(values: &[f64]) -> Option<Summary> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            f64::midpoint(sorted[n / 2 - 1], sorted[n / 2])
        };
        Some(Summary {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            runs: n,
        })
    }

    /// Run by run, `top[i] / bottom[i]`: with alternating runs, each pair saw
    /// the same moment of the machine, so the ratio's spread is honest.
    pub fn of_ratios(top: &[f64], bottom: &[f64]) -> Option<Summary> {
        let ratios: Vec<f64> = top.iter().zip(bottom).map(|(t, b)| t / b).collect();
        Summary::of(&ratios)
    }

    /// Speedups over the sequential job at its best: each of `times` is
    /// compared with the fastest of the `sequential` runs, and the median
    /// and spread are those of these ratios.
    ///
    /// Load and the host only ever slow a run, never speed it up, so the
    /// fastest sequential run is the closest to what one core can do. Run
    /// by run pairs let a sequential run slowed by a burst make the run
    /// after it look faster than the cores allow: 2.05× and 2.02× on 2
    /// cores were printed so, on a quiet machine whose vCPUs change speed
    /// by about 5% from one second to the next. Against the best baseline a
    /// run can pass the core count only if every sequential run was slowed;
    /// the choice can lower a speedup, never raise it.
    pub fn of_speedups(sequential: &[f64], times: &[f64]) -> Option<Summary> {
        let best = Summary::of(sequential)?.min;
        let speedups: Vec<f64> = times.iter().map(|t| best / t).collect();
        Summary::of(&speedups)
    }

    /// (max − min) / median.
    pub fn relative_spread(&self) -> f64 {
        if self.median == 0.0 {
            0.0
        } else {
            (self.max - self.min) / self.median.abs()
        }
    }

    pub fn is_wide(&self) -> bool {
        self.relative_spread() > WIDE_SPREAD
    }

    /// `1.93 (1.85–1.98, 5 runs)` with `decimals` places.
    pub fn text(&self, decimals: usize) -> String {
        format!(
            "{:.decimals$} ({:.decimals$}–{:.decimals$}, {} runs)",
            self.median, self.min, self.max, self.runs
        )
    }
}

/// Seconds `f` took, and what it returned.
pub fn timed<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let started = Instant::now();
    let value = f();
    (started.elapsed().as_secs_f64(), value)
}

/// Runs `variants` variants `runs` times each, taking turns (0, 1, .., 0, 1,
/// ..), and returns each variant's seconds in run order. `run(v)` runs
/// variant `v` once and returns its seconds.
pub fn alternate(
    runs: usize,
    variants: usize,
    mut run: impl FnMut(usize) -> anyhow::Result<f64>,
) -> anyhow::Result<Vec<Vec<f64>>> {
    let mut seconds = vec![Vec::with_capacity(runs); variants];
    for _ in 0..runs {
        for (variant, times) in seconds.iter_mut().enumerate() {
            times.push(run(variant)?);
        }
    }
    Ok(seconds)
}

/// The size of a job that takes about `target` seconds: `run(size)` runs the
/// job at that size and returns its seconds. Sizes double from `start` until
/// a probe takes a tenth of the target, then scale; each probe is the
/// fastest of three (load only ever makes a probe slower).
pub fn calibrate(target: f64, start: u64, mut run: impl FnMut(u64) -> f64) -> u64 {
    let mut size = start.max(1);
    loop {
        let took = (0..3).map(|_| run(size)).fold(f64::INFINITY, f64::min);
        if took >= target / 10.0 || size >= u64::MAX / 4 {
            return ((target / took.max(1e-9)) * size as f64).max(size as f64) as u64;
        }
        size *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_odd_and_an_even_count() {
        let s = Summary::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.median, s.min, s.max, s.runs), (2.0, 1.0, 3.0, 3));
        assert!((Summary::of(&[4.0, 1.0, 2.0, 3.0]).unwrap().median - 2.5).abs() < 1e-12);
        assert_eq!(Summary::of(&[]), None);
        assert_eq!(Summary::of(&[f64::NAN, 1.0]).unwrap().runs, 1);
    }

    #[test]
    fn ratios_pair_runs_and_a_wide_spread_is_named() {
        let s = Summary::of_ratios(&[2.0, 2.0, 2.0], &[1.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (2.0, 1.0, 2.0));
        assert!(s.is_wide());
        assert!(!Summary::of(&[1.0, 1.05, 1.1]).unwrap().is_wide());
        assert_eq!(s.text(1), "2.0 (1.0–2.0, 3 runs)");
    }

    #[test]
    fn variants_take_turns() {
        let mut order = Vec::new();
        let times = alternate(3, 2, |v| {
            order.push(v);
            Ok(v as f64)
        })
        .unwrap();
        assert_eq!(order, [0, 1, 0, 1, 0, 1]);
        assert_eq!(times, [vec![0.0; 3], vec![1.0; 3]]);
    }

    #[test]
    fn speedups_are_over_the_fastest_sequential_run() {
        // One sequential run slowed to 2.4 s: the runs of 1.0 s are 2.0x
        // over the best (2.0 s), not 2.4x over the slowed one.
        let s = Summary::of_speedups(&[2.4, 2.0, 2.2], &[1.0, 1.0, 1.25]).unwrap();
        assert_eq!((s.median, s.min, s.max, s.runs), (2.0, 1.6, 2.0, 3));
        assert_eq!(Summary::of_speedups(&[], &[1.0]), None);
        assert_eq!(Summary::of_speedups(&[1.0], &[]), None);
    }

    #[test]
    fn calibration_scales_a_linear_job_to_the_target() {
        // A job of 1 µs per unit: 0.5 s is 500,000 units.
        let size = calibrate(0.5, 1, |n| n as f64 * 1e-6);
        assert!((450_000..=550_000).contains(&size), "{size}");
    }
}
