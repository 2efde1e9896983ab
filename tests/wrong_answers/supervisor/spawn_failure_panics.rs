//! WRONG: right in every run the checks used to make, but a worker that cannot be started panics (expect) instead of returning the Err the spec asks for: the checks must give it a program that does not exist.
use std::io;
use std::process::ExitStatus;
use std::time::Duration;
use tokio::process::Command;

/// When to restart.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Restarts allowed before giving up.
    pub max_restarts: u32,
    /// The wait before the first restart; each later wait doubles.
    pub first_backoff: Duration,
}

/// How supervision ended.
#[derive(Debug)]
pub enum Outcome {
    /// The worker exited with status 0.
    Finished,
    /// The worker crashed once more after `max_restarts` restarts.
    GaveUp { last: ExitStatus },
    /// `shutdown` completed.
    Stopped,
}

/// What happened.
#[derive(Debug)]
pub struct Report {
    /// Workers started, the first one included.
    pub starts: u32,
    pub outcome: Outcome,
}

/// Keeps a worker from `make` running under `policy` until it finishes,
/// the policy gives up, or `shutdown` completes.
pub async fn supervise(
    mut make: impl FnMut() -> Command,
    policy: Policy,
    shutdown: impl Future<Output = ()>,
) -> io::Result<Report> {
    tokio::pin!(shutdown);
    let mut starts = 0;
    let mut backoff = policy.first_backoff;
    loop {
        // The command is ours and known to exist: a failure here is a bug.
        let mut worker = make().spawn().expect("cannot start the worker");
        starts += 1;
        let status = tokio::select! {
            status = worker.wait() => status?,
            _ = &mut shutdown => {
                worker.kill().await?; // SIGKILL, then wait: reaped
                return Ok(Report { starts, outcome: Outcome::Stopped });
            }
        };
        if status.success() {
            return Ok(Report {
                starts,
                outcome: Outcome::Finished,
            });
        }
        if starts > policy.max_restarts {
            return Ok(Report {
                starts,
                outcome: Outcome::GaveUp { last: status },
            });
        }
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = &mut shutdown => return Ok(Report { starts, outcome: Outcome::Stopped }),
        }
        backoff *= 2;
    }
}
