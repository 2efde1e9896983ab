//! Starting the lesson process and supervising it until it is reaped.
use super::listen::Listener;
use super::{Control, Outcome, RunEvent, RunOptions};
use crate::wire;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Longest output line passed on whole; longer ones are cut and say so.
const MAX_LINE: usize = 64 << 10;

/// Kills a whole process group: the lesson, its children, theirs.
pub fn kill_group(group: i32) {
    let _ = nix::sys::signal::killpg(
        nix::unistd::Pid::from_raw(group),
        nix::sys::signal::Signal::SIGKILL,
    );
}

pub fn run(exe: &Path, options: &RunOptions, control: &Control, tx: &Sender<RunEvent>) -> Outcome {
    if !exe.exists() {
        return Outcome::FailedToStart(format!(
            "{} is not built yet; run `cargo build --bins` (or leave out --no-build)",
            exe.display()
        ));
    }
    let listener = match Listener::start(tx.clone()) {
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
        // Its own process group, so one signal reaches its children too.
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => return Outcome::FailedToStart(format!("{}: {e}", exe.display())),
    };
    let pid = child.id() as i32;
    *control
        .group
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(pid);
    let _ = tx.send(RunEvent::Started { pid: pid as u32 });
    let sampler = super::sampler::Sampler::start(pid as u32, epoch_instant, tx.clone());

    let panic_message = Arc::new(Mutex::new(None));
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    let out_tx = tx.clone();
    let out = std::thread::spawn(move || {
        for_each_line(stdout, |line| out_tx.send(RunEvent::Stdout(line)).is_ok());
    });
    let (err_tx, panic_slot) = (tx.clone(), panic_message.clone());
    let err = std::thread::spawn(move || {
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
    });

    let started = Instant::now();
    let mut stopped = None;
    let status = loop {
        if stopped.is_none() {
            if control.stop.load(Ordering::SeqCst) {
                stopped = Some(Outcome::Killed);
            } else if let Some(limit) = options.timeout.filter(|limit| started.elapsed() > *limit) {
                stopped = Some(Outcome::TimedOut(limit));
            }
            if stopped.is_some() {
                kill_group(pid);
            }
        }
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    sampler.finish();
    // The lesson is gone; anything it left running in its group goes too.
    kill_group(pid);
    *control
        .group
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    join_within(out, Duration::from_secs(2));
    join_within(err, Duration::from_secs(2));
    listener.finish(Duration::from_millis(500));

    if let Some(outcome) = stopped {
        return outcome;
    }
    match status {
        Some(status) if status.code() == Some(101) => match panic_message
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            Some(message) => Outcome::Panicked { message },
            None => Outcome::Code(101),
        },
        Some(status) => match (status.code(), status.signal()) {
            (Some(code), _) => Outcome::Code(code),
            (None, Some(signal)) => Outcome::Signal(signal),
            (None, None) => Outcome::Code(-1),
        },
        None => Outcome::FailedToStart("lost track of the lesson process".into()),
    }
}

/// A reader thread is joined if it ends in time; if a stray process still
/// holds the pipe, it is left to finish on its own rather than hang us.
fn join_within(handle: std::thread::JoinHandle<()>, limit: Duration) {
    let deadline = Instant::now() + limit;
    while !handle.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    if handle.is_finished() {
        let _ = handle.join();
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
