//! Ctrl-Z on `workbook run`: a shell's SIGTSTP reaches only the workbook
//! (the lesson runs in a process group of its own), which freezes the
//! lesson's whole tree, stops itself, and on SIGCONT (`fg`) resumes it. The
//! run of lesson 04's deadlock demo still ends by itself, and its timeline
//! marks the frozen stretch, with nothing on a core in it.
mod support;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::workbook;

/// The state letter of `pid` (`T`: stopped).
fn state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat[stat.rfind(')')? + 2..].chars().next()
}

/// The live processes whose parent is `parent`.
fn children_of(parent: u32) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                let mut fields = stat[stat.rfind(')').unwrap_or(0) + 2..].split_whitespace();
                fields.next() != Some("Z") && fields.next() == Some(&parent.to_string())
            })
        })
        .collect()
}

/// Looks, a bounded number of times, until `done` holds; a signal lands
/// when the process is next scheduled, which on a busy machine takes a while.
fn eventually(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..1000 {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn ctrl_z_freezes_the_deadlock_demo_and_fg_resumes_it() {
    if !std::path::Path::new("/proc/self/stat").exists() {
        return; // no /proc: states cannot be read
    }
    // The run is recorded: in a data folder of the test's own.
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(workbook())
        .args([
            "run",
            "04",
            "--demo",
            "deadlock",
            "--no-build",
            "--width",
            "120",
        ])
        .env("NO_COLOR", "1")
        .env("XDG_DATA_HOME", data.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let me = child.id();
    let mut lessons = Vec::new();
    assert!(
        eventually(|| {
            lessons = children_of(me);
            !lessons.is_empty()
        }),
        "no lesson process under the workbook"
    );
    // Let the two threads take their first locks and wait on each other.
    std::thread::sleep(Duration::from_millis(150));

    kill(Pid::from_raw(me as i32), Signal::SIGTSTP).unwrap();
    let frozen =
        eventually(|| state(me) == Some('T') && lessons.iter().all(|&p| state(p) == Some('T')));
    let states: Vec<_> = lessons.iter().map(|&p| (p, state(p))).collect();
    // Frozen for a while, then `fg` continues the workbook (SIGCONT) even
    // if the check failed, so nothing is left stopped.
    std::thread::sleep(Duration::from_millis(700));
    kill(Pid::from_raw(me as i32), Signal::SIGCONT).unwrap();
    assert!(
        frozen,
        "the workbook ({:?}) and the lesson {states:?} were stopped",
        state(me)
    );

    let (mut out, mut err) = (String::new(), String::new());
    let (mut stdout, mut stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        stderr.read_to_string(&mut err).unwrap();
        err
    });
    stdout.read_to_string(&mut out).unwrap();
    let err = reader.join().unwrap();
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "the run ended by itself: {status}\n{err}\n{out}"
    );
    assert!(err.contains("froze the lesson"), "{err}");
    assert!(err.contains("resumed the lesson"), "{err}");
    assert!(out.contains("deadlock detected"), "{out}");

    let frozen_row = out
        .lines()
        .find(|l| l.starts_with("run frozen (SIGSTOP)"))
        .unwrap_or_else(|| panic!("no frozen row in the timeline:\n{out}"));
    let cells =
        |line: &str| -> Vec<char> { line.chars().skip_while(|&c| c != '│').skip(1).collect() };
    let marked: Vec<usize> = cells(frozen_row)
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '‖')
        .map(|(i, _)| i)
        .collect();
    assert!(marked.len() >= 3, "a stretch is marked: {frozen_row}");
    // Inside the stretch, no kernel row shows a thread on a core or queued
    // for one. Its edges may: a slice between two samples is spread over the
    // columns it spans, and on a busy machine the sampler's rounds (and the
    // freeze itself) come late, so a sixth of the stretch each side is left out.
    let edge = (marked.len() / 6).max(1);
    let inside = &marked[edge..marked.len() - edge];
    for row in out
        .lines()
        .filter(|l| l.trim_start().starts_with("⤷ kernel"))
    {
        let row_cells = cells(row);
        for &c in inside {
            let cell = row_cells.get(c).copied().unwrap_or(' ');
            assert!(
                cell != '━' && cell != '╳',
                "something ran while frozen, column {c}:\n{out}"
            );
        }
    }
}
