//! RIGHT: each named thread catches its job's panic itself (catch_unwind) and sends (index, result) on a channel; the caller collects them as they come and puts them in job order, and joins the threads only to reap them.
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::thread;

/// A job: some work that returns a number.
pub type Job = Box<dyn FnOnce() -> u64 + Send>;

/// Runs every job at once, each on a thread named `job-<index>`; each
/// job's result in job order, or its panic message.
pub fn run_all(jobs: Vec<Job>) -> Vec<Result<u64, String>> {
    let count = jobs.len();
    let (results_tx, results_rx) = mpsc::channel();
    let mut handles = Vec::with_capacity(count);
    for (index, job) in jobs.into_iter().enumerate() {
        let results_tx = results_tx.clone();
        let handle = thread::Builder::new()
            .name(format!("job-{index}"))
            .spawn(move || {
                let result = catch_unwind(AssertUnwindSafe(job)).map_err(message);
                let _ = results_tx.send((index, result));
            })
            .expect("cannot start a thread");
        handles.push(handle);
    }
    drop(results_tx); // only the threads hold senders now
    let mut results: Vec<Option<Result<u64, String>>> = (0..count).map(|_| None).collect();
    for (index, result) in results_rx {
        results[index] = Some(result);
    }
    for handle in handles {
        let _ = handle.join();
    }
    results
        .into_iter()
        .map(|result| result.unwrap_or_else(|| Err("the job's thread sent nothing".into())))
        .collect()
}

fn message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => payload.downcast_ref::<&str>().map_or_else(
            || "a panic without text".to_string(),
            |text| text.to_string(),
        ),
    }
}
