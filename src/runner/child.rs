//! Starting the lesson process and supervising it until it is reaped.
use super::freeze::Lesson;
use super::listen::Listener;
use super::{Control, Outcome, RunEvent, RunOptions};
use crate::wire;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::SyncSender as Sender;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use supervisor::Waited;

/// Longest output line passed on whole; longer ones are cut and say so.
const MAX_LINE: usize = 64 << 10;

pub fn run(exe: &Path, options: &RunOptions, control: &Control, tx: &Sender<RunEvent>) -> Outcome {
    if !exe.exists() {
        return Outcome::FailedToStart(format!(
            "{} is not built yet; run `cargo build --bins` (or leave out --no-build)",
            exe.display()
        ));
    }
    let listener = match Listener::start(
        tx.clone(),
        options.trace_limit.unwrap_or(super::MAX_TRACE_BYTES),
    ) {
        Ok(listener) => listener,
        Err(e) => {
            return Outcome::FailedToStart(format!(
                "cannot listen on 127.0.0.1 for the trace: {e}"
            ));
        }
    };
    let epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let epoch_instant = Instant::now();
    let mut command = Command::new(exe);
    if let Some(demo) = &options.demo {
        command.args(["--demo", demo]);
    }
    command
        .env(wire::ENV_ADDR, &listener.addr)
        .env(wire::ENV_TOKEN, listener.token_hex())
        .env(wire::ENV_EPOCH, epoch.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Supervised: a process group of its own, its tree found and ended
    // even where a child left the group; as subreaper, the runner inherits
    // the lesson's orphans, so it can reap the strays it ends.
    supervisor::become_subreaper();
    let mut child = match supervisor::spawn(&mut command) {
        Ok(child) => child,
        Err(e) => return Outcome::FailedToStart(format!("{}: {e}", exe.display())),
    };
    control.supervise(child.stopper());
    let requests = Arc::new(super::sampler::Requests::default());
    // Freezable before anyone hears it started: a freeze asked for right
    // after `Started` must find the lesson (it did not, once in 20 runs).
    control.freeze().lesson = Some(Lesson {
        stopper: child.stopper(),
        epoch: epoch_instant,
        sampler: requests.clone(),
    });
    let _ = tx.send(RunEvent::Started { pid: child.pid() });
    let sampler = super::sampler::Sampler::start(child.pid(), epoch_instant, requests, tx.clone());
    let started = Instant::now();

    let panic_message = Arc::new(Mutex::new(None));
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    // Each reader says when its pipe closed.
    let (closed_tx, closed) = std::sync::mpsc::channel();
    let (out_tx, out_closed) = (tx.clone(), closed_tx.clone());
    std::thread::spawn(move || {
        for_each_line(stdout, |line| out_tx.send(RunEvent::Stdout(line)).is_ok());
        let _ = out_closed.send(());
    });
    let (err_tx, panic_slot) = (tx.clone(), panic_message.clone());
    std::thread::spawn(move || {
        let mut after_panic = false;
        for_each_line(stderr, |line| {
            if after_panic {
                panic_slot
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .get_or_insert(line.clone());
                after_panic = false;
            }
            after_panic |= line.contains("panicked at");
            err_tx.send(RunEvent::Stderr(line)).is_ok()
        });
        let _ = closed_tx.send(());
    });

    // Exit, the deadline or a stop, whichever comes first; then the whole
    // tree is ended and reaped, whatever the lesson left running. Time
    // frozen does not count: at the deadline, the time left is looked at
    // again with the freezes taken out.
    let ended = loop {
        let left = options.timeout.map(|limit| {
            control
                .freeze()
                .clock
                .time_left(limit, started, Instant::now())
        });
        match child.wait(left) {
            Waited::Deadline if left.is_some_and(|l| !l.is_zero()) => {}
            Waited::Deadline => break child.end(options.timeout),
            Waited::Exited(_) | Waited::StopAsked => break child.end(None),
        }
    };
    control.freeze().lesson = None;
    sampler.finish();
    control.supervise_none();
    // Every process of the tree is dead, so the pipes close and the readers
    // end; one that escaped (it cleared its environment and left the group)
    // may hold a pipe: its reader is left behind rather than hang the run.
    let deadline = Instant::now() + Duration::from_secs(2);
    for _ in 0..2 {
        let _ = closed.recv_timeout(deadline.saturating_duration_since(Instant::now()));
    }
    listener.finish(Duration::from_millis(500));
    if ended.strays > 0 {
        let _ = tx.send(RunEvent::Strays(ended.strays));
    }
    match ended.outcome {
        supervisor::Outcome::Stopped => Outcome::Killed,
        supervisor::Outcome::TimedOut(limit) => Outcome::TimedOut(limit),
        supervisor::Outcome::Signalled(signal) => Outcome::Signal(signal),
        supervisor::Outcome::Exited(101) => match panic_message
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            Some(message) => Outcome::Panicked { message },
            None => Outcome::Code(101),
        },
        supervisor::Outcome::Exited(code) => Outcome::Code(code),
    }
}

/// Calls `f` with each line (lossy UTF-8, cut past [`MAX_LINE`]) until EOF or
/// until `f` returns false.
pub fn for_each_line(stream: impl Read, mut f: impl FnMut(String) -> bool) {
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        let mut cut = 0usize;
        let mut found_any = false;
        loop {
            let Ok(buf) = reader.fill_buf() else { return };
            if buf.is_empty() {
                break;
            }
            let (take, found) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            let content = take - usize::from(found);
            let room = MAX_LINE.saturating_sub(line.len()).min(content);
            line.extend_from_slice(&buf[..room]);
            cut += content - room;
            reader.consume(take);
            found_any = true;
            if found {
                break;
            }
        }
        if !found_any {
            return;
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        let mut text = String::from_utf8_lossy(&line).into_owned();
        if cut > 0 {
            let _ = write!(text, " … ({cut} more bytes cut)");
        }
        if !f(text) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        for_each_line(input, |l| {
            out.push(l);
            true
        });
        out
    }

    #[test]
    fn lines_are_split_and_invalid_utf8_is_replaced() {
        assert_eq!(lines(b"a\nb\r\n\xffc"), ["a", "b", "\u{fffd}c"]);
        assert_eq!(lines(b"\n\n"), ["", ""]);
    }

    #[test]
    fn a_huge_line_is_cut_and_says_so() {
        let mut input = vec![b'x'; MAX_LINE + 10];
        input.extend_from_slice(b"\nnext\n");
        let got = lines(&input);
        assert_eq!(got.len(), 2);
        assert!(got[0].ends_with("(10 more bytes cut)"));
        assert_eq!(got[1], "next");
    }
}
