//! WRONG: a stream of lazily spawned jobs with `.buffered(limit)`: results in job order, but a finished job keeps its slot until every job before it has finished, so one slow job stalls the others; the checks must give an early job a long run.
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// A job: some async work that produces a number.
pub type Job = Pin<Box<dyn Future<Output = u64> + Send>>;

/// Runs `jobs` with at most `limit` at once; results in job order.
pub async fn run_limited(jobs: Vec<Job>, limit: usize) -> Vec<Result<u64, String>> {
    use futures::StreamExt;
    futures::stream::iter(jobs)
        .map(|job| async move { tokio::spawn(job).await.map_err(panic_message) })
        .buffered(limit.max(1))
        .collect()
        .await
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
