//! WRONG: calls wait() with no deadline: right for a child that exits, but a hanging child hangs the caller too; the checks must give up on it with a message.
use std::io::{self, Read};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How a run ended.
#[derive(Debug)]
pub enum Outcome {
    /// The child exited by itself.
    Finished { status: ExitStatus, stdout: String },
    /// The child ran past the limit and was killed and reaped.
    TimedOut { pid: u32 },
}

/// Runs `cmd`; kills and reaps it if it runs longer than `limit`.
pub fn run_with_deadline(mut cmd: Command, limit: Duration) -> io::Result<Outcome> {
    let mut child = cmd.stdout(Stdio::piped()).spawn()?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let reader = thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).map(|_| text)
    });
    let status = child.wait()?;
    let stdout = reader.join().expect("the reader thread panicked")?;
    Ok(Outcome::Finished { status, stdout })
}
