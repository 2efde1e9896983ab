//! WRONG: reads stdout only after the child has exited, on the same thread: a child that writes more than a pipe holds blocks forever and is killed as if it hung; the checks must use a big output.
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
    let mut pipe = child.stdout.take().expect("stdout is piped");
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait()? {
            let mut stdout = String::new();
            pipe.read_to_string(&mut stdout)?;
            return Ok(Outcome::Finished { status, stdout });
        }
        if Instant::now() >= deadline {
            child.kill()?;
            child.wait()?;
            // The reader ends when the pipe closes; a grandchild holding it
            // open must not keep us here, so it is not joined.
            return Ok(Outcome::TimedOut { pid: child.id() });
        }
        thread::sleep(Duration::from_millis(5));
    }
}
