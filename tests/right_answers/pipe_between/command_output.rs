//! RIGHT: `Command::output()` on the second child (it pipes stdout, reads it and reaps), with the Command moved into a block so it and its copy of the read end are gone before the first child is waited for.
use std::io;
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
pub fn pipe(mut first: Command, second: Command) -> io::Result<Piped> {
    let mut first = first.stdout(Stdio::piped()).spawn()?;
    let first_stdout = first.stdout.take().expect("stdout is piped");
    // `second` is moved into the block: when the block ends, the Command
    // (which holds the read end through its Stdio) is dropped with it.
    let output = {
        let mut second = second;
        second.stdin(first_stdout).output()
    };
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            let _ = first.kill();
            let _ = first.wait();
            return Err(e);
        }
    };
    let first_status = first.wait()?;
    Ok(Piped {
        first: first_status,
        second: output.status,
        output: String::from_utf8_lossy(&output.stdout).into_owned(),
    })
}
