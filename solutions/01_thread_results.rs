//! # thread_results · lesson 01 · warm-up: every job on its own thread, every result back (T1, T2, T9)
//!
//! Reference answer. Every thread is started before any is joined, so the
//! jobs overlap; joining in the order of the handles gives job order, however
//! the threads finish. A panic ends only its own thread: `join` returns it
//! as `Err(payload)`.
use std::any::Any;
use std::thread;

/// A job: some work that returns a number.
pub type Job = Box<dyn FnOnce() -> u64 + Send>;

/// Runs every job at once, each on a thread named `job-<index>`; each
/// job's result in job order, or its panic message.
pub fn run_all(jobs: Vec<Job>) -> Vec<Result<u64, String>> {
    let handles: Vec<thread::JoinHandle<u64>> = jobs
        .into_iter()
        .enumerate()
        .map(|(index, job)| {
            thread::Builder::new()
                .name(format!("job-{index}"))
                .spawn(job)
                .expect("cannot start a thread")
        })
        .collect();
    handles
        .into_iter()
        .map(|handle| handle.join().map_err(panic_message))
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
