//! # supervisor · lesson 02 · stretch: restart a crashing worker, stop it cleanly (M8, M10)
//!
//! This one is async (tokio, lesson 03): come back to it after lesson 03's
//! first exercises if `select!` is new to you. A supervisor is what Python's
//! `multiprocessing` leaves to you: keep a worker process running, restart
//! it when it crashes, and stop it cleanly on request.
//!
//! Write [`supervise`]:
//!
//! - Start a worker from `make()` (a fresh `Command` each time) and wait
//!   for it. If it exits with status 0, it is done: return
//!   `Outcome::Finished`.
//! - Any other end (a non-zero exit code, or killed by a signal) is a
//!   crash. After `policy.max_restarts` restarts, the next crash gives up:
//!   `Outcome::GaveUp` with that last status. Otherwise wait a backoff,
//!   then start it again: `policy.first_backoff` the first time, twice as
//!   long as the previous wait each time after.
//! - When `shutdown` completes, stop at once: a running worker is killed
//!   and waited for (reaped, so no zombie is left), a backoff is cut short;
//!   return `Outcome::Stopped`.
//! - `Report::starts` counts the workers started. A worker that cannot be
//!   started is an `Err`.
//!
//! The checks start real workers (`sh -c ...`), crash them, time the
//! restarts, and look in `/proc` for the worker after a shutdown.
//!
//! Check it: `cargo run -- check supervisor`
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
    // TODO: a loop: spawn, then race the worker's end against `shutdown`
    // (`tokio::select!`); on a crash, race the backoff against `shutdown`.
    todo!("supervise the worker")
}
