//! WRONG: reads a panic's message only when it is a `&'static str`; `panic!` with arguments gives a `String`, reported as no text: the checks must see the lost message.
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
    } else {
        "a panic with a payload that is not text".to_string()
    }
}
