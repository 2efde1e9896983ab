//! WRONG: runs the jobs in batches of `limit`, waiting for a whole batch before starting the next: never more than `limit` at once, but a slow job holds its batch up; the checks must give one job a long run.
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// A job: some async work that produces a number.
pub type Job = Pin<Box<dyn Future<Output = u64> + Send>>;

/// Runs `jobs` with at most `limit` at once; results in job order.
pub async fn run_limited(jobs: Vec<Job>, limit: usize) -> Vec<Result<u64, String>> {
    let mut jobs = jobs.into_iter();
    let mut results = Vec::new();
    loop {
        let batch: Vec<Job> = jobs.by_ref().take(limit.max(1)).collect();
        if batch.is_empty() {
            break;
        }
        let handles: Vec<_> = batch.into_iter().map(tokio::spawn).collect();
        for handle in handles {
            results.push(handle.await.map_err(panic_message));
        }
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
