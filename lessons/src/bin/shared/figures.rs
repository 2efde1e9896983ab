//! How a lesson prints what it measured, by the workbook's one measuring
//! policy (`workbook_trace::measuring`): a comparison is the median of a few
//! runs with the variants taking turns, printed with its spread (min to max)
//! and the machine's load; a timing measured once to show a shape (three
//! waits overlapped, not added) says so and says how busy the machine was,
//! so no lone number reads as more certain than it is.
//!
//! Shared by lessons 01 to 03 (`#[path]`); each uses part of it.
#![allow(dead_code)]
use workbook_trace::measuring::{Conditions, Summary, Watch};

/// `52.1 ms (median of 5 runs, 48.0–60.2)` from a summary of seconds.
pub fn ms(seconds: &Summary) -> String {
    format!(
        "{:.1} ms (median of {} runs, {:.1}–{:.1})",
        seconds.median * 1e3,
        seconds.runs,
        seconds.min * 1e3,
        seconds.max * 1e3
    )
}

/// `4.3× (median of 5 runs, 3.9–4.8)` for a ratio.
pub fn times(ratio: &Summary) -> String {
    format!(
        "{:.2}× (median of {} runs, {:.2}–{:.2})",
        ratio.median, ratio.runs, ratio.min, ratio.max
    )
}

/// `seconds` in other units (`1e3` for ms), so a caution quotes the spread
/// in the units printed.
pub fn scaled(seconds: &Summary, by: f64) -> Summary {
    Summary {
        median: seconds.median * by,
        min: seconds.min * by,
        max: seconds.max * by,
        runs: seconds.runs,
    }
}

/// The line under a set of figures: `load average 0.42, quiet`, and on a
/// line of its own the caution in words when the machine was busy or a
/// figure spread wide.
pub fn machine(conditions: &Conditions, figures: &[&Summary]) -> String {
    let mut text = format!("  measured at {}", conditions.brief());
    if let Some(caution) = conditions.caution(figures) {
        text.push_str("\n  ");
        text.push_str(&caution);
    }
    text
}

/// For a demo whose times are measured once because they show a shape (an
/// order, an overlap), not a speed: what they are, and the machine's load;
/// on a busy machine, that the times may run late.
pub fn one_run(watch: &Watch) -> String {
    let conditions = watch.finish();
    let mut text = format!(
        "  (times from one run, at {}: they show the shape, not a speed",
        conditions.brief()
    );
    if conditions.busy() {
        text.push_str("; other programs were running, so waits may end late");
    }
    text.push(')');
    text
}

/// What to say when a speedup on `cores` cores reads above `cores`×: no
/// run can get more than `cores` cores' worth of work from `cores` cores,
/// so the excess is noise in the ratio, not parallelism; the reasons given
/// are the ones that applied (a busy machine, an unoptimized build).
/// `None` when no run read above it.
pub fn beyond_cores(speedup: &Summary, cores: usize, conditions: &Conditions) -> Option<String> {
    if speedup.max <= cores as f64 {
        return None;
    }
    let mut why = Vec::new();
    if conditions.busy() {
        why.push(
            "other programs held the cores more during one half of a run than during the other",
        );
    }
    // This file is compiled into the lesson, so this is the lesson's build.
    if cfg!(debug_assertions) {
        why.push(
            "this build is not optimized, and unoptimized code's speed shifts by up to ~7% with \
             where its code and stacks land in memory, from one run of the lesson to the next, \
             and it can differ between the threads of one run",
        );
    }
    if why.is_empty() {
        why.push("a core ran a little faster, or was disturbed less, in one half of a run");
    }
    Some(format!(
        "Above {cores}× on {cores} cores is not extra parallelism: {cores} cores cannot do more \
         than {cores} cores' work. The excess is noise in the ratio: {}. A run above {cores}× \
         reads as about {cores}×, no more.",
        why.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conditions(other_programs_cores: f64) -> Conditions {
        Conditions {
            cores: 2,
            load_average: Some([0.5, 0.5]),
            other_programs_cores: Some(other_programs_cores),
            steal_fraction: Some(0.0),
            seconds: 1.0,
            optimized: false,
        }
    }

    #[test]
    fn a_run_above_the_core_count_is_explained_with_the_reasons_that_applied() {
        let within = Summary::of(&[1.8, 1.9, 2.0]).unwrap();
        assert_eq!(beyond_cores(&within, 2, &conditions(0.0)), None);
        let above = Summary::of(&[1.9, 1.95, 2.05]).unwrap();
        let quiet = beyond_cores(&above, 2, &conditions(0.0)).unwrap();
        assert!(quiet.contains("is not extra parallelism"), "{quiet}");
        assert!(quiet.ends_with("reads as about 2×, no more."), "{quiet}");
        assert!(!quiet.contains("other programs"), "{quiet}");
        let busy = beyond_cores(&above, 2, &conditions(1.5)).unwrap();
        assert!(busy.contains("other programs held the cores"), "{busy}");
    }

    #[test]
    fn figures_print_their_median_runs_and_spread() {
        let s = Summary::of(&[0.050, 0.0505, 0.052]).unwrap();
        assert_eq!(ms(&s), "50.5 ms (median of 3 runs, 50.0–52.0)");
        let ratio = Summary::of(&[5.9, 6.0, 6.1]).unwrap();
        assert_eq!(times(&ratio), "6.00× (median of 3 runs, 5.90–6.10)");
        assert!((scaled(&s, 1e3).median - 50.5).abs() < 1e-9);
    }
}
