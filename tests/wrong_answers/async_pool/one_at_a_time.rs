//! WRONG: awaits each job in its own task before starting the next: panics are caught and the order is right, but only one job runs at a time; the checks must count the jobs in flight.
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// A job: some async work that produces a number.
pub type Job = Pin<Box<dyn Future<Output = u64> + Send>>;

/// Runs `jobs` with at most `limit` at once; results in job order.
pub async fn run_limited(jobs: Vec<Job>, limit: usize) -> Vec<Result<u64, String>> {
    let _ = limit;
    let mut results = Vec::new();
    for job in jobs {
        results.push(tokio::spawn(job).await.map_err(panic_message));
    }
    results
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
