//! Per-test process isolation for the exercise checks: the engine behind
//! `isolated!()`, the first line of every check.
//!
//! In the parent (the test as libtest runs it), [`isolate`] runs the same test
//! binary again for just this test, in a process group of its own, under a
//! [`LIMIT`], and judges what it saw:
//! - the test passes only if the child ran the body to its end: the child
//!   writes a completion mark when the body returns (not when it panics), so
//!   `std::process::exit(0)` inside the code under test, an abort, a signal or
//!   a non-zero exit all fail, each with a sentence saying what was seen;
//! - at the deadline, the child's threads are read (who waits, on what), then
//!   its whole tree is killed;
//! - whatever the outcome, every process the child started is killed and
//!   reaped, those that left its group with `setsid()` too.
//!
//! In the child (marked by [`CHILD_VAR`]), [`isolate`] returns a
//! [`Completion`] guard and the body runs.
use crate::child::{Outcome, Waited, signal_name, spawn};
use crate::threads;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long one check may run, start to end, in its own process.
pub const LIMIT: Duration = Duration::from_secs(10);

/// Set in the child to the name of the test it runs.
pub const CHILD_VAR: &str = "WORKBOOK_ISOLATED_TEST";

/// The line the child writes when the body has returned.
const DONE_MARK: &str = "workbook: the isolated test body returned";

/// The most of each output stream kept (the end is kept: panics come last).
const KEEP: usize = 256 << 10;

/// Held by the test body in the child; dropped last, after the body's own
/// locals, it writes the completion mark unless the body is panicking.
pub struct Completion(());

impl Drop for Completion {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "\n{DONE_MARK}");
            let _ = out.flush();
        }
    }
}

/// The libtest name of the test whose body holds a nested fn named by
/// `type_name` (`checks::checks::philosophers::everyone_gets_to_eat::here` →
/// `checks::philosophers::everyone_gets_to_eat`): the crate name and the
/// fn's own name are dropped, and so are closures (async tests).
pub fn test_name(type_name: &str) -> String {
    let segments: Vec<&str> = type_name
        .split("::")
        .filter(|s| !s.starts_with("{{"))
        .collect();
    match segments.as_slice() {
        [_crate, path @ .., _fn] if !path.is_empty() => path.join("::"),
        _ => type_name.to_string(),
    }
}

/// `isolated!()`: in the child, the guard the body holds; in the parent,
/// runs the child and returns `None` if it passed (the parent's test then
/// returns), or panics with what went wrong.
pub fn isolate(type_name: &str) -> Option<Completion> {
    let test = test_name(type_name);
    if std::env::var_os(CHILD_VAR).is_some_and(|v| v == test.as_str()) {
        return Some(Completion(()));
    }
    if let Err(failure) = run_isolated(&test, LIMIT) {
        // Plain text, as a learner reads it: no "Err(...)" wrapping.
        std::panic::panic_any(failure);
    }
    None
}

/// Runs `test` of this test binary in a child process under `limit` and
/// judges it: `Err` holds the sentence a learner reads.
pub fn run_isolated(test: &str, limit: Duration) -> Result<(), String> {
    run_isolated_with(test, limit, &[])
}

/// [`run_isolated`] with extra environment variables for the child (the
/// harness's own tests tell their fixtures where to write).
pub fn run_isolated_with(
    test: &str,
    limit: Duration,
    env: &[(&str, &std::ffi::OsStr)],
) -> Result<(), String> {
    crate::become_subreaper();
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the test binary: {e}"))?;
    let mut command = Command::new(exe);
    command
        .args([test, "--exact", "--nocapture", "--include-ignored"])
        .args(["--test-threads=1", "--color=never"])
        .env(CHILD_VAR, test)
        .env("RUST_BACKTRACE", "0")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = spawn(&mut command).map_err(|e| format!("cannot start the test: {e}"))?;
    let stdout = collect(child.stdout.take());
    let stderr = collect(child.stderr.take());
    let waited = child.wait(Some(limit));
    let who_waits =
        (waited == Waited::Deadline).then(|| threads::describe(child.pid(), Some(test)));
    let ended = child.end(who_waits.as_ref().map(|_| limit));
    // Every process that held the pipes is dead now: the readers end.
    let seen = Seen {
        outcome: ended.outcome,
        stdout: stdout.recv().unwrap_or_default(),
        stderr: stderr.recv().unwrap_or_default(),
        who_waits,
    };
    seen.echo();
    seen.verdict()
}

/// Reads a pipe to its end on a thread; the text comes on the channel.
fn collect(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        if let Some(mut pipe) = pipe {
            let mut buf = [0u8; 8192];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                kept.extend_from_slice(&buf[..n]);
                if kept.len() > 2 * KEEP {
                    kept.drain(..kept.len() - KEEP);
                }
            }
        }
        let _ = tx.send(String::from_utf8_lossy(&kept).into_owned());
    });
    rx
}

/// What the parent saw of the child.
struct Seen {
    outcome: Outcome,
    stdout: String,
    stderr: String,
    /// At the deadline: who was waiting, on what.
    who_waits: Option<String>,
}

impl Seen {
    fn completed(&self) -> bool {
        self.stdout.lines().any(|l| l == DONE_MARK)
    }

