//! RIGHT: makes the pipe itself with `std::io::pipe()`, starts the reader before the writer, and drops both Commands (each holds one end) as soon as its child is spawned; the second's output through `wait_with_output`.
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
pub fn pipe(first: Command, second: Command) -> io::Result<Piped> {
    let (read_end, write_end) = io::pipe()?;
    let mut second = second;
    second.stdin(read_end).stdout(Stdio::piped());
    let reader = second.spawn();
    drop(second); // this process's copy of the read end
    let reader = reader?; // the write end is dropped on return: nobody leaks
    let mut first = first;
    first.stdout(write_end);
    let writer = first.spawn();
    drop(first); // this process's copy of the write end: the reader sees EOF
    let mut writer = match writer {
        Ok(child) => child,
        Err(e) => {
            // The reader got EOF when the write end went; reap it.
            let _ = reader.wait_with_output();
            return Err(e);
        }
    };
    let output = reader.wait_with_output();
    let first_status = writer.wait()?;
    let output = output?;
    Ok(Piped {
        first: first_status,
        second: output.status,
        output: String::from_utf8_lossy(&output.stdout).into_owned(),
    })
}
