//! The sampler's pace: how long to wait after a turn of its loop so that
//! it spends [`BUDGET`] of one core on average.
//!
//! A token bucket: credit is earned at [`BUDGET`] of the wall time and
//! spent by each turn's CPU time, and holds at most [`BURST`]; the bucket
//! starts full, so a run's first turns (every thread new, every file to
//! open) come at the shortest interval. When credit is short, the wait is
//! as long as it takes to earn the cost of a turn, taken as an average of
//! the last turns: they differ (one that looks for new tasks costs more
//! than the two before it).
use super::{BUDGET, BURST, MAX_INTERVAL, MIN_INTERVAL};
use std::time::Duration;

/// How much of a new turn's cost moves the average.
const SMOOTHING: f64 = 0.25;

#[derive(Debug)]
pub struct Pace {
    /// The average cost of a turn, ns of CPU time.
    cost_ns: Option<f64>,
    /// CPU time the sampler may still spend ahead of the budget, ns (below
    /// zero: behind it).
    credit_ns: f64,
}

impl Default for Pace {
    fn default() -> Pace {
        Pace {
            cost_ns: None,
            credit_ns: BURST.as_nanos() as f64,
        }
    }
}

impl Pace {
    /// Takes in a turn that cost `cost` of CPU time, `elapsed` of wall
    /// time since the last turn ended; returns the wait before the next.
    pub fn after(&mut self, cost: Duration, elapsed: Duration) -> Duration {
        let cost = cost.as_nanos() as f64;
        let earned = elapsed.as_nanos() as f64 * BUDGET;
        self.credit_ns = (self.credit_ns + earned - cost).min(BURST.as_nanos() as f64);
        let average = self
            .cost_ns
            .map_or(cost, |average| average + (cost - average) * SMOOTHING);
        self.cost_ns = Some(average);
        let short = (average - self.credit_ns).max(0.0);
        Duration::from_nanos((short / BUDGET) as u64).clamp(MIN_INTERVAL, MAX_INTERVAL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Turns of `cost` each, paced; returns the share of one core spent
    /// over the wall time and the waits.
    fn run(pace: &mut Pace, turns: usize, cost: Duration) -> (f64, Vec<Duration>) {
        let (mut spent, mut wall, mut waits) = (Duration::ZERO, Duration::ZERO, Vec::new());
        let mut wait = Duration::ZERO;
        for _ in 0..turns {
            // The turn takes as long on the wall as on the CPU.
            wait = pace.after(cost, wait + cost);
            spent += cost;
            wall += wait + cost;
            waits.push(wait);
        }
        (spent.as_secs_f64() / wall.as_secs_f64(), waits)
    }

    #[test]
    fn a_run_starts_fine_and_settles_at_the_budget() {
        let mut pace = Pace::default();
        // 400 µs a turn: the first few come at the shortest interval.
        let (_, waits) = run(&mut pace, 5, Duration::from_micros(400));
        assert_eq!(waits[..3], [MIN_INTERVAL; 3], "{waits:?}");
        // Then 40 ms apart (400 µs at 1%), and 1% of a core over a long run.
        let (share, waits) = run(&mut pace, 500, Duration::from_micros(400));
        let last = *waits.last().unwrap();
        assert!(
            (Duration::from_millis(39)..=Duration::from_millis(41)).contains(&last),
            "{last:?}"
        );
        assert!((share - BUDGET).abs() < 0.001, "{share}");
    }

    #[test]
    fn waits_stay_within_bounds() {
        let mut pace = Pace::default();
        let (_, waits) = run(&mut pace, 50, Duration::from_micros(10));
        assert!(
            waits.iter().all(|&w| w == MIN_INTERVAL),
            "cheap turns: the shortest"
        );
        let (_, waits) = run(&mut pace, 50, Duration::from_secs(1));
        assert_eq!(
            *waits.last().unwrap(),
            MAX_INTERVAL,
            "never past the longest"
        );
    }
}
