//! WRONG: hands the read end to the second Command but keeps that Command (which owns its Stdio) alive until both children are waited for, so a writer whose reader exited is never told and fills the pipe for ever: the checks must see the hang.
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
    let mut second = match spawned {
        Ok(child) => child,
        Err(e) => {
            // Do not leave the first one running, or unreaped.
            let _ = first.kill();
            let _ = first.wait();
            return Err(e);
        }
    };
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
