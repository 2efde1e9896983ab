//! RIGHT: a Mutex<u64> (crate::sync, so loom models it too) instead of an atomic: the read and the write happen under one lock.
use crate::sync::Mutex;

/// A counter shared by many threads (behind an `Arc`, or borrowed by scoped
/// threads).
#[derive(Debug, Default)]
pub struct Counter {
    value: Mutex<u64>,
}

impl Counter {
    pub fn new() -> Self {
        Self {
            value: Mutex::new(0),
        }
    }

    /// Adds one. Many threads call this at once.
    pub fn increment(&self) {
        *self.value.lock().unwrap() += 1;
    }

    /// Takes a ticket if fewer than `limit` have been taken, and says whether
    /// it did. Many threads call this at once.
    pub fn take_ticket(&self, limit: u64) -> bool {
        let mut taken = self.value.lock().unwrap();
        if *taken < limit {
            *taken += 1;
            true
        } else {
            false
        }
    }

    pub fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
