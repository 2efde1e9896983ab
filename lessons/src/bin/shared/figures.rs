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
/// so the excess is how the two halves' speeds differ, not parallelism.
/// `None` when no run read above it.
pub fn beyond_cores(speedup: &Summary, cores: usize, optimized: bool) -> Option<String> {
    if speedup.max <= cores as f64 {
        return None;
    }
    let why = if optimized {
        "a core ran a little faster, or was disturbed less, in one half of a run than in the other"
    } else {
        "this build is not optimized, and the speed of unoptimized code can shift by up to ~7% \
         with where its code and stacks land in memory, from one run of the lesson to the next, \
         and it can differ between the threads of one run"
    };
    Some(format!(
        "Above {cores}× on {cores} cores is not extra parallelism: {cores} cores cannot do more \
         than {cores} cores' work. The excess is noise in the ratio: {why}. Read it as about {cores}×."
    ))
}
