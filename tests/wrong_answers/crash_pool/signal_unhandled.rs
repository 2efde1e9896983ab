//! WRONG: treats every failure as an exit code with status.code().unwrap(): a job killed by a signal has no code, so the pool panics; the checks must crash a job.
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
    match output.status.code().unwrap() {
        0 => Ok(String::from_utf8_lossy(&output.stdout).trim().to_string()),
        code => Err(JobError::Exit(code)),
    }
}
