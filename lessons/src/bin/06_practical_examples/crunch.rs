//! The number crunching of the `data_processing` demo: sums of squares over
//! large ranges, and per-station statistics over generated temperature
//! readings. Each has a one-thread form; the parallel forms live in the demo.
use std::ops::Range;

/// `Σ i²` over the range, wrapping on overflow. `black_box` keeps the
/// optimizer from replacing the loop with a formula: we want the work done.
pub fn sum_of_squares(range: Range<u64>) -> u64 {
    range
        .map(|i| {
            let i = std::hint::black_box(i);
            i.wrapping_mul(i)
        })
        .fold(0, u64::wrapping_add)
}

pub const STATIONS: usize = 40;

/// One temperature reading, in tenths of a degree.
pub struct Reading {
    pub station: u16,
    pub tenths: i16,
}

/// `count` readings, the same every run.
pub fn readings(count: usize) -> Vec<Reading> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let station = (state % STATIONS as u64) as u16;
            let tenths = (state >> 20) % 600;
            Reading {
                station,
                tenths: tenths as i16 - 200 + station as i16 * 3,
            }
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Summary {
    pub min: i16,
    pub max: i16,
    pub sum: i64,
    pub count: u64,
}

impl Default for Summary {
    fn default() -> Self {
        Summary {
            min: i16::MAX,
            max: i16::MIN,
            sum: 0,
            count: 0,
        }
    }
}

/// Min, max, sum and count for each station, over a slice of readings.
pub fn summarize(readings: &[Reading]) -> Vec<Summary> {
    let mut stats = vec![Summary::default(); STATIONS];
    for r in readings {
        let s = &mut stats[r.station as usize];
        s.min = s.min.min(r.tenths);
        s.max = s.max.max(r.tenths);
        s.sum += i64::from(r.tenths);
        s.count += 1;
    }
    stats
}

/// Combines two partial results: what makes a split-and-merge parallel.
pub fn merge(mut a: Vec<Summary>, b: Vec<Summary>) -> Vec<Summary> {
    for (x, y) in a.iter_mut().zip(b) {
        x.min = x.min.min(y.min);
        x.max = x.max.max(y.max);
        x.sum += y.sum;
        x.count += y.count;
    }
    a
}
