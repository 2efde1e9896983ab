//! RIGHT: a stream of lazily spawned jobs, each tagged with its index, `.buffer_unordered(limit)`: a slot is refilled as soon as any job ends; the results are sorted by index at the end.
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
    let mut results: Vec<(usize, Result<u64, String>)> = futures::stream::iter(jobs.into_iter().enumerate())
        .map(|(index, job)| async move { (index, tokio::spawn(job).await.map_err(panic_message)) })
        .buffer_unordered(limit.max(1))
        .collect()
        .await;
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
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
