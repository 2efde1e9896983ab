//! # pipe_between · lesson 02 · warm-up: one child's output into another's input (M4)
//!
//! [`pipe`] runs `first | second`, as a shell would: the first child's
//! stdout is connected to the second child's stdin, and the bytes go
//! straight from one to the other, never through this process. It returns
//! both exit statuses and what the second child wrote to its stdout.
//!
//! The first child is started for you. Finish it: start the second with
//! the first's stdout as its stdin, read the second's output, and wait for
//! both (reap them).
//!
//! Think about who holds an end of the pipe: a reader that exits early
//! (`head -n 3`) must make the writer stop too, which only happens when
//! nobody else holds the pipe's read end. (Check yours with an endless
//! writer: `sh -c "while echo y; do :; done"` into `head -n 3`.)
//!
//! Check it: `cargo run -- check pipe_between`
use std::io::{self, Read};
use std::process::{Command, ExitStatus, Stdio};

/// How a pipeline of two ended.
#[derive(Debug)]
pub struct Piped {
    pub first: ExitStatus,
    pub second: ExitStatus,
    /// What the second child wrote to its stdout.
    pub output: String,
}

/// Runs `first | second`; both statuses and the second's stdout.
pub fn pipe(mut first: Command, mut second: Command) -> io::Result<Piped> {
    let mut first = first.stdout(Stdio::piped()).spawn()?;
    let first_stdout = first.stdout.take().expect("stdout is piped");
    // TODO: start `second` reading from `first_stdout` (see `Stdio::from`),
    // with its own stdout piped; read that to the end; wait for both.
    todo!("the second child")
}
