//! WRONG: checks the count with a load, then takes with fetch_sub: two steps, so two threads can both take the last unit (the loom model and the stress run must see the overspend).
//! # budget · lesson 04 · a lock-free budget: a compare-and-swap loop (S9)
//!
//! A [`Budget`] holds a number of units (API calls left this minute, bytes
//! left in a quota) that many threads spend at once, without a lock.
//! [`Budget::try_take`] takes `units` only if at least that many are left:
//! all or nothing. It must never let the budget go below zero, and it must
//! never refuse while enough units are left, however many threads take at
//! the same moment.
//!
//! A load followed by a store is two steps another thread can come between.
//! `compare_exchange_weak(expected, new, ..)` is one step: it writes `new`
//! only if the value is still `expected`; otherwise it fails and hands you
//! the value it found, so you decide again with fresh numbers.
//!
//! Check it: `cargo run -- check budget` (a loom model tries every
//! interleaving of two threads).
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
        // Relaxed is enough: the count is the only data, nothing else is
        // published through it.
        if self.left.load(Ordering::SeqCst) < units {
            return false;
        }
        self.left.fetch_sub(units, Ordering::SeqCst);
        true
    }
}
