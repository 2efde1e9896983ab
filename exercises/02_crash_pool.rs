//! # crash_pool · lesson 02 · a process pool that survives a crashing worker (M7, M8)
//!
//! Run each job in its own child process, at most `workers` at a time, and
//! return one result per job, in job order. A job is a shell command line:
//! run it with `sh -c JOB` and capture its stdout.
//!
//! A child that fails or crashes must not stop the others: its result says
//! why (`JobError`) and the pool goes on. This is what processes give you that
//! threads do not: a crash (even a segfault or `abort`) stays in its process.
//!
//! One way: start `workers` scoped threads that take job indexes from a
//! shared `AtomicUsize`, run each job with `Command::output()`, and send
//! `(index, result)` back on a channel; then put the results in order.
//! `std::os::unix::process::ExitStatusExt::signal` tells a crash by signal.
//!
//! Check it: `cargo run -- check crash_pool`
use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

/// Why a job did not give a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    /// It exited with this non-zero code.
    Exit(i32),
    /// It was killed by this signal (it crashed, or was killed).
    Signal(i32),
    /// It could not be started.
    Spawn(String),
}

/// Runs `jobs`, at most `workers` at once; each job's trimmed stdout, or why it failed.
pub fn run_jobs(jobs: &[&str], workers: usize) -> Vec<Result<String, JobError>> {
    // TODO: `workers` scoped threads take job indexes from a shared counter,
    // run each with `run_one`, and send (index, result) on a channel; then
    // put the results in job order.
    todo!("run the jobs in child processes, `workers` at a time")
}

fn run_one(job: &str) -> Result<String, JobError> {
    // TODO: run `sh -c job` with `Command::output()`; success gives the
    // trimmed stdout, otherwise `JobError::Exit(code)` or `JobError::Signal(sig)`
    // (see `ExitStatusExt::signal`), or `JobError::Spawn` if it did not start.
    todo!("run one job")
}
