//! WRONG: reads a panic's message only when it is a `&'static str`; `panic!` with arguments gives a `String`, reported as "the job panicked": the checks must panic with a formatted message too.
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
    match payload.downcast_ref::<&str>() {
        Some(text) => (*text).to_string(),
        None => "the job panicked".to_string(),
    }
}
