//! WRONG: takes with fetch_sub first and gives the units back with fetch_add when too few were there; between the two the count has wrapped below zero, so another thread sees a huge budget and takes more than is left (the checks must see the overspend).
use crate::sync::atomic::{AtomicU64, Ordering};

/// Units that many threads spend concurrently.
pub struct Budget {
    left: AtomicU64,
}

impl Budget {
    pub fn new(units: u64) -> Self {
        Self {
            left: AtomicU64::new(units),
        }
    }

    /// How many units are left.
    pub fn left(&self) -> u64 {
        self.left.load(Ordering::Relaxed)
    }

    /// Takes `units` if at least that many are left and returns true;
    /// otherwise takes nothing and returns false.
    pub fn try_take(&self, units: u64) -> bool {
        // Take first, look after: one step each, and give back what was
        // taken when there was not enough.
        let before = self.left.fetch_sub(units, Ordering::SeqCst);
        if before >= units {
            true
        } else {
            self.left.fetch_add(units, Ordering::SeqCst);
            false
        }
    }
}
