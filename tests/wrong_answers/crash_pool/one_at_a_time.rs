//! WRONG: runs the jobs one after another on the calling thread: right results, right order, never more than `workers` at once, but never two at once either; the checks must see jobs overlap.
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
    jobs.iter().map(|job| run_one(job)).collect()
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
