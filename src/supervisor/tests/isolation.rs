//! The isolation harness against small fake answers: each fixture in
//! `answers` is a check whose "code under test" misbehaves one way; the
//! tests below run it through the harness and read the verdict.
use std::path::Path;
use std::time::{Duration, Instant};
use supervisor::isolation::{LIMIT, run_isolated_with};

/// Where a fixture writes the pids of the processes it started.
const DIR_VAR: &str = "SUPERVISOR_FIXTURE_DIR";

mod answers {
    use super::DIR_VAR;
    use std::process::Command;
    use std::sync::{Arc, Barrier, Mutex};
    use supervisor::isolated;

    fn note_pid(file: &str, pid: u32) {
        let dir = std::env::var_os(DIR_VAR).expect("run by the tests below");
        std::fs::write(std::path::Path::new(&dir).join(file), pid.to_string()).unwrap();
    }

    #[test]
    #[ignore = "a fixture, run through the harness by the tests below"]
    fn passes() {
        isolated!();
        assert_eq!(2 + 2, 4);
    }

    #[test]
    #[ignore = "a fixture, run through the harness by the tests below"]
    fn fails_an_assertion() {
        isolated!();
        assert_eq!(2 + 2, 5, "saw 4 items");
    }

    #[test]
    #[ignore = "a fixture, run through the harness by the tests below"]
    fn exits_with_zero() {
        isolated!();
        std::process::exit(0);
    }

    #[test]
    #[ignore = "a fixture, run through the harness by the tests below"]
    fn exits_with_three() {
        isolated!();
        std::process::exit(3);
    }

    #[test]
    #[ignore = "a fixture, run through the harness by the tests below"]
    fn aborts() {
        isolated!();
        std::process::abort();
    }

    #[test]
    #[ignore = "a fixture, run through the harness by the tests below"]
    fn deadlocks() {
        isolated!();
        let forks = Arc::new([Mutex::new(()), Mutex::new(())]);
        let both_hold_one = Arc::new(Barrier::new(2));
        let philosophers: Vec<_> = (0..2)
            .map(|seat| {
                let (forks, both_hold_one) = (forks.clone(), both_hold_one.clone());
                std::thread::Builder::new()
                    .name(format!("philosopher-{seat}"))
                    .spawn(move || {
                        let _first = forks[seat].lock().unwrap();
                        both_hold_one.wait();
                        let _second = forks[1 - seat].lock().unwrap();
                    })
                    .unwrap()
            })
            .collect();
        for philosopher in philosophers {
            philosopher.join().unwrap();
        }
    }

    #[test]
    #[ignore = "a fixture, run through the harness by the tests below"]
    #[allow(clippy::zombie_processes)] // the point: a child never waited for
    fn leaves_a_sleep_behind() {
        isolated!();
        let child = Command::new("sleep").arg("1000").spawn().unwrap();
        note_pid("sleep", child.id());
    }

    #[test]
    #[ignore = "a fixture, run through the harness by the tests below"]
    fn leaves_a_sleep_in_a_new_session_behind() {
        isolated!();
        // `setsid -f` forks: the sleep leaves the group and the session, and
        // its parent is gone before the check ends.
        let out = Command::new("sh")
            .args([
                "-c",
                "setsid -f sh -c 'echo $$; exec sleep 1000 >/dev/null 2>&1' ",
            ])
            .output()
            .unwrap();
        let pid: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        note_pid("sleep", pid);
    }
}

fn judge(fixture: &str, dir: &Path, limit: Duration) -> Result<(), String> {
    run_isolated_with(
        &format!("answers::{fixture}"),
        limit,
        &[(DIR_VAR, dir.as_os_str())],
    )
}

fn verdict_of(fixture: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    judge(fixture, dir.path(), LIMIT).expect_err("the fixture misbehaves: the check must fail")
}

#[test]
fn a_body_that_returns_passes() {
    let dir = tempfile::tempdir().unwrap();
    judge("passes", dir.path(), LIMIT).unwrap();
}

#[test]
fn a_failed_assertion_fails_with_its_message() {
    let verdict = verdict_of("fails_an_assertion");
    assert!(verdict.contains("saw 4 items"), "{verdict}");
}

#[test]
fn exit_zero_inside_a_check_is_not_done() {
    let verdict = verdict_of("exits_with_zero");
    assert!(
        verdict.starts_with("the test process exited with code 0 before the check finished"),
        "{verdict}"
    );
}

#[test]
fn a_non_zero_exit_is_reported_with_its_code() {
    let verdict = verdict_of("exits_with_three");
    assert!(
        verdict.starts_with("the test process exited with code 3 before the check finished"),
        "{verdict}"
    );
}

#[test]
fn an_abort_is_not_done() {
    let verdict = verdict_of("aborts");
    assert!(
        verdict.starts_with("the test process was killed by signal 6 (SIGABRT)"),
        "{verdict}"
    );
}

#[test]
fn a_deadlock_fails_at_the_deadline_naming_who_waits() {
    let started = Instant::now();
    let verdict = verdict_of("deadlocks");
    // The deadline is 10 s; the margin is for a busy machine, the point is
    // that it ends at all (it would otherwise hang forever).
    assert!(
        started.elapsed() < LIMIT * 3,
        "took {:?}",
        started.elapsed()
    );
    assert!(
        verdict.starts_with("did not finish within 10 s"),
        "{verdict}"
    );
    assert!(
        verdict.contains("blocked on a lock, condition variable, channel or join")
            && verdict.contains("philosopher-0, philosopher-1")
            && verdict.contains("no thread running"),
        "{verdict}"
    );
}

/// The pid a fixture noted, once the harness is done with it.
fn left_behind(fixture: &str) -> u32 {
    let dir = tempfile::tempdir().unwrap();
    judge(fixture, dir.path(), LIMIT).unwrap();
    std::fs::read_to_string(dir.path().join("sleep"))
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn a_process_the_answer_started_is_killed_and_reaped() {
    let pid = left_behind("leaves_a_sleep_behind");
    assert_gone(pid);
}

#[test]
fn a_process_that_left_with_setsid_is_killed_and_reaped() {
    let pid = left_behind("leaves_a_sleep_in_a_new_session_behind");
    assert_gone(pid);
}

fn assert_gone(pid: u32) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"));
    assert!(
        stat.is_err(),
        "sleep {pid} is still there: {stat:?} (I am {})",
        std::process::id()
    );
}
