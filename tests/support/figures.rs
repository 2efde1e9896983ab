//! Reading back the figures a lesson prints under the measuring policy
//! (`workbook_trace::measuring`): `LABEL 52.1 ms (median of 5 runs,
//! 48.0–60.2)`, then the machine's load (`load average 0.42, quiet`), so a
//! test can check that they fit together: the median lies within its spread,
//! the median and spread are the ones the printed runs give (within what the
//! printed precision allows), the load is printed, 'busy' comes with a
//! caution, and a reading above the core count is explained.

/// A median and its spread as printed.
#[derive(Debug, Clone, Copy)]
pub struct Printed {
    pub median: f64,
    /// `None` when the brackets do not say how many runs (`91.0 ms
    /// (88.0–95.0)`, under a line saying how many).
    pub runs: Option<usize>,
    pub min: f64,
    pub max: f64,
}

impl Printed {
    /// The median lies within its own spread (figures printed to `slack`).
    pub fn is_consistent(&self, slack: f64) -> bool {
        self.min <= self.max && self.min - slack <= self.median && self.median <= self.max + slack
    }
}

/// The leading decimal number of `text` (after spaces), if any.
pub fn leading_number(text: &str) -> Option<f64> {
    let digits: String = text
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    digits.parse().ok()
}

/// The number after `prefix` on the first line holding it; panics, with
/// the whole output, when there is none.
pub fn number_after(text: &str, prefix: &str) -> f64 {
    text.lines()
        .find_map(|l| l.split_once(prefix).map(|(_, rest)| rest))
        .and_then(leading_number)
        .unwrap_or_else(|| panic!("no number after {prefix:?} in:\n{text}"))
}

/// The figure printed right after `label` on the first line holding it.
/// Panics, with the whole output, when there is none or it has no spread.
pub fn after(text: &str, label: &str) -> Printed {
    let rest = text
        .lines()
        .find_map(|l| l.split_once(label).map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("no line with {label:?} in:\n{text}"));
    parse(rest).unwrap_or_else(|| panic!("no median and spread after {label:?} in:\n{text}"))
}

/// `52.1 ms (median of 5 runs, 48.0–60.2)...` or `91.0 ms (88.0–95.0)...`.
pub fn parse(rest: &str) -> Option<Printed> {
    let median = leading_number(rest)?;
    let inside = rest.split_once('(')?.1.split_once(')')?.0;
    let (runs, range) = match inside.strip_prefix("median of ") {
        Some(counted) => {
            let (runs, range) = counted.split_once(" runs, ")?;
            (Some(runs.parse().ok()?), range)
        }
        None => (None, inside),
    };
    let (min, max) = range.split_once('–')?;
    Some(Printed {
        median,
        runs,
        min: leading_number(min)?,
        max: leading_number(max)?,
    })
}

/// The figure printed after `label` on the first line holding it, in the
/// policy's full shape: a median, then `(median of N runs, MIN–MAX)`.
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
    let printed = parse(rest)
        .unwrap_or_else(|| panic!("no 'MEDIAN (median of N runs, MIN–MAX)' in {line:?}"));
    assert!(printed.runs.is_some(), "no run count in {line:?}");
    printed
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
        Some(values.len()),
        "run count; values {values:?}:\n{out}"
    );
    assert!(values.len() >= 3, "a figure needs at least 3 runs:\n{out}");
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
    assert!(printed.is_consistent(0.0), "{printed:?}:\n{out}");
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

/// The words every lesson prints for a speedup read above its thread count
/// (`workbook_trace::measuring::beyond_cores`).
pub const ABOVE_CORES: &str = "is not extra speed";

/// A speedup whose highest round read above `n`× (beyond the last printed
/// digit, `half`) is explained in words; one clearly below `n` is not.
pub fn assert_above_cores_explained(out: &str, max: f64, n: f64, half: f64) {
    let explained = out.contains(ABOVE_CORES);
    if max > n + half {
        assert!(explained, "a round above {n}× unexplained:\n{out}");
    } else if max < n - half {
        assert!(!explained, "explained a reading not above {n}×:\n{out}");
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
