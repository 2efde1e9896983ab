//! WRONG: reads only String panic payloads, so a job that panics with a literal (&str) message gets the generic text.
//! # keep_going · lesson 05 · fix a batch that dies with its first broken job (A8, V2)
//!
//! [`run_all`] runs a batch of independent jobs at once, each as its own
//! tokio task, and reports one result per job, in job order: `Ok(value)`,
//! `Err(message)` for a job that returned an error, and `Err` holding the
//! panic message for a job that panicked. One broken job must not stop
//! the others: they are independent (think: one e-mail of a mailing, one
//! thumbnail of an album).
//!
//! The symptom: a batch where every job returns `Ok` or `Err` works. Add
//! a job that panics and `run_all` panics too; and the jobs that were
//! still running when it did never finish (their side effects never
//! happen). Why do the healthy jobs stop, and how do you keep them going?
//!
//! Check it: `cargo run -- check keep_going`
use std::pin::Pin;
use tokio::task::{JoinError, JoinSet};

/// A job: async work that succeeds with a number or fails with a message.
pub type Job = Pin<Box<dyn Future<Output = Result<u64, String>> + Send>>;

/// Runs every job concurrently; one result per job, in job order.
pub async fn run_all(jobs: Vec<Job>) -> Vec<Result<u64, String>> {
    let count = jobs.len();
    let mut set = JoinSet::new();
    let mut index_of = std::collections::HashMap::new();
    for (index, job) in jobs.into_iter().enumerate() {
        let handle = set.spawn(job);
        index_of.insert(handle.id(), index);
    }
    let mut results = vec![None; count];
    while let Some(joined) = set.join_next_with_id().await {
        // A panic ends only its own task: the JoinError says which one.
        let (id, result) = match joined {
            Ok((id, result)) => (id, result),
            Err(error) => (error.id(), Err(panic_message(error))),
        };
        results[index_of[&id]] = Some(result);
    }
    results
        .into_iter()
        .map(|result| result.expect("every job ended"))
        .collect()
}

/// The message a panicking task gave, or what the JoinError says.
fn panic_message(error: JoinError) -> String {
    if !error.is_panic() {
        return error.to_string();
    }
    let payload = error.into_panic();
    if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "the job panicked".to_string()
    }
}
