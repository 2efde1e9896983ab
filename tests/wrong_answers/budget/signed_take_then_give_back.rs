//! WRONG: a signed count, taken with fetch_sub first and given back when it went below zero: it can no longer overspend, but while a refused take has not yet given its units back, another thread asking for what is really there is refused (loom must find it).
use crate::sync::atomic::{AtomicI64, Ordering};

/// Units that many threads spend concurrently.
pub struct Budget {
    // Signed, so that a take below zero shows as negative instead of wrapping.
    left: AtomicI64,
}

impl Budget {
    pub fn new(units: u64) -> Self {
        Self {
            left: AtomicI64::new(units as i64),
        }
    }

    /// How many units are left.
    pub fn left(&self) -> u64 {
        self.left.load(Ordering::Relaxed).max(0) as u64
    }

    /// Takes `units` if at least that many are left and returns true;
    /// otherwise takes nothing and returns false.
    pub fn try_take(&self, units: u64) -> bool {
        // Take first, look after: one step each, and give back what was
        // taken when there was not enough.
        let units = units as i64;
        let before = self.left.fetch_sub(units, Ordering::SeqCst);
        if before >= units {
            true
        } else {
            self.left.fetch_add(units, Ordering::SeqCst);
            false
        }
    }
}
