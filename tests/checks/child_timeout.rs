use super::within;
use crate::ex::child_timeout::{Outcome, run_with_deadline};
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn a_quick_child_finishes() {
    isolated!();
    let outcome = within(
        Duration::from_secs(5),
        "run_with_deadline never returned for `echo hello; exit 4`",
        || {
            let mut cmd = Command::new("sh");
            cmd.args(["-c", "echo hello; exit 4"]);
            run_with_deadline(cmd, Duration::from_secs(5))
        },
    );
    match outcome.expect("run_with_deadline failed") {
        Outcome::Finished { status, stdout } => {
            assert_eq!(status.code(), Some(4), "the child's exit status");
            assert_eq!(stdout, "hello\n", "the child's output");
        }
        other => panic!("`echo hello; exit 4` ends at once, but gave {other:?}"),
    }
}

/// A child writing more than a pipe holds (about 64 KiB) finishes only if
/// someone reads while it writes.
#[test]
fn a_child_with_a_lot_to_say_finishes() {
    isolated!();
    let outcome = within(
        Duration::from_secs(8),
        "run_with_deadline never returned for a child writing 200,000 bytes",
        || {
            let mut cmd = Command::new("sh");
            cmd.args(["-c", "yes 0 | head -n 100000"]);
            run_with_deadline(cmd, Duration::from_secs(5))
        },
    );
    match outcome.expect("run_with_deadline failed") {
        Outcome::Finished { status, stdout } => {
            assert!(status.success(), "the child failed: {status}");
            assert_eq!(stdout.len(), 200_000, "all 200,000 bytes of its output");
        }
        other => panic!(
            "a child writing 200,000 bytes (it takes milliseconds) did not finish within 5 s: {other:?}"
        ),
    }
}

/// What the process table says about `pid`: None once it is gone.
fn state_of(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The field after the name in parentheses is the state; Z is a zombie.
    stat.rsplit(')').next()?.trim_start().chars().next()
}

#[test]
fn a_hanging_child_is_gone() {
    isolated!();
    let started = Instant::now();
    let outcome = within(
        Duration::from_secs(3),
        "run_with_deadline was still waiting 3 s after it started a child that sleeps 30 s, \
         with a limit of 200 ms",
        || {
            let mut cmd = Command::new("sleep");
            cmd.arg("30");
            run_with_deadline(cmd, Duration::from_millis(200))
        },
    );
    let returned = started.elapsed();
    let Outcome::TimedOut { pid } = outcome.expect("run_with_deadline failed") else {
        panic!("a child sleeping 30 s with a 200 ms limit should time out");
    };
    assert!(
        returned >= Duration::from_millis(200),
        "returned after {returned:?}, before the 200 ms limit"
    );
    // Gone means neither running nor a zombie: give it a moment to go.
    let mut state = state_of(pid);
    let polled = Instant::now();
    while state.is_some() && polled.elapsed() < Duration::from_secs(1) {
        std::thread::sleep(Duration::from_millis(10));
        state = state_of(pid);
    }
    if state.is_some_and(|s| s != 'Z') {
        // Do not leave it behind.
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
    }
    match state {
        None => {}
        Some('Z') => panic!(
            "1 s after run_with_deadline returned, the child (pid {pid}) was a zombie: \
             dead, but still in the process table because nobody collected its exit status"
        ),
        Some(other) => panic!(
            "1 s after run_with_deadline returned TimedOut, the child (pid {pid}) was still \
             alive (state {other}): it would have slept its full 30 s"
        ),
    }
}
