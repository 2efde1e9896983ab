//! WRONG: reads a panic's message only when it is a `&'static str`; `panic!` with arguments gives a `String`, reported as "a job panicked": the checks must panic with a formatted message too.
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
    let mut results = vec![None; index_of.len()];
    while let Some(done) = set.join_next_with_id().await {
        let (id, result) = match done {
            Ok((id, value)) => (id, Ok(value)),
            Err(error) => (error.id(), Err(panic_message(error))),
        };
        results[index_of[&id]] = Some(result);
    }
    results
        .into_iter()
        .map(|r| r.expect("every job ended"))
        .collect()
}

fn panic_message(error: tokio::task::JoinError) -> String {
    if !error.is_panic() {
        return error.to_string();
    }
    let payload = error.into_panic();
    match payload.downcast_ref::<&str>() {
        Some(text) => (*text).to_string(),
        None => "a job panicked".to_string(),
    }
}
