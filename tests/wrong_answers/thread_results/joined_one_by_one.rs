//! WRONG: joins each thread right after starting it, so the jobs run one after another (right results, no overlap): the checks must see that they never overlap.
use std::any::Any;
use std::thread;

/// A job: some work that returns a number.
pub type Job = Box<dyn FnOnce() -> u64 + Send>;

/// Runs every job at once, each on a thread named `job-<index>`; each
/// job's result in job order, or its panic message.
pub fn run_all(jobs: Vec<Job>) -> Vec<Result<u64, String>> {
    // Each thread is joined right after it is started.
    jobs.into_iter()
        .enumerate()
        .map(|(index, job)| {
            thread::Builder::new()
                .name(format!("job-{index}"))
                .spawn(job)
                .expect("cannot start a thread")
                .join()
                .map_err(panic_message)
        })
        .collect()
}

/// The message a panic was started with.
fn panic_message(payload: Box<dyn Any + Send>) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        message.to_string()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic with a payload that is not text".to_string()
    }
}
