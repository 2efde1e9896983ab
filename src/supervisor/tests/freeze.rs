//! Freezing a supervised tree: every process of it stops (state `T`),
//! including a grandchild that left the group and the session, and all of
//! them continue on resume.
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The state letter of `pid` from `/proc/PID/stat`.
fn state(pid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat[stat.rfind(')')? + 2..].chars().next()
}

/// Waits, a bounded number of looks, until every pid is (or is not) stopped;
/// a signal is delivered when the process is next scheduled, so not at once.
fn settle(pids: &[i32], stopped: bool) -> Vec<(i32, Option<char>)> {
    let mut states = Vec::new();
    for _ in 0..500 {
        states = pids.iter().map(|&p| (p, state(p))).collect();
        if states.iter().all(|(_, s)| (*s == Some('T')) == stopped) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    states
}

#[test]
fn a_frozen_tree_stops_whole_and_resumes_whole() {
    if !std::path::Path::new("/proc/self/stat").exists() {
        return; // no /proc to read states from
    }
    supervisor::become_subreaper();
    // The shell starts a sleep in its group and one that leaves the group
    // and the session (setsid -f), prints both pids, then waits.
    let mut command = Command::new("sh");
    command
        .args([
            "-c",
            "sleep 1000 & echo $!; setsid -f sh -c 'echo $$; exec sleep 1000 >/dev/null 2>&1'; wait",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    let mut child = supervisor::spawn(&mut command).expect("sh starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut pids = vec![child.pid() as i32];
    for _ in 0..2 {
        let line = lines.next().expect("a pid line").expect("readable");
        pids.push(line.trim().parse().expect("a pid"));
    }
    let stopper = child.stopper();

    let others = stopper.freeze();
    assert!(others >= 2, "the two sleeps were reached: {others}");
    let frozen = settle(&pids, true);
    assert!(
        frozen.iter().all(|(_, s)| *s == Some('T')),
        "every process is stopped: {frozen:?}"
    );

    stopper.resume();
    let resumed = settle(&pids, false);
    assert!(
        resumed.iter().all(|(_, s)| s.is_some() && *s != Some('T')),
        "every process runs again: {resumed:?}"
    );

    let ended = child.run(Some(Duration::ZERO));
    assert!(ended.strays >= 2, "{ended:?}");
}
