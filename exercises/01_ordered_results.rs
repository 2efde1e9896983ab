//! # ordered_results · lesson 01 · results in order and as they complete (T4)
//!
//! Two ways to collect the results of parallel work:
//!
//! 1. [`map_in_order`]: apply `f` to every item on rayon's thread pool and
//!    return the results in the order of the items (Python's `Executor.map`).
//!    rayon's `par_iter().map(..).collect()` keeps the order for you.
//! 2. [`in_completion_order`]: start one thread per job; job `i` sleeps for
//!    `delays[i]` (standing in for work of that length) and then reports `i`.
//!    Return the indexes in the order the jobs finished (Python's
//!    `as_completed`): each thread sends its index on a channel, and the
//!    caller collects what arrives.
//!
//! Check it: `cargo run -- check ordered_results`
use rayon::prelude::*;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// `f` applied to every item in parallel, results in the order of `items`.
pub fn map_in_order<T, U, F>(items: &[T], f: F) -> Vec<U>
where
    T: Sync,
    U: Send,
    F: Fn(&T) -> U + Sync + Send,
{
    // TODO: rayon's `par_iter()` keeps the order when you `collect()`.
    todo!("map the items on rayon's pool, in order")
}

/// The indexes of the jobs in the order they finished.
pub fn in_completion_order(delays: &[Duration]) -> Vec<usize> {
    // TODO: one thread per job (`thread::scope`), each sleeping its delay and
    // then sending its index on an `mpsc::channel`; collect what arrives.
    todo!("collect the job indexes as the jobs finish")
}
