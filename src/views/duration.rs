//! The one way the workbook writes a duration for a reader: the text view,
//! the TUI, the bench reports and the command line all call [`human`], so
//! the same time reads the same everywhere.
use std::time::Duration;

/// Nanoseconds as a short figure in the largest unit under it, one decimal
/// when it says something: `850 ns`, `12.5 µs`, `20 ms`, `1.5 s`.
pub fn human(ns: u64) -> String {
    let (value, unit) = match ns {
        0 => return "0".into(),
        n if n < 1_000 => return format!("{n} ns"),
        // Past these, one decimal would round up to 1000.0 of the unit.
        n if n < 999_950 => (n as f64 / 1e3, "µs"),
        n if n < 999_950_000 => (n as f64 / 1e6, "ms"),
        n => (n as f64 / 1e9, "s"),
    };
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text} {unit}")
}

/// [`human`] for a [`Duration`].
pub fn human_duration(duration: Duration) -> String {
    human(u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX))
}

/// [`human`] for seconds measured as a float (bench figures); `-` for a
/// figure that is not a number.
pub fn human_secs(seconds: f64) -> String {
    if seconds.is_finite() && seconds >= 0.0 {
        human((seconds * 1e9).round() as u64)
    } else {
        "-".into()
    }
}

/// An axis label at `ns` on an axis marked every `step` ns: the unit of
/// the larger of the two, and as many decimals as the step needs so that
/// neighbours differ (`0 ms`, `2.5 ms`, `5 ms`).
pub fn tick(ns: u64, step: u64) -> String {
    let big = ns.max(step);
    let (unit, suffix) = match big {
        1_000_000_000.. => (1_000_000_000, "s"),
        1_000_000.. => (1_000_000, "ms"),
        1_000.. => (1_000, "µs"),
        _ => (1, "ns"),
    };
    // As many decimals as the step needs, so neighbours differ.
    let mut decimals = 0;
    let mut scale = unit;
    while step % scale != 0 && decimals < 3 {
        decimals += 1;
        scale /= 10;
    }
    format!("{:.*} {suffix}", decimals, ns as f64 / unit as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human(0), "0");
        assert_eq!(human(850), "850 ns");
        assert_eq!(human(1_500), "1.5 µs");
        assert_eq!(human(20_000_000), "20 ms");
        assert_eq!(human(3_240_000), "3.2 ms");
        assert_eq!(human(3_000_000_000), "3 s");
        assert_eq!(human(999_960), "1 ms");
        assert_eq!(human(999_940), "999.9 µs");
        assert_eq!(human_duration(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(human_secs(0.25), "250 ms");
        assert_eq!(human_secs(f64::NAN), "-");
        assert_eq!(tick(20_000_000, 20_000_000), "20 ms");
        assert_eq!(tick(2_500_000, 2_500_000), "2.5 ms");
    }
}
