//! WRONG: increment is fixed with fetch_add, but take_ticket still checks with a load and then adds: two threads can both pass the check for the last ticket; loom must find that schedule.
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
        if self.value.load(Ordering::SeqCst) < limit {
            self.value.fetch_add(1, Ordering::SeqCst);
            true
        } else {
            false
        }
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}
