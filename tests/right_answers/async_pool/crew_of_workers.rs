//! RIGHT: no semaphore and no JoinSet: a crew of `limit` worker tasks takes (index, job) pairs from one shared queue; each worker spawns its job as a task and awaits its JoinHandle (a panic arrives as a JoinError), then takes the next, so a slot is refilled the moment a job ends.
use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

pub type Job = Pin<Box<dyn Future<Output = u64> + Send>>;

pub async fn run_limited(jobs: Vec<Job>, limit: usize) -> Vec<Result<u64, String>> {
    let count = jobs.len();
    let queue: Arc<Mutex<VecDeque<(usize, Job)>>> =
        Arc::new(Mutex::new(jobs.into_iter().enumerate().collect()));
    let crew: Vec<_> = (0..limit.max(1).min(count))
        .map(|_| {
            let queue = Arc::clone(&queue);
            tokio::spawn(async move {
                let mut done = Vec::new();
                loop {
                    // The lock is released before any await.
                    let next = queue.lock().unwrap().pop_front();
                    let Some((index, job)) = next else { break };
                    let result = tokio::spawn(job).await.map_err(panic_message);
                    done.push((index, result));
                }
                done
            })
        })
        .collect();
    let mut results: Vec<Option<Result<u64, String>>> = (0..count).map(|_| None).collect();
    for worker in crew {
        let done = worker
            .await
            .expect("a worker does not panic: job panics stay in their own task");
        for (index, result) in done {
            results[index] = Some(result);
        }
    }
    results
        .into_iter()
        .map(|r| r.expect("every job ran"))
        .collect()
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
