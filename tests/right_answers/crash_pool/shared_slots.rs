//! RIGHT: workers take jobs from a Mutex around the job iterator and write each result into its own slot of a Mutex<Vec<Option<..>>>: no channel, no sort.
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
    let next = std::sync::Mutex::new(jobs.iter().enumerate());
    let slots = std::sync::Mutex::new(vec![None; jobs.len()]);
    thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            scope.spawn(|| {
                loop {
                    let Some((index, job)) = next.lock().unwrap().next() else {
                        break;
                    };
                    let result = run_one(job);
                    slots.lock().unwrap()[index] = Some(result);
                }
            });
        }
    });
    slots
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|slot| slot.expect("every job ran"))
        .collect()
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
