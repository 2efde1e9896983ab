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
    let next = AtomicUsize::new(0);
    let (done_tx, done_rx) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            let done_tx = done_tx.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(index) else { break };
                    done_tx
                        .send((index, run_one(job)))
                        .expect("the collector hung up");
                }
            });
        }
    });
    drop(done_tx);
    let mut results: Vec<_> = done_rx.iter().collect();
    results.sort_by_key(|&(index, _)| index);
    results.into_iter().map(|(_, result)| result).collect()
}

fn run_one(job: &str) -> Result<String, JobError> {
    let output = Command::new("sh")
        .args(["-c", job])
        .output()
        .map_err(|e| JobError::Spawn(e.to_string()))?;
    match (output.status.code(), output.status.signal()) {
        (Some(0), _) => Ok(String::from_utf8_lossy(&output.stdout).trim().to_string()),
        (Some(code), _) => Err(JobError::Exit(code)),
        (None, Some(signal)) => Err(JobError::Signal(signal)),
        (None, None) => Err(JobError::Spawn("no exit code and no signal".into())),
    }
}
