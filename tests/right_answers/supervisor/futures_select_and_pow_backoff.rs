//! RIGHT: races with `futures::future::select` (Either) instead of tokio::select!, and works each backoff out from the restart count (first_backoff * 2^restarts) with a `sleep_until` deadline instead of doubling a running value.
use futures::future::{self, Either};
use std::io;
use std::process::ExitStatus;
use std::time::Duration;
use tokio::process::Command;
use tokio::time::Instant;

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub max_restarts: u32,
    pub first_backoff: Duration,
}

#[derive(Debug)]
pub enum Outcome {
    Finished,
    GaveUp { last: ExitStatus },
    Stopped,
}

#[derive(Debug)]
pub struct Report {
    pub starts: u32,
    pub outcome: Outcome,
}

pub async fn supervise(
    mut make: impl FnMut() -> Command,
    policy: Policy,
    shutdown: impl Future<Output = ()>,
) -> io::Result<Report> {
    let mut shutdown = std::pin::pin!(shutdown);
    let mut restarts: u32 = 0;
    loop {
        let mut worker = make().spawn()?;
        let starts = restarts + 1;
        // The wait future borrows `worker`: it is dropped with this block,
        // before `kill` needs the worker again.
        let ended = {
            let wait = std::pin::pin!(worker.wait());
            match future::select(wait, shutdown.as_mut()).await {
                Either::Left((status, _)) => Some(status),
                Either::Right(((), _)) => None,
            }
        };
        let status = match ended {
            Some(status) => status?,
            None => {
                worker.kill().await?; // SIGKILL and reap
                return Ok(Report {
                    starts,
                    outcome: Outcome::Stopped,
                });
            }
        };
        if status.success() {
            return Ok(Report {
                starts,
                outcome: Outcome::Finished,
            });
        }
        if restarts == policy.max_restarts {
            return Ok(Report {
                starts,
                outcome: Outcome::GaveUp { last: status },
            });
        }
        let factor = 2u32.checked_pow(restarts).unwrap_or(u32::MAX);
        let backoff = policy.first_backoff.saturating_mul(factor);
        let wake_at = Instant::now()
            .checked_add(backoff)
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(86_400 * 365));
        let pause = std::pin::pin!(tokio::time::sleep_until(wake_at));
        if let Either::Right(_) = future::select(pause, shutdown.as_mut()).await {
            return Ok(Report {
                starts,
                outcome: Outcome::Stopped,
            });
        }
        restarts += 1;
    }
}
