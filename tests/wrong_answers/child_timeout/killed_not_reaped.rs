//! WRONG: kills the child at the deadline but never waits for it: the dead child stays in the process table as a zombie; the checks must look at the process after the return.
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
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait()? {
            let stdout = reader.join().expect("the reader thread panicked")?;
            return Ok(Outcome::Finished { status, stdout });
        }
        if Instant::now() >= deadline {
            child.kill()?;
            // The reader ends when the pipe closes; a grandchild holding it
            // open must not keep us here, so it is not joined.
            return Ok(Outcome::TimedOut { pid: child.id() });
        }
        thread::sleep(Duration::from_millis(5));
    }
}
