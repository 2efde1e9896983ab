//! How a figure reads when printed, in the same words in every lesson and
//! bench: a comparison is `52.1 ms (median of 5 runs, 48.0–60.2)`, followed
//! by the machine's load and, when due, a caution; a timing measured once to
//! show a shape says so; a speedup above the core count is explained.
//! Formatting only: the measuring loops stay in the lessons, where a learner
//! reads them.
use super::{Conditions, Summary};

/// How far above `n`× a reading can be pushed by the cores' own run-to-run
/// variation: the same one-thread work took 4-9% more or less from one run
/// to the next on the quiet 2-core test machine, optimized or not (`workbook
/// bench models`: its 1-worker rows time the sequential job against
/// itself). Readings higher than this are load.
const RUN_TO_RUN: f64 = 0.07;

impl Summary {
    /// `52.1 ms (median of 5 runs, 48.0–60.2)` with `decimals` places and
    /// `unit` right after the median (`" ms"`, `"×"`).
    pub fn figure(&self, decimals: usize, unit: &str) -> String {
        format!(
            "{:.decimals$}{unit} (median of {} runs, {:.decimals$}–{:.decimals$})",
            self.median, self.runs, self.min, self.max
        )
    }

    /// The same runs in other units (`1e3` for seconds to ms), so that a
    /// caution quotes the spread in the units printed.
    #[must_use]
    pub fn scaled(&self, by: f64) -> Summary {
        Summary {
            median: self.median * by,
            min: self.min * by,
            max: self.max * by,
            runs: self.runs,
        }
    }
}

/// A one-line account of a figure for a lesson to print: `speedup 1.93×
/// (median of 5 runs, 1.85–1.98); load average 0.40, quiet` and, on a line
/// of its own, a caution when due.
pub fn line(label: &str, summary: &Summary, unit: &str, conditions: &Conditions) -> String {
    format!(
        "{label} {}; {}{}",
        summary.figure(2, unit),
        conditions.brief(),
        caution_below(conditions, &[summary])
    )
}

/// The line under a set of figures: `  measured at load average 0.42,
/// quiet`, and the caution in words when the machine was busy or a figure
/// spread wide.
pub fn measured_at(conditions: &Conditions, figures: &[&Summary]) -> String {
    format!(
        "  measured at {}{}",
        conditions.brief(),
        caution_below(conditions, figures)
    )
}

/// The line that closes a demo whose times are one run each, because they
/// show a shape (an order, an overlap, a wait), not a speed: `  (WHAT; one
/// run, load average 0.42, quiet)`, and on a busy machine the caution, since
/// load stretches every wait and changes every race.
pub fn one_run(conditions: &Conditions, what: &str) -> String {
    format!(
        "  ({what}; one run, {}){}",
        conditions.brief(),
        caution_below(conditions, &[])
    )
}

fn caution_below(conditions: &Conditions, figures: &[&Summary]) -> String {
    conditions
        .caution(figures)
        .map_or_else(String::new, |caution| format!("\n  {caution}"))
}

/// What to say when a speedup of `n` threads over one reads above `n`×
/// (`n` no more than the cores): no round gets more than `n` cores' work
/// from `n` cores, so the excess is noise in that round's ratio. The likelier
/// cause is load: other programs slowing the round's one-thread run more
/// than its `n`-thread run (a 7.04× round on 2 cores was seen at load
/// average 12). Only a reading a few percent above `n` in an unoptimized
/// build can also be the layout effect. `None` when no round read above `n`.
pub fn beyond_cores(speedup: &Summary, n: usize, conditions: &Conditions) -> Option<String> {
    let most = n as f64;
    if speedup.max <= most {
        return None;
    }
    let load = conditions
        .load_average
        .map_or_else(String::new, |[a, _]| format!(" (load average {a:.2})"));
    let mut text = format!(
        "  (a round above {n}× with {n} threads is not extra speed: {n} cores cannot do more than \
         {n} cores' work, so such a round reads as about {n}×. Most likely other programs slowed \
         that round's one-thread run more than its {n}-thread run{load}."
    );
    if speedup.max <= most * (1.0 + RUN_TO_RUN) {
        text.push_str(
            " A few percent above can also be the cores themselves: on a shared machine the same \
             one-thread work takes a few percent more or less from one run to the next (`workbook \
             bench models` shows it: its 1-worker rows time the sequential job against itself).",
        );
    }
    text.push(')');
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conditions(other_programs_cores: f64, optimized: bool) -> Conditions {
        Conditions {
            cores: 2,
            load_average: Some([0.5, 0.5]),
            other_programs_cores: Some(other_programs_cores),
            steal_fraction: Some(0.0),
            seconds: 1.0,
            optimized,
        }
    }

    #[test]
    fn figures_print_their_median_runs_and_spread() {
        let s = Summary::of(&[0.050, 0.0505, 0.052]).unwrap();
        assert_eq!(
            s.scaled(1e3).figure(1, " ms"),
            "50.5 ms (median of 3 runs, 50.0–52.0)"
        );
        let ratio = Summary::of(&[5.9, 6.0, 6.1]).unwrap();
        let quiet = conditions(0.0, true);
        assert_eq!(
            line("speedup", &ratio, "×", &quiet),
            "speedup 6.00× (median of 3 runs, 5.90–6.10); load average 0.50, quiet"
        );
        assert_eq!(
            measured_at(&quiet, &[&ratio]),
            "  measured at load average 0.50, quiet"
        );
        assert_eq!(
            one_run(&quiet, "waits overlap"),
            "  (waits overlap; one run, load average 0.50, quiet)"
        );
        let busy = one_run(&conditions(1.5, true), "waits overlap");
        assert!(busy.contains(", busy)\n  Noisy: other programs"), "{busy}");
    }

    #[test]
    fn a_round_above_the_core_count_is_load_first_and_run_to_run_only_when_a_few_percent() {
        let within = Summary::of(&[1.8, 1.9, 2.0]).unwrap();
        assert_eq!(beyond_cores(&within, 2, &conditions(0.0, false)), None);
        let little = Summary::of(&[1.9, 1.95, 2.05]).unwrap();
        let far = Summary::of(&[1.9, 1.95, 7.04]).unwrap();
        let debug = beyond_cores(&little, 2, &conditions(0.0, false)).unwrap();
        assert!(debug.contains("is not extra speed"), "{debug}");
        assert!(debug.contains("Most likely other programs"), "{debug}");
        assert!(debug.contains("(load average 0.50)"), "{debug}");
        assert!(debug.contains("from one run to the next"), "{debug}");
        let load = beyond_cores(&far, 2, &conditions(1.5, false)).unwrap();
        assert!(!load.contains("run to the next"), "7× is load: {load}");
        let release = beyond_cores(&little, 2, &conditions(0.0, true)).unwrap();
        assert!(release.contains("run to the next"), "{release}");
    }
}
