//! WRONG: collects the results in the order the threads finish, not in job order: the checks must see the order of jobs of distinct lengths.
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
    // In the order they finish: poll the handles until each is done.
    let mut handles: Vec<_> = handles.into_iter().map(Some).collect();
    let mut results = Vec::new();
    while results.len() < handles.len() {
        for slot in handles.iter_mut() {
            if slot.as_ref().is_some_and(|h| h.is_finished()) {
                results.push(slot.take().unwrap().join().map_err(panic_message));
            }
        }
        thread::sleep(std::time::Duration::from_millis(1));
    }
    results
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
