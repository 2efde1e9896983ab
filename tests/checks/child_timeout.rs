use super::within;
use crate::ex::child_timeout::{Outcome, run_with_deadline};
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn a_quick_child_finishes() {
    isolated!();
    let outcome = within(
        Duration::from_secs(5),
        "run_with_deadline never returned",
        || {
            let mut cmd = Command::new("sh");
            cmd.args(["-c", "echo hello; exit 4"]);
            run_with_deadline(cmd, Duration::from_secs(5))
        },
    );
    match outcome.expect("run_with_deadline failed") {
        Outcome::Finished { status, stdout } => {
            assert_eq!(status.code(), Some(4));
            assert_eq!(stdout, "hello\n");
        }
        other => panic!("expected Finished, got {other:?}"),
    }
}

#[test]
fn a_hanging_child_is_killed_and_reaped() {
    isolated!();
    let started = Instant::now();
    let outcome = within(
        Duration::from_secs(3),
        "a child sleeping 30 s with a 200 ms limit was not stopped: \
         wait() blocks until the child exits; poll try_wait() and kill() at the deadline",
        || {
            let mut cmd = Command::new("sleep");
            cmd.arg("30");
            run_with_deadline(cmd, Duration::from_millis(200))
        },
    );
    let Outcome::TimedOut { pid } = outcome.expect("run_with_deadline failed") else {
        panic!("a child sleeping 30 s should time out");
    };
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "returned before the limit"
    );
    if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The field after the name in parentheses is the state; Z is a zombie.
        let state = stat.rsplit(')').next().unwrap_or("").trim_start();
        assert!(
            !state.starts_with('Z'),
            "the killed child is a zombie: call wait() after kill() to reap it"
        );
    }
}
