//! WRONG: right on every path but one: when the second child cannot be started, `?` returns the error and drops the first child's handle, which neither kills nor reaps it: the first runs on (or stays a zombie) after pipe returned: the checks must see the child left behind.
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
pub fn pipe(mut first: Command, mut second_command: Command) -> io::Result<Piped> {
    let mut first = first.stdout(Stdio::piped()).spawn()?;
    let first_stdout = first.stdout.take().expect("stdout is piped");
    let spawned = second_command
        .stdin(Stdio::from(first_stdout))
        .stdout(Stdio::piped())
        .spawn();
    // The Command keeps its Stdio, and so the pipe's read end, until it is
    // dropped: drop it now, or the first child could never see its reader go.
    drop(second_command);
    let mut second = spawned?;
    let mut output = String::new();
    let read = second
        .stdout
        .take()
        .expect("stdout is piped")
        .read_to_string(&mut output);
    let second_status = second.wait()?;
    let first_status = first.wait()?;
    read?;
    Ok(Piped {
        first: first_status,
        second: second_status,
        output,
    })
}
