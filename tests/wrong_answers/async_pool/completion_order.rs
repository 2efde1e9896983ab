//! WRONG: a correct pool that pushes each result as its task ends: the results come in the order the jobs finish, not job order; the checks must give the jobs different lengths.
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// A job: some async work that produces a number.
pub type Job = Pin<Box<dyn Future<Output = u64> + Send>>;

/// Runs `jobs` with at most `limit` at once; results in job order.
pub async fn run_limited(jobs: Vec<Job>, limit: usize) -> Vec<Result<u64, String>> {
    let permits = Arc::new(Semaphore::new(limit));
    let mut set = JoinSet::new();
    let mut index_of = HashMap::new();
    for (index, job) in jobs.into_iter().enumerate() {
        let permits = Arc::clone(&permits);
        let handle = set.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("never closed");
            job.await
        });
        index_of.insert(handle.id(), index);
    }
    let _ = &index_of;
    let mut results = Vec::new();
    while let Some(done) = set.join_next().await {
        results.push(done.map_err(panic_message));
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
