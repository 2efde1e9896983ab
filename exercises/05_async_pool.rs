//! # async_pool · lesson 05 · an async pool: JoinSet with a Semaphore (V2, A8)
//!
//! Run every job as a tokio task, but at most `limit` at once, and return the
//! results in job order. A job that panics gives `Err` with its panic
//! message; the other jobs still run and finish.
//!
//! - `tokio::task::JoinSet` owns the tasks: spawn into it, and take results
//!   with `join_next_with_id` as they finish (any order). The id tells you
//!   which task ended, even when it panicked; `JoinSet::spawn` returns an
//!   `AbortHandle` whose `id()` you can note per job.
//! - `tokio::sync::Semaphore` with `limit` permits bounds how many run at
//!   once: a task holds an owned permit (`acquire_owned`) while its job runs.
//! - A panic payload is a `Box<dyn Any>`: `JoinError::into_panic`, then
//!   `downcast_ref::<&str>()` or `downcast_ref::<String>()` gives the message.
//!
//! Check it: `cargo run -- check async_pool`
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// A job: some async work that produces a number.
pub type Job = Pin<Box<dyn Future<Output = u64> + Send>>;

/// Runs `jobs` with at most `limit` at once; results in job order.
pub async fn run_limited(jobs: Vec<Job>, limit: usize) -> Vec<Result<u64, String>> {
    // TODO: spawn every job into a `JoinSet`, each holding a permit of a
    // `Semaphore::new(limit)` while it runs; note each task's id; collect
    // with `join_next_with_id` and put the results in job order.
    todo!("run the jobs, at most `limit` at once")
}

fn panic_message(error: tokio::task::JoinError) -> String {
    if !error.is_panic() {
        return error.to_string();
    }
    let payload = error.into_panic();
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a job panicked".to_string()
    }
}
