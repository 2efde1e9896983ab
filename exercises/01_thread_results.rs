//! # thread_results · lesson 01 · warm-up: every job on its own thread, every result back (T1, T2, T9)
//!
//! [`run_all`] starts every job on a thread of its own, named `job-<index>`,
//! so that all of them run at once. The starting is written. Finish it:
//! wait for every thread and return one result per job, in job order (not
//! in the order they finish).
//!
//! A job may panic. That must not take the others (or the caller) down:
//! its result is `Err` with the panic's message. `JoinHandle::join` gives
//! the panic's payload as `Box<dyn Any + Send>`; `panic!("literal")` puts a
//! `&'static str` in it, and `panic!("{x}")` with arguments a `String`.
//!
//! Check it: `cargo run -- check thread_results`
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
    // TODO: join every handle, in order; a panic becomes Err(panic_message(..)).
    todo!("collect the results")
}

/// The message a panic was started with.
fn panic_message(payload: Box<dyn Any + Send>) -> String {
    // TODO: the payload is a `&'static str` or a `String` (see `downcast_ref`).
    todo!("the panic message")
}
