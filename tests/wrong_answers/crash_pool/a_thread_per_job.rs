//! WRONG: starts a thread per job, all at once, ignoring `workers`: everything overlaps; the checks must count the jobs running beside each other.
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
    thread::scope(|scope| {
        let handles: Vec<_> = jobs.iter().map(|job| scope.spawn(move || run_one(job))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
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
