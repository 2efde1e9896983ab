//! WRONG: take_ticket adds first, then reads the count and gives the ticket back if the count is over the limit; two takers of the last ticket can both see the count over and both give it back, so nobody gets it. loom must find that schedule.
use crate::sync::atomic::{AtomicU64, Ordering};

/// A counter shared by many threads (behind an `Arc`, or borrowed by scoped
/// threads).
#[derive(Debug, Default)]
pub struct Counter {
    value: AtomicU64,
}

impl Counter {
    pub fn new() -> Self {
        Self {
            value: AtomicU64::new(0),
        }
    }

    /// Adds one. Many threads call this at once.
    pub fn increment(&self) {
        // Relaxed is enough: the count is the only thing shared through it.
        self.value.fetch_add(1, Ordering::Relaxed);
    }

    /// Takes a ticket if fewer than `limit` have been taken, and says whether
    /// it did. Many threads call this at once.
    pub fn take_ticket(&self, limit: u64) -> bool {
        self.value.fetch_add(1, Ordering::SeqCst);
        if self.value.load(Ordering::SeqCst) > limit {
            self.value.fetch_sub(1, Ordering::SeqCst);
            return false;
        }
        true
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}
