//! # capture_output · lesson 02 · fix a capture that hangs (M3, M1)
//!
//! Reference answer. A pipe holds about 64 KiB. The old code did one thing
//! at a time: while it wrote the input, the child filled its stdout pipe
//! and stopped to wait for a reader; while it read stdout, the child filled
//! stderr. Each side waited for the other, for ever. Here three threads run
//! at once: one writes stdin (and closes it), one drains stderr, and this
//! one drains stdout; then the child is waited for.
use std::io::{self, Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;

/// What a finished child left.
#[derive(Debug)]
pub struct Captured {
    pub pid: u32,
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Runs `cmd` with `input` on its stdin; its stdout, stderr and status.
pub fn run_filter(mut cmd: Command, input: &[u8]) -> io::Result<Captured> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let mut stdout_pipe = child.stdout.take().expect("stdout is piped");
    let mut stderr_pipe = child.stderr.take().expect("stderr is piped");
    let (written, stdout, stderr) = thread::scope(|s| {
        let writer = s.spawn(move || {
            let written = write_ignoring_early_exit(&mut stdin, input);
            drop(stdin); // end of input, even after an error
            written
        });
        let stderr = s.spawn(move || {
            let mut stderr = Vec::new();
            stderr_pipe.read_to_end(&mut stderr).map(|_| stderr)
        });
        let mut stdout = Vec::new();
        let stdout = stdout_pipe.read_to_end(&mut stdout).map(|_| stdout);
        (joined(writer.join()), stdout, joined(stderr.join()))
    });
    // Reap the child whatever went wrong above, so it never stays a zombie.
    let status = child.wait()?;
    written?;
    Ok(Captured {
        pid: child.id(),
        status,
        stdout: stdout?,
        stderr: stderr?,
    })
}

/// A pipe thread's result; its panic becomes an error.
fn joined<T>(result: thread::Result<io::Result<T>>) -> io::Result<T> {
    result.unwrap_or_else(|_| Err(io::Error::other("a pipe thread panicked")))
}

/// Writes `input`; a child that exited without reading it all is fine.
fn write_ignoring_early_exit(stdin: &mut impl Write, input: &[u8]) -> io::Result<()> {
    match stdin.write_all(input) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
