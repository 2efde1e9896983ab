//! RIGHT: a thread writes (and closes) stdin while std's `Child::wait_with_output` reads stdout and stderr at once and reaps the child.
use std::io::{self, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;

#[derive(Debug)]
pub struct Captured {
    pub pid: u32,
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

pub fn run_filter(mut cmd: Command, input: &[u8]) -> io::Result<Captured> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = thread::spawn(move || match stdin.write_all(&input) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    });
    let output = child.wait_with_output()?;
    writer
        .join()
        .map_err(|_| io::Error::other("the writer panicked"))??;
    Ok(Captured {
        pid,
        status: output.status,
        stdout: output.stdout,
        stderr: output.stderr,
    })
}
