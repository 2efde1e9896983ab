use super::within;
use crate::ex::supervisor::{Outcome, Policy, Report, supervise};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::process::Command;
use tokio::sync::oneshot;

fn sh(script: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", script]);
    cmd
}

/// A file of this test's own, removed first.
fn scratch(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("supervisor_{}_{name}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// Runs `supervise` on a single-threaded runtime (real time) under a
/// deadline; `stop_after` triggers shutdown that long after the start.
/// Returns the report and when each worker was started.
fn run(
    script: String,
    policy: Policy,
    stop_after: Option<Duration>,
    hang: &str,
) -> (Report, Vec<Instant>, Option<Duration>) {
    within(Duration::from_secs(5), hang, move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let starts = Arc::new(Mutex::new(Vec::new()));
            let recorded = Arc::clone(&starts);
            let make = move || {
                recorded.lock().unwrap().push(Instant::now());
                sh(&script)
            };
            let (stop, stopped) = oneshot::channel::<()>();
            let stop_at = Arc::new(Mutex::new(None));
            let mut never_sent = None; // held open: shutdown never completes
            if let Some(after) = stop_after {
                let stop_at = Arc::clone(&stop_at);
                tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    *stop_at.lock().unwrap() = Some(Instant::now());
                    let _ = stop.send(());
                });
            } else {
                never_sent = Some(stop);
            }
            let report = supervise(make, policy, async {
                let _ = stopped.await;
            })
            .await
            .expect("supervise failed");
            let returned = Instant::now();
            drop(never_sent);
            let stopped_for = stop_at.lock().unwrap().map(|at| returned - at);
            let starts = starts.lock().unwrap().clone();
            (report, starts, stopped_for)
        })
    })
}

#[test]
fn crashes_are_restarted_with_doubling_backoff_until_it_finishes() {
    isolated!();
    let counter = scratch("count");
    let script = format!(
        "f='{}'; n=$(cat \"$f\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$f\"; \
         [ $n -ge 4 ] && exit 0; exit 1",
        counter.display()
    );
    let policy = Policy {
        max_restarts: 5,
        first_backoff: Duration::from_millis(40),
    };
    let (report, starts, _) = run(script, policy, None, "supervise did not return");
    let _ = std::fs::remove_file(&counter);
    assert!(
        matches!(report.outcome, Outcome::Finished),
        "a worker that exits 1 three times, then 0, should end Finished: {report:?}"
    );
    assert_eq!(
        report.starts, 4,
        "workers started (3 crashes, then success)"
    );
    assert_eq!(starts.len(), 4, "times make() was called");
    let gaps: Vec<Duration> = starts.windows(2).map(|w| w[1] - w[0]).collect();
    for (i, (gap, backoff)) in gaps.iter().zip([40, 80, 160]).enumerate() {
        assert!(
            *gap >= Duration::from_millis(backoff - 2),
            "restart {} came {gap:?} after the previous start; the backoffs are 40, 80, 160 ms \
             (all gaps: {gaps:?})",
            i + 1
        );
    }
}

#[test]
fn it_gives_up_after_max_restarts() {
    isolated!();
    let policy = Policy {
        max_restarts: 2,
        first_backoff: Duration::from_millis(5),
    };
    let (report, _, _) = run(
        "kill -9 $$".into(),
        policy,
        None,
        "supervise did not return",
    );
    assert_eq!(
        report.starts, 3,
        "workers started with max_restarts = 2 (the first and 2 restarts)"
    );
    match report.outcome {
        Outcome::GaveUp { last } => assert_eq!(last.signal(), Some(9), "the last status: {last:?}"),
        other => panic!("a worker that always crashes (SIGKILL) should end GaveUp, got {other:?}"),
    }
    let policy = Policy {
        max_restarts: 0,
        first_backoff: Duration::from_millis(5),
    };
    let (report, _, _) = run("exit 3".into(), policy, None, "supervise did not return");
    assert_eq!(report.starts, 1, "workers started with max_restarts = 0");
    match report.outcome {
        Outcome::GaveUp { last } => assert_eq!(last.code(), Some(3)),
        other => panic!(
            "a worker that exits 3 with no restarts allowed should end GaveUp, got {other:?}"
        ),
    }
}

/// Polls until `pid` is gone; kills it if not (so nothing is left behind),
/// then fails with what it was.
fn assert_gone(pid: &str) {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            return;
        };
        if Instant::now() > deadline {
            let state = stat
                .rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .chars()
                .next();
            let _ = std::process::Command::new("kill")
                .args(["-9", pid])
                .status();
            panic!(
                "the worker (pid {pid}) was {} 2 s after supervise returned Stopped",
                if state == Some('Z') {
                    "a zombie (killed, never waited for)"
                } else {
                    "still running"
                }
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn shutdown_kills_and_reaps_the_running_worker() {
    isolated!();
    let pid_file = scratch("pid");
    let script = format!("echo $$ > '{}'; exec sleep 30", pid_file.display());
    let policy = Policy {
        max_restarts: 3,
        first_backoff: Duration::from_millis(10),
    };
    let (report, _, stopped_for) = run(
        script,
        policy,
        Some(Duration::from_millis(300)),
        "supervise did not return after shutdown, with a worker sleeping 30 s",
    );
    let pid = std::fs::read_to_string(&pid_file).unwrap_or_default();
    let _ = std::fs::remove_file(&pid_file);
    let pid = pid.trim();
    assert!(!pid.is_empty(), "the worker never started");
    assert_gone(pid);
    assert!(
        matches!(report.outcome, Outcome::Stopped),
        "outcome after shutdown: {report:?}"
    );
    assert_eq!(report.starts, 1);
    let stopped_for = stopped_for.expect("shutdown was never sent");
    assert!(
        stopped_for < Duration::from_secs(1),
        "supervise returned {stopped_for:?} after shutdown"
    );
}

#[test]
fn shutdown_cuts_a_backoff_short() {
    isolated!();
    let policy = Policy {
        max_restarts: 3,
        first_backoff: Duration::from_secs(20),
    };
    let (report, _, stopped_for) = run(
        "exit 1".into(),
        policy,
        Some(Duration::from_millis(300)),
        "supervise did not return after shutdown, during a 20 s backoff",
    );
    assert!(
        matches!(report.outcome, Outcome::Stopped),
        "outcome after shutdown: {report:?}"
    );
    assert_eq!(
        report.starts, 1,
        "workers started before shutdown, during the first backoff"
    );
    let stopped_for = stopped_for.expect("shutdown was never sent");
    assert!(
        stopped_for < Duration::from_secs(1),
        "supervise returned {stopped_for:?} after shutdown, in a 20 s backoff"
    );
}

#[test]
fn a_worker_that_cannot_start_is_an_error() {
    isolated!();
    let result = within(
        Duration::from_secs(5),
        "supervise never returned for a worker that cannot be started",
        || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let policy = Policy {
                    max_restarts: 3,
                    first_backoff: Duration::from_millis(10),
                };
                let make = || Command::new("/nonexistent/no-such-worker");
                supervise(make, policy, std::future::pending())
                    .await
                    .map(|report| format!("{report:?}"))
            })
        },
    );
    if let Ok(report) = result {
        panic!(
            "a worker that cannot be started (no such program) should make supervise \
             return an Err, but it returned Ok({report})"
        );
    }
}
