//! # lost_update · lesson 01 · fix lost updates in a shared counter (T5, S5)
//!
//! Rust rejects a data race at compile time: you cannot share a plain `u64`
//! between threads and `+= 1` it. But atomics and locks can still be used in
//! a way that loses updates, and this counter does it twice.
//!
//! 1. Eight threads each call [`Counter::increment`] 100,000 times, and the
//!    total comes out short. Find the moment where another thread can slip
//!    in, and close it.
//! 2. [`Counter::take_ticket`] must hand out at most `limit` tickets, yet two
//!    threads can both get the last one. The same kind of bug in another
//!    shape: check-then-act.
//!
//! Look at what `std::sync::atomic::AtomicU64` offers besides `load` and
//! `store`.
//!
//! The checks run many threads, and a loom model tries every interleaving of
//! two threads, so an unlucky-but-possible schedule is found too.
//!
//! Check it: `cargo run -- check lost_update`
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
        // TODO: a read, then a write: another thread can write in between.
        let value = self.value.load(Ordering::SeqCst);
        self.value.store(value + 1, Ordering::SeqCst);
    }

    /// Takes a ticket if fewer than `limit` have been taken, and says whether
    /// it did. Many threads call this at once.
    pub fn take_ticket(&self, limit: u64) -> bool {
        // TODO: the check and the take are two steps: two threads can both
        // see the last ticket free.
        let taken = self.value.load(Ordering::SeqCst);
        if taken < limit {
            self.value.store(taken + 1, Ordering::SeqCst);
            true
        } else {
            false
        }
    }

    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}
