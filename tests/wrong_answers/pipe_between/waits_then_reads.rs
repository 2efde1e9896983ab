//! WRONG: waits for both children before reading the second's output; a second child with more to say than its stdout pipe holds (about 64 KiB) waits for a reader that is waiting for it: the checks must send more than that through.
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
    let spawned = second
        .stdin(Stdio::from(first_stdout))
        .stdout(Stdio::piped())
        .spawn();
    // The Command keeps its Stdio, and so the pipe's read end, until it is
    // dropped: drop it now, or the first child could never see its reader go.
    drop(second);
    let mut second = match spawned {
        Ok(child) => child,
        Err(e) => {
            // Do not leave the first one running, or unreaped.
            let _ = first.kill();
            let _ = first.wait();
            return Err(e);
        }
    };
    // Both children are done before their output is looked at.
    let second_status = second.wait()?;
    let first_status = first.wait()?;
    let mut output = String::new();
    second
        .stdout
        .take()
        .expect("stdout is piped")
        .read_to_string(&mut output)?;
    Ok(Piped {
        first: first_status,
        second: second_status,
        output,
    })
}
