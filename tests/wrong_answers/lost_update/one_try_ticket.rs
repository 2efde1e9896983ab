//! WRONG: take_ticket tries compare_exchange once and refuses the ticket when another thread changed the count meanwhile, although tickets are left; loom must find two takers of two tickets where one is refused.
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
        let taken = self.value.load(Ordering::SeqCst);
        taken < limit
            && self
                .value
                .compare_exchange(taken, taken + 1, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}
