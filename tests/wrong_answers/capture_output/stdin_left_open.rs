//! WRONG: writes the input from a scoped thread through `child.stdin.as_mut()`, so the child's stdin is never closed and `cat` waits for more input for ever: the checks must see the hang.
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
    let mut stdout_pipe = child.stdout.take().unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let stdin = child.stdin.as_mut().unwrap();
    let (stdout, stderr) = thread::scope(|s| {
        s.spawn(move || {
            let _ = stdin.write_all(input);
        });
        let stderr = s.spawn(move || {
            let mut stderr = Vec::new();
            stderr_pipe.read_to_end(&mut stderr).map(|_| stderr)
        });
        let mut stdout = Vec::new();
        let stdout = stdout_pipe.read_to_end(&mut stdout).map(|_| stdout);
        (stdout, stderr.join().unwrap())
    });
    let status = child.wait()?;
    Ok(Captured {
        pid: child.id(),
        status,
        stdout: stdout?,
        stderr: stderr?,
    })
}
