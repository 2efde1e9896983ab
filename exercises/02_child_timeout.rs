//! # child_timeout · lesson 02 · kill a hanging child after a timeout (M10)
//!
//! Run `cmd` with its stdout captured. If it exits within `limit`, return its
//! status and output. If not, kill it, reap it, and return `TimedOut`.
//!
//! - `Child::wait()` blocks until the child exits, which may be never. Poll
//!   `Child::try_wait()` (every few milliseconds) until the deadline instead.
//! - Read stdout on another thread while you wait: a child that writes more
//!   than a pipe holds blocks until someone reads.
//! - After `kill()`, call `wait()`: until a parent waits for it, a dead child
//!   stays in the process table as a zombie.
//!
//! Check it: `cargo run -- check child_timeout`
use std::io::{self, Read};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How a run ended.
#[derive(Debug)]
pub enum Outcome {
    /// The child exited by itself.
    Finished { status: ExitStatus, stdout: String },
    /// The child ran past the limit and was killed and reaped.
    TimedOut { pid: u32 },
}

/// Runs `cmd`; kills and reaps it if it runs longer than `limit`.
pub fn run_with_deadline(mut cmd: Command, limit: Duration) -> io::Result<Outcome> {
    // TODO: spawn with stdout piped, read it on another thread, poll
    // `try_wait()` until the deadline, then `kill()` and `wait()`.
    todo!("run the child with a deadline")
}
