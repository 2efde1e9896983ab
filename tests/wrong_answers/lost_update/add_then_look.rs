//! WRONG: take_ticket adds first and looks after (fetch_add(1) < limit): never sells too many, but the count runs past the limit and says more tickets were taken than were sold; the checks compare the count with the tickets sold.
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
        self.value.fetch_add(1, Ordering::SeqCst) < limit
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}
