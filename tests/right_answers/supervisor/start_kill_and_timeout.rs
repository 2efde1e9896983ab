//! RIGHT: kills with `start_kill` then `wait().await` (the same two steps `kill().await` does), and waits the backoff as `timeout(backoff, &mut shutdown)`, a shutdown ending it early.
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
        let mut worker = make().spawn()?;
        starts += 1;
        let status = tokio::select! {
            status = worker.wait() => status?,
            _ = &mut shutdown => {
                worker.start_kill()?; // SIGKILL
                worker.wait().await?; // and reap it
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
        // Shutdown during the backoff: timeout completes early with Ok.
        if tokio::time::timeout(backoff, &mut shutdown).await.is_ok() {
            return Ok(Report {
                starts,
                outcome: Outcome::Stopped,
            });
        }
        backoff *= 2;
    }
}