    fn verdict(&self) -> Result<(), String> {
        let panic = panic_report(&self.stderr);
        match self.outcome {
            Outcome::Exited(0) if self.completed() => Ok(()),
            Outcome::TimedOut(limit) => Err(format!(
                "did not finish within {} s. When it was stopped: {}.",
                limit.as_secs(),
                self.who_waits.as_deref().unwrap_or("nothing could be read")
            )),
            Outcome::Stopped => Err("the check was stopped before it finished".into()),
            _ if panic.is_some() => Err(panic.unwrap_or_default()),
            Outcome::Exited(0) if self.stdout.contains("running 0 tests") => {
                Err("the check did not run: the test binary has no test by this name".into())
            }
            Outcome::Exited(0) => Err(
                "the test process exited with code 0 before the check finished: something \
                 in the code under test ended the whole process (std::process::exit or the like)"
                    .into(),
            ),
            Outcome::Exited(code) if self.completed() => Err(format!(
                "the check's body finished, but the test process then exited with code {code}{}",
                last_words(&self.stderr)
            )),
            Outcome::Exited(code) => Err(format!(
                "the test process exited with code {code} before the check finished{}",
                last_words(&self.stderr)
            )),
            Outcome::Signalled(signal) => Err(format!(
                "the test process was killed by {} before the check finished{}",
                signal_name(signal),
                loom_words(&self.stderr).unwrap_or_else(|| last_words(&self.stderr))
            )),
        }
    }

    /// Passes on what the test itself printed (libtest's own lines and the
    /// panic report left out: the verdict says those), so a failing check
    /// still shows the learner's debugging output.
    fn echo(&self) {
        let ours = |l: &str| {
            l.is_empty()
                || l == DONE_MARK
                || l.starts_with("running ")
                || l.starts_with("test ")
                || l.starts_with("successes:")
                || l.starts_with("failures:")
                || l.starts_with("    ")
        };
        for line in self.stdout.lines().filter(|l| !ours(l)) {
            println!("{line}");
        }
        let mut in_panic = false;
        for line in self.stderr.lines() {
            in_panic = (in_panic && !line.is_empty()) || line.contains(" panicked at ");
            if !in_panic && !line.is_empty() && !line.starts_with("note: run with") {
                eprintln!("{line}");
            }
        }
    }
}

/// The first panic in `stderr`: its message, in learner's words where loom
/// wrote it, and where it happened when that is in the exercise or its checks.
fn panic_report(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines.iter().position(|l| l.contains(" panicked at "))?;
    let location = lines[start]
        .split(" panicked at ")
        .nth(1)
        .unwrap_or("")
        .trim_end_matches(':');
    let message = lines[start + 1..]
        .iter()
        .take_while(|l| !l.is_empty() && !l.starts_with("note: "))
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    if let Some(words) = loom_explains(&message) {
        return Some(words.to_string());
    }
    // The checks are included from `<crate>/tests/../../tests/checks/`.
    let location = location
        .rsplit_once("../")
        .map_or(location, |(_, rest)| rest);
    let ours = [
        "tests/checks/",
        "exercises/",
        "solutions/",
        "tests/right_answers/",
        "tests/wrong_answers/",
    ];
    if location.starts_with("tests/checks/mod.rs") || !ours.iter().any(|d| location.starts_with(d))
    {
        // The deadline helpers' messages say what hung; a library's
        // location says nothing to a learner.
        return Some(message);
    }
    Some(format!("{message}\n  (at {location})"))
}

/// loom's own panics, told as what loom saw.
fn loom_explains(message: &str) -> Option<&'static str> {
    if message.contains("Model exceeded maximum number of branches") {
        Some(
            "loom gave up on this model: in one of the schedules it tried, the threads took \
             more steps than its limit without finishing. That happens when a thread keeps \
             looping (spinning, retrying) while it waits for another thread that never gets \
             to act in that schedule.",
        )
    } else if message.starts_with("deadlock; threads =") {
        Some(
            "loom found a schedule in which every thread is blocked and none can continue: \
             a deadlock.",
        )
    } else if message.contains("leaked") {
        Some("loom saw memory still allocated when the model ended: something was never dropped.")
    } else {
        None
    }
}

/// loom's words for a process that aborted, if loom wrote the abort.
fn loom_words(stderr: &str) -> Option<String> {
    stderr
        .lines()
        .find_map(loom_explains)
        .map(|words| format!(": {words}"))
}

/// The last few lines the test printed to stderr, as ": it printed ...".
fn last_words(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return String::new();
    }
    let tail = &lines[lines.len().saturating_sub(3)..];
    format!(". Its last words on stderr:\n{}", tail.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_names_drop_the_crate_and_the_marker_fn() {
        assert_eq!(
            test_name("checks::checks::philosophers::everyone_gets_to_eat::here"),
            "checks::philosophers::everyone_gets_to_eat"
        );
        assert_eq!(
            test_name("loom::models::semaphore::one_permit::{{closure}}::here"),
            "models::semaphore::one_permit"
        );
    }

    #[test]
    fn a_panic_in_a_check_keeps_its_location_in_the_checks() {
        let stderr = "thread 'x' panicked at exercises/tests/../../tests/checks/semaphore.rs:12:5:\nsaw 2 holders\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            panic_report(stderr).unwrap(),
            "saw 2 holders\n  (at tests/checks/semaphore.rs:12:5)"
        );
    }

    #[test]
    fn loom_running_out_of_branches_is_told_in_words() {
        let stderr = "thread 'x' panicked at /root/.cargo/registry/src/loom-0.7.2/src/rt/path.rs:1:1:\nModel exceeded maximum number of branches. This is often caused by an algorithm requiring the processor to make progress, e.g. spin locks.\n";
        let report = panic_report(stderr).unwrap();
        assert!(report.starts_with("loom gave up on this model"), "{report}");
        assert!(!report.contains("registry"), "{report}");
    }
}
