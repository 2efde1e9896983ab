//! RIGHT: scoped threads (`Builder::spawn_scoped`) instead of detached ones; the results are joined in job order inside the scope.
use std::any::Any;
use std::thread;

/// A job: some work that returns a number.
pub type Job = Box<dyn FnOnce() -> u64 + Send>;

/// Runs every job at once, each on a thread named `job-<index>`; each
/// job's result in job order, or its panic message.
pub fn run_all(jobs: Vec<Job>) -> Vec<Result<u64, String>> {
    // Scoped threads: all joined when the scope ends.
    thread::scope(|s| {
        let handles: Vec<_> = jobs
            .into_iter()
            .enumerate()
            .map(|(index, job)| {
                thread::Builder::new()
                    .name(format!("job-{index}"))
                    .spawn_scoped(s, job)
                    .expect("cannot start a thread")
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(panic_message))
            .collect()
    })
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
