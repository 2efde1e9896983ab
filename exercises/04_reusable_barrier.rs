//! # reusable_barrier · lesson 04 · a barrier you can use round after round (S2, S3)
//!
//! `parties` threads work in rounds: each does its part of round 1, waits
//! at the barrier until all have done theirs, then goes on to round 2, and
//! so on. Build [`Barrier`] from a `Mutex` and a `Condvar` (std has
//! `std::sync::Barrier`; the point is to see how it works inside).
//!
//! The spec:
//! - [`Barrier::wait`] returns only once all `parties` threads have called
//!   it in this round; it returns `true` in exactly one of them per round
//!   (the leader, say the last to arrive) and `false` in the others.
//! - The same barrier is used again for the next round at once: a fast
//!   thread may call `wait` for round 2 while a slow one has not yet woken
//!   up from round 1. Neither may get stuck, and the fast one must not slip
//!   through round 2 alone.
//!
//! Counting arrivals is the easy part. The hard part is the second point:
//! how does a waiting thread know that *its* round is over, when the count
//! may already have started again? (A number that changes once per round
//! helps.)
//!
//! Use the `Mutex` and `Condvar` imported from `crate::sync`: the loom
//! check swaps in loom's, which have `wait` but no `wait_while`.
//!
//! Check it: `cargo run -- check reusable_barrier` (a loom model runs two
//! threads through two rounds under every interleaving).
use crate::sync::{Condvar, Mutex};

/// A barrier for `parties` threads, reusable round after round.
pub struct Barrier {
    parties: usize,
    // TODO: the state the threads share, behind a `Mutex`, and a `Condvar`
    // to wait on.
}

impl Barrier {
    pub fn new(parties: usize) -> Self {
        assert!(parties > 0, "a barrier needs at least one party");
        // TODO
        todo!("build the barrier")
    }

    /// Waits until all parties reached the barrier in this round; true in
    /// exactly one of them.
    pub fn wait(&self) -> bool {
        // TODO
        todo!("wait for the others")
    }
}
