//! RIGHT: no threads at all: the main thread keeps up to `workers` children spawned in a VecDeque and waits for the oldest (wait_with_output) before starting the next, so results come in job order.
//! # crash_pool · lesson 02 · a process pool that survives a crashing worker (M7, M8)
use std::collections::VecDeque;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, Stdio};

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
    // The children are the concurrency: each runs on its own once spawned.
    let mut running: VecDeque<Result<Child, JobError>> = VecDeque::new();
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        if running.len() >= workers.max(1) {
            let oldest = running.pop_front().expect("the window is full");
            results.push(finish(oldest));
        }
        running.push_back(start(job));
    }
    results.extend(running.into_iter().map(finish));
    results
}

fn start(job: &str) -> Result<Child, JobError> {
    Command::new("sh")
        .args(["-c", job])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| JobError::Spawn(e.to_string()))
}

fn finish(child: Result<Child, JobError>) -> Result<String, JobError> {
    let output = child?
        .wait_with_output()
        .map_err(|e| JobError::Spawn(e.to_string()))?;
    match (output.status.code(), output.status.signal()) {
        (Some(0), _) => Ok(String::from_utf8_lossy(&output.stdout).trim().to_string()),
        (Some(code), _) => Err(JobError::Exit(code)),
        (None, Some(signal)) => Err(JobError::Signal(signal)),
        (None, None) => Err(JobError::Spawn("no exit code and no signal".into())),
    }
}
