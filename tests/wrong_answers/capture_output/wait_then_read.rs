//! WRONG: feeds stdin from a thread, then waits for the child to exit before reading its output, so a child with more output than a pipe holds never exits: the checks must see the hang.
use std::io::{self, Read, Write};
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
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let status = child.wait()?;
    writer.join().unwrap();
    let mut stdout = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut stdout)?;
    let mut stderr = Vec::new();
    child.stderr.take().unwrap().read_to_end(&mut stderr)?;
    Ok(Captured {
        pid: child.id(),
        status,
        stdout,
        stderr,
    })
}
