//! Freezing a run: every process of the lesson's tree stopped with SIGSTOP
//! ([`supervisor::Stopper::freeze`]) and later continued, so an instructor
//! can stop the world at a moment worth pointing at.
//!
//! Each freeze and resume becomes a Freeze record on the sampler's
//! connection, sent by the sampler thread with its next round (the caller
//! may be the thread that drains the run's bounded channel, which must not
//! wait on it), and the sampler reads every thread's state at once, so the
//! kernel rows show the stop where it happened.
//!
//! The run's deadline counts running time only: time spent frozen is added
//! to it ([`FreezeClock::time_left`]).
use super::sampler::Requests;
use crate::wire::Record;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Frozen time so far, for the deadline.
#[derive(Debug, Default)]
pub struct FreezeClock {
    /// When the current freeze began, while frozen.
    since: Option<Instant>,
    /// Time spent in freezes that ended.
    total: Duration,
}

impl FreezeClock {
    pub fn is_frozen(&self) -> bool {
        self.since.is_some()
    }

    pub fn frozen_at(&mut self, at: Instant) {
        self.since.get_or_insert(at);
    }

    pub fn resumed_at(&mut self, at: Instant) {
        if let Some(since) = self.since.take() {
            self.total += at.saturating_duration_since(since);
        }
    }

    /// Frozen time up to `now`, the current freeze included.
    pub fn frozen_for(&self, now: Instant) -> Duration {
        self.total
            + self
                .since
                .map_or(Duration::ZERO, |s| now.saturating_duration_since(s))
    }

    /// What is left of `limit` of running time for a lesson started at
    /// `started`, not counting time frozen. While frozen it stays put.
    pub fn time_left(&self, limit: Duration, started: Instant, now: Instant) -> Duration {
        let ran = now
            .saturating_duration_since(started)
            .saturating_sub(self.frozen_for(now));
        limit.saturating_sub(ran)
    }
}

/// What a freeze needs while the lesson runs.
pub struct Lesson {
    pub stopper: supervisor::Stopper,
    /// The run's epoch: Freeze records are timed from it.
    pub epoch: Instant,
    pub sampler: Arc<Requests>,
}

impl Lesson {
    /// Stops or continues the tree and has the sampler record it.
    pub fn set_frozen(&self, clock: &mut FreezeClock, frozen: bool) -> bool {
        if clock.is_frozen() == frozen {
            return false;
        }
        let now = Instant::now();
        if frozen {
            self.stopper.freeze();
            clock.frozen_at(now);
        } else {
            self.stopper.resume();
            clock.resumed_at(now);
        }
        let ts = now.saturating_duration_since(self.epoch).as_nanos() as u64;
        self.sampler
            .send_with_next_round(Record::Freeze { ts, frozen });
        true
    }
}

/// The freeze side of a run's control: the clock, and while the lesson
/// runs, what freezing it needs.
#[derive(Default)]
pub struct FreezeState {
    pub clock: FreezeClock,
    pub lesson: Option<Lesson>,
}

/// Freezes and resumes a run from any thread (a key in the TUI, a
/// job-control signal in `workbook run`); cheap to clone.
#[derive(Clone)]
pub struct Freezer {
    pub(super) control: Arc<super::Control>,
}

impl Freezer {
    /// Freezes (`true`) or resumes the lesson's whole tree. Returns false
    /// when it was so already or no lesson runs (still building, ended).
    pub fn set(&self, frozen: bool) -> bool {
        let mut state = self.control.freeze();
        let FreezeState { clock, lesson } = &mut *state;
        lesson
            .as_ref()
            .is_some_and(|lesson| lesson.set_frozen(clock, frozen))
    }

    pub fn is_frozen(&self) -> bool {
        self.control.freeze().clock.is_frozen()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_time_does_not_count_against_the_deadline() {
        let started = Instant::now();
        let at = |ms| started + Duration::from_millis(ms);
        let limit = Duration::from_secs(1);
        let mut clock = FreezeClock::default();
        assert_eq!(
            clock.time_left(limit, started, at(300)),
            Duration::from_millis(700)
        );
        clock.frozen_at(at(300));
        assert!(clock.is_frozen());
        // While frozen, the time left stays where it was.
        assert_eq!(
            clock.time_left(limit, started, at(5000)),
            Duration::from_millis(700)
        );
        clock.resumed_at(at(5300));
        assert_eq!(clock.frozen_for(at(6000)), Duration::from_secs(5));
        assert_eq!(
            clock.time_left(limit, started, at(5500)),
            Duration::from_millis(500)
        );
        assert_eq!(clock.time_left(limit, started, at(9000)), Duration::ZERO);
    }
}
