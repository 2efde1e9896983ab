//! RIGHT: the reader thread reports the end of the output on a channel; the caller waits for it with recv_timeout until the deadline, then polls try_wait for what is left of the limit; killed and reaped at the deadline.
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
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let _ = done_tx.send(reader.join());
    });
    let deadline = Instant::now() + limit;
    let mut stdout = None;
    if let Ok(read) = done_rx.recv_timeout(limit) {
        stdout = Some(read.expect("the reader thread panicked")?);
    }
    // The output may end before the child does: poll for the rest of the limit.
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait()? {
            let stdout = match stdout {
                Some(text) => text,
                None => done_rx
                    .recv()
                    .map_err(|_| io::Error::other("the reader thread vanished"))?
                    .expect("the reader thread panicked")?,
            };
            return Ok(Outcome::Finished { status, stdout });
        }
        thread::sleep(Duration::from_millis(2));
    }
    child.kill()?;
    child.wait()?;
    Ok(Outcome::TimedOut { pid: child.id() })
}
