//! # capture_output · lesson 02 · fix a capture that hangs (M3, M1)
//!
//! [`run_filter`] runs a command as a filter: it writes `input` to the
//! child's stdin, closes it, and collects everything the child writes to
//! stdout and to stderr, then the exit status. Like Python's
//! `subprocess.run(cmd, input=..., capture_output=True)`.
//!
//! The symptom: with a few lines it works. Run `cat` on a megabyte of input,
//! or a command that prints many warnings to stderr before its answer, and
//! `run_filter` never returns; `ps` shows the child alive, asleep, using no
//! CPU, and the parent asleep too.
//!
//! What is the child waiting for, and what is the parent waiting for? Fix
//! it so that any amount of input and output, in any order, goes through.
//!
//! Also keep these as they are: a child that exits without reading all of
//! its input is not an error; the child is waited for (reaped) before
//! `run_filter` returns.
//!
//! The checks run real commands (`cat`, `sh`) with megabytes of data, each
//! under a deadline.
//!
//! Check it: `cargo run -- check capture_output`
use std::io::{self, Read, Write};
use std::process::{Command, ExitStatus, Stdio};

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
    // TODO: with a lot of data, this never returns.
    let mut stdin = child.stdin.take().expect("stdin is piped");
    write_ignoring_early_exit(&mut stdin, input)?;
    drop(stdin); // end of input
    let mut stdout = Vec::new();
    child
        .stdout
        .take()
        .expect("stdout is piped")
        .read_to_end(&mut stdout)?;
    let mut stderr = Vec::new();
    child
        .stderr
        .take()
        .expect("stderr is piped")
        .read_to_end(&mut stderr)?;
    let status = child.wait()?;
    Ok(Captured {
        pid: child.id(),
        status,
        stdout,
        stderr,
    })
}

/// Writes `input`; a child that exited without reading it all is fine.
fn write_ignoring_early_exit(stdin: &mut impl Write, input: &[u8]) -> io::Result<()> {
    match stdin.write_all(input) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
