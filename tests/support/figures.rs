//! Reading back the figures a lesson prints by the measuring policy:
//! `LABEL 52.1 ms (median of 5 runs, 48.0–60.2)`, a median followed by its
//! runs and spread in brackets, so a test can check that they fit together.

/// A median and its spread as printed.
#[derive(Debug, Clone, Copy)]
pub struct Printed {
    pub median: f64,
    /// `None` when the brackets do not say how many runs.
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
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits.parse().ok()
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
