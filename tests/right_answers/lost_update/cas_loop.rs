//! RIGHT: explicit compare_exchange_weak loops in both methods, retrying with the value the failed exchange saw.
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
        let mut seen = self.value.load(Ordering::Relaxed);
        while let Err(now) =
            self.value
                .compare_exchange_weak(seen, seen + 1, Ordering::Relaxed, Ordering::Relaxed)
        {
            seen = now;
        }
    }

    /// Takes a ticket if fewer than `limit` have been taken, and says whether
    /// it did. Many threads call this at once.
    pub fn take_ticket(&self, limit: u64) -> bool {
        let mut taken = self.value.load(Ordering::Relaxed);
        loop {
            if taken >= limit {
                return false;
            }
            match self.value.compare_exchange_weak(
                taken,
                taken + 1,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(now) => taken = now,
            }
        }
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}
