//! Running a supervised child to its end while collecting its output, the
//! supervised counterpart of [`std::process::Command::output`].
use crate::child::{Ended, spawn};
use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// What a child printed, and how its tree ended.
#[derive(Debug)]
pub struct Output {
    pub ended: Ended,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Runs `command` under supervision until it exits (or `limit` passes, or it
/// is stopped), reading both pipes at once so neither fills up and stalls it.
/// Its whole tree is ended before this returns.
pub fn output(command: &mut Command, limit: Option<Duration>) -> std::io::Result<Output> {
    let mut child = spawn(command.stdout(Stdio::piped()).stderr(Stdio::piped()))?;
    let stdout = read_all(child.stdout.take());
    let stderr = read_all(child.stderr.take());
    let ended = child.run(limit);
    // The tree is dead: nobody holds the pipes open any more.
    Ok(Output {
        ended,
        stdout: stdout.recv().unwrap_or_default(),
        stderr: stderr.recv().unwrap_or_default(),
    })
}

/// Reads a pipe to its end on a thread of its own; the bytes come on the
/// channel.
pub fn read_all(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut buf);
        }
        let _ = tx.send(buf);
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Outcome;

    #[test]
    fn collects_both_streams_and_the_exit_code() {
        let out = output(
            Command::new("sh").args(["-c", "echo out; echo err >&2; exit 3"]),
            None,
        )
        .unwrap();
        assert_eq!(out.stdout, b"out\n");
        assert_eq!(out.stderr, b"err\n");
        assert_eq!(out.ended.outcome, Outcome::Exited(3));
    }

    #[test]
    fn a_child_past_its_deadline_is_killed_with_its_children() {
        // The grandchild holds stdout open: without the tree kill, reading
        // would wait for it.
        let out = output(
            Command::new("sh").args(["-c", "sleep 1000 & echo started; wait"]),
            Some(Duration::from_millis(300)),
        )
        .unwrap();
        assert_eq!(out.stdout, b"started\n");
        assert_eq!(
            out.ended.outcome,
            Outcome::TimedOut(Duration::from_millis(300))
        );
        assert_eq!(out.ended.strays, 1, "the sleep");
    }

    #[test]
    fn a_stop_from_another_thread_ends_the_wait() {
        let mut child = spawn(Command::new("sleep").arg("1000")).unwrap();
        let stopper = child.stopper();
        std::thread::spawn(move || stopper.stop());
        assert_eq!(child.wait(None), crate::Waited::StopAsked);
        assert_eq!(child.end(None).outcome, Outcome::Stopped);
    }
}
