//! # semaphore · lesson 04 · a counting semaphore from Mutex and Condvar (S2)
//!
//! The standard library has no semaphore; build one. A [`Semaphore`] holds
//! a number of permits. [`Semaphore::acquire`] takes one, waiting while none
//! is free, and returns a [`Permit`]; dropping the permit gives it back and
//! wakes one waiting thread. Returning the permit on drop (RAII) means it is
//! given back on every path, early returns and panics included: Rust's
//! version of Python's `with semaphore:`.
//!
//! Keep the count of free permits in a `Mutex<usize>` and wait for a release
//! on a `Condvar` (in a loop: see `bounded_buffer`).
//!
//! Check it: `cargo run -- check semaphore`
use crate::sync::{Condvar, Mutex};

/// A counting semaphore.
pub struct Semaphore {
    free: Mutex<usize>,
    released: Condvar,
}

/// One permit; dropping it gives it back.
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Self {
            free: Mutex::new(permits),
            released: Condvar::new(),
        }
    }

    /// Takes a permit, waiting until one is free.
    pub fn acquire(&self) -> Permit<'_> {
        // TODO: wait on `released` while no permit is free, then take one.
        todo!("take a permit, waiting for one")
    }

    /// Takes a permit if one is free now, without waiting.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        // TODO: take a permit only if one is free now.
        todo!("take a permit if one is free")
    }

    /// How many permits are free now.
    pub fn available(&self) -> usize {
        todo!("the number of free permits")
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        // TODO: give the permit back and wake one waiting thread.
        todo!("give the permit back")
    }
}
