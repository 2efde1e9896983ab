//! RIGHT: a Mutex<u64> instead of an atomic: slower under contention, but every take is one step under the lock.
//! # budget · lesson 04 · a lock-free budget: a compare-and-swap loop (S9)
use crate::sync::Mutex;

pub struct Budget {
    left: Mutex<u64>,
}

impl Budget {
    pub fn new(units: u64) -> Self {
        Self {
            left: Mutex::new(units),
        }
    }

    pub fn left(&self) -> u64 {
        *self.left.lock().unwrap()
    }

    pub fn try_take(&self, units: u64) -> bool {
        let mut left = self.left.lock().unwrap();
        if *left < units {
            return false;
        }
        *left -= units;
        true
    }
}
