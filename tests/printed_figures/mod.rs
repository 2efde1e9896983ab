//! Reading back the figures a lesson prints under the measuring policy
//! (`workbook_trace::measuring::line`): `LABEL 1.93× (median of 5 runs,
//! 1.85–1.98); load average 0.42, quiet`, and checking that the median and
//! spread printed are the ones its printed runs give.
#![allow(dead_code)]

/// A figure as printed: its median, spread and number of runs.
#[derive(Debug, Clone, Copy)]
pub struct Printed {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub runs: usize,
}

/// The leading number of `text` (digits, '.', '-').
fn leading_number(text: &str) -> Option<f64> {
    let digits: String = text
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    digits.parse().ok()
}

/// The figure printed after `label` on the first line holding it, with the
/// policy's shape: a median, then `(median of N runs, MIN–MAX`.
pub fn figure(out: &str, label: &str) -> Printed {
    figure_in(out, "", label)
}

/// [`figure`] on the first line that starts (trimmed) with `start` and
/// holds `label`.
pub fn figure_in(out: &str, start: &str, label: &str) -> Printed {
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with(start) && l.contains(label))
        .unwrap_or_else(|| panic!("no line with {start:?}…{label:?} in:\n{out}"));
    let rest = line.split_once(label).expect("found").1;
    let median = leading_number(rest).unwrap_or_else(|| panic!("no median in {line:?}"));
    let inside = rest
        .split_once("(median of ")
        .and_then(|(_, r)| r.split_once(')'))
        .unwrap_or_else(|| panic!("no '(median of N runs, MIN–MAX)' in {line:?}"))
        .0;
    let (runs, spread) = inside
        .split_once(" runs, ")
        .unwrap_or_else(|| panic!("no run count in {line:?}"));
    let (min, max) = spread
        .split_once('–')
        .unwrap_or_else(|| panic!("no MIN–MAX in {line:?}"));
    let number = |t: &str| leading_number(t).unwrap_or_else(|| panic!("{t:?} in {line:?}"));
    Printed {
        median,
        min: number(min),
        max: number(max),
        runs: runs.trim().parse().expect("a run count"),
    }
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    assert!(n > 0, "no values");
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        f64::midpoint(sorted[n / 2 - 1], sorted[n / 2])
    }
}

/// The printed figure is the median, min and max of `values` (within
/// `tolerance`, for the rounding of what was printed), over as many runs.
pub fn assert_summarizes(printed: Printed, values: &[f64], tolerance: f64, out: &str) {
    assert_eq!(
        printed.runs,
        values.len(),
        "run count; values {values:?}:\n{out}"
    );
    assert!(printed.runs >= 3, "a figure needs at least 3 runs:\n{out}");
    let lowest = values.iter().copied().fold(f64::INFINITY, f64::min);
    let highest = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    for (what, shown, measured) in [
        ("median", printed.median, median(values)),
        ("min", printed.min, lowest),
        ("max", printed.max, highest),
    ] {
        assert!(
            (shown - measured).abs() <= tolerance,
            "printed {what} {shown}, the printed runs give {measured} ({values:?}):\n{out}"
        );
    }
    assert!(
        printed.min <= printed.median && printed.median <= printed.max,
        "{printed:?}:\n{out}"
    );
}

/// Every number after `marker` on the lines that start (trimmed) with
/// `start`, in order: one per line.
pub fn per_run(out: &str, start: &str, marker: &str) -> Vec<f64> {
    out.lines()
        .filter(|l| l.trim_start().starts_with(start))
        .map(|l| {
            let rest = l
                .split_once(marker)
                .unwrap_or_else(|| panic!("no {marker:?} in {l:?}"))
                .1;
            leading_number(rest).unwrap_or_else(|| panic!("no number after {marker:?} in {l:?}"))
        })
        .collect()
}

/// The figures came with the machine's conditions: a load average and
/// whether it was quiet or busy, and the policy's caution when busy.
pub fn assert_conditions_printed(out: &str) {
    let brief = out
        .lines()
        .find(|l| l.contains("load average"))
        .unwrap_or_else(|| panic!("no load average printed:\n{out}"));
    assert!(
        brief.contains("quiet") || brief.contains("busy"),
        "{brief:?}:\n{out}"
    );
    if brief.contains("busy") {
        assert!(
            out.contains("Noisy: "),
            "busy, and no caution in words:\n{out}"
        );
    }
}

/// Run by run, `top[i] / bottom[i]`.
pub fn ratios(top: &[f64], bottom: &[f64]) -> Vec<f64> {
    assert_eq!(top.len(), bottom.len());
    top.iter().zip(bottom).map(|(t, b)| t / b).collect()
}

/// How far values computed by the test from printed, rounded inputs can be
/// from the ones the program computed from exact inputs: a product or
/// quotient `results[i]` of inputs each rounded by up to `half` (half the
/// last printed digit) moves by at most `|results[i]| × Σ half / input`.
/// The largest over the runs, which also bounds how far their median moves.
pub fn slack(results: &[f64], inputs: &[&[f64]], half: f64) -> f64 {
    results
        .iter()
        .enumerate()
        .map(|(i, r)| r.abs() * inputs.iter().map(|x| half / x[i].abs()).sum::<f64>())
        .fold(0.0, f64::max)
}

/// [`assert_summarizes`] for a ratio printed to 2 decimals, computed run by
/// run from `top` and `bottom` as printed to within `half`.
pub fn assert_ratio(printed: Printed, top: &[f64], bottom: &[f64], half: f64, out: &str) {
    let values = ratios(top, bottom);
    let tolerance = 0.0051 + slack(&values, &[top, bottom], half);
    assert_summarizes(printed, &values, tolerance, out);
}

#[test]
fn a_printed_figure_is_read_back_and_held_to_its_runs() {
    let out = "  round 1: a 10.00 ms, b 5.00 ms\n  round 2: a 12.00 ms, b 5.00 ms\n  \
               round 3: a 11.00 ms, b 5.50 ms\n  speedup 2.00× (median of 3 runs, 2.00–2.40); \
               load average 0.40, quiet\n";
    let (a, b) = (per_run(out, "round ", "a "), per_run(out, "round ", "b "));
    assert_eq!(a, [10.0, 12.0, 11.0]);
    let printed = figure(out, "speedup");
    assert_eq!(
        (printed.median, printed.min, printed.max, printed.runs),
        (2.0, 2.0, 2.4, 3)
    );
    assert_ratio(printed, &a, &b, 0.005, out);
    assert_conditions_printed(out);
    let wrong = std::panic::catch_unwind(|| assert_ratio(printed, &a, &a, 0.005, out));
    assert!(wrong.is_err(), "a median its runs do not give must fail");
}
