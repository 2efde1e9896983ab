//! The terminal app driven in a real terminal: tmux at 120x40, as a new
//! user would. Open it, see the lesson list and source, run lesson 01, see
//! its thread lanes, quit, and find the shell back to normal with no lesson
//! process left. Skips (and says why) when tmux is not installed; CI
//! installs it.
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("running tmux")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        assert!(self.cmd(&args).status.success(), "tmux send-keys {keys:?}");
    }

    fn type_line(&self, text: &str) {
        assert!(
            self.cmd(&["send-keys", "-t", "t", "-l", text])
                .status
                .success()
        );
        self.keys(&["Enter"]);
    }

    /// Polls the screen until `done` holds; panics with the screen after `limit`.
    fn wait_for(&self, what: &str, limit: Duration, mut done: impl FnMut(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                started.elapsed() < limit,
                "waited {limit:?} for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

fn children(pid: u32) -> Vec<u32> {
    let out = Command::new("pgrep")
        .args(["-P", &pid.to_string()])
        .output()
        .expect("pgrep");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

fn group_members(group: u32) -> Vec<String> {
    let out = Command::new("pgrep")
        .args(["-l", "-g", &group.to_string()])
        .output()
        .expect("pgrep");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Thread lanes on screen: rows of the timeline whose label is indented
/// under a process (`▾ name`), left of the `│` that starts the bars.
fn thread_lanes(screen: &str) -> Vec<String> {
    let mut in_timeline = false;
    let mut names = Vec::new();
    for line in screen.lines() {
        if line.contains(" timeline · ") {
            in_timeline = true;
            continue;
        }
        if !in_timeline {
            continue;
        }
        if line.starts_with('┗') || line.starts_with('└') {
            break;
        }
        let inner: String = line.chars().skip(1).collect();
        if let Some((label, _)) = inner.split_once('│')
            && let Some(name) = label.strip_prefix("  ")
            && !name.starts_with(' ')
            && !name.starts_with('▾')
            && !name.trim().is_empty()
        {
            names.push(name.trim().to_string());
        }
    }
    names
}

#[test]
fn a_new_user_opens_runs_lesson_01_and_quits() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!(
            "SKIPPED: tmux is not installed (CI installs it; `apt-get install tmux` to run this here)"
        );
        return;
    }
    let exe = env!("CARGO_BIN_EXE_workbook");
    let data = std::env::temp_dir().join(format!("workbook-tui-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).unwrap();
    let tmux = Tmux {
        socket: format!("workbook-test-{}", std::process::id()),
    };
    let started = tmux.cmd(&[
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "120",
        "-y",
        "40",
        "sh",
    ]);
    assert!(
        started.status.success(),
        "tmux new-session: {}",
        String::from_utf8_lossy(&started.stderr)
    );
    let _ = tmux.cmd(&["set-option", "-t", "t", "status", "off"]);
    let shell: u32 = String::from_utf8_lossy(
        &tmux
            .cmd(&["display-message", "-p", "-t", "t", "#{pane_pid}"])
            .stdout,
    )
    .trim()
    .parse()
    .expect("the pane's shell pid");

    tmux.type_line(&format!(
        "cd {} && XDG_DATA_HOME={} WORKBOOK_NO_BUILD=1 {exe}; echo EXIT\"\"=$?",
        std::env::temp_dir().display(),
        data.display()
    ));
    let screen = tmux.wait_for(
        "the lesson list and lesson 01's source",
        Duration::from_secs(30),
        |s| {
            s.contains("Lessons")
                && s.contains("01 ")
                && s.contains("lessons/01_threading_basics.rs")
        },
    );
    assert!(
        screen.contains("spawn_join"),
        "lesson 01's demos are listed:\n{screen}"
    );
    let workbook = *children(shell)
        .first()
        .expect("the workbook runs under the shell");

    tmux.keys(&["r"]);
    let mut lesson_group = None;
    let screen = tmux.wait_for(
        "at least 4 thread lanes of lesson 01",
        Duration::from_secs(90),
        |s| {
            if lesson_group.is_none() {
                lesson_group = children(workbook).first().copied();
            }
            let mut names = thread_lanes(s);
            names.sort();
            names.dedup();
            names.len() >= 4
        },
    );
    eprintln!("lanes seen: {:?}", thread_lanes(&screen));

    tmux.keys(&["q"]);
    let screen = tmux.wait_for("the shell back after q", Duration::from_secs(20), |s| {
        s.lines().any(|l| l.starts_with("EXIT="))
    });
    assert!(screen.contains("EXIT=0"), "q exits with code 0:\n{screen}");
    assert!(
        !screen.contains("Lessons"),
        "the alternate screen is gone:\n{screen}"
    );
    // Cooked mode again: the line discipline echoes and edits lines.
    // The quotes keep the typed line from matching what is waited for.
    tmux.type_line("stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo STTY_\"\"DONE");
    let screen = tmux.wait_for("stty's answer", Duration::from_secs(10), |s| {
        s.lines().any(|l| l.trim_end().ends_with("STTY_DONE"))
    });
    assert!(
        screen
            .lines()
            .any(|l| l.trim_end() == "icanon echo STTY_DONE"),
        "the terminal left raw mode:\n{screen}"
    );

    // Nothing of the run survives: the lesson's whole process group is gone.
    let group = lesson_group.expect("the lesson ran as a child of the workbook");
    {
        let started = Instant::now();
        while !group_members(group).is_empty() && started.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(
            group_members(group),
            Vec::<String>::new(),
            "lesson processes left after quitting"
        );
    }
    assert!(children(shell).is_empty(), "the workbook itself has exited");
    let runs: Vec<PathBuf> = std::fs::read_dir(data.join("workbook/runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(runs.len(), 1, "the run was recorded");
    let _ = std::fs::remove_dir_all(&data);
}
