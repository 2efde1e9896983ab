//! The terminal app driven in a real terminal: tmux at 120x40, as a new
//! user would. Open it, see the lesson list and source, run lesson 01, see
//! its thread lanes, quit, and find the shell back to normal with no lesson
//! process left. The learner's path too: the welcome on a first start and
//! not after a restart, a run demo marked, the same demo selected on
//! reopening. Without tmux these tests fail, unless
//! `WORKBOOK_SKIP_TMUX_TESTS=1` asks to skip them (and they say so loudly).
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

/// The living members of a process group: a zombie (ended, not yet
/// reaped) is not counted.
fn group_members(group: u32) -> Vec<String> {
    let out = Command::new("pgrep")
        .args(["-l", "-g", &group.to_string()])
        .output()
        .expect("pgrep");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|line| {
            let pid = line.split_whitespace().next().and_then(|p| p.parse().ok());
            pid.is_some_and(alive)
        })
        .map(str::to_string)
        .collect()
}

/// A process that exists and has not ended: a zombie is not alive.
fn alive(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // The state follows the command name, which is in parentheses.
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.trim_start().chars().next());
    state.is_some_and(|s| s != 'Z' && s != 'X')
}

/// Whether the real-terminal tests can run: tmux is there, or the opt-out
/// variable says to skip them (loudly). Without either, the test fails.
fn tmux_or_skip() -> bool {
    if Command::new("tmux").arg("-V").output().is_ok() {
        return true;
    }
    if std::env::var_os("WORKBOOK_SKIP_TMUX_TESTS").is_some_and(|v| v == "1") {
        eprintln!(
            "\n*** SKIPPED: tmux is not installed and WORKBOOK_SKIP_TMUX_TESTS=1: \
             the real-terminal test did NOT run ***\n"
        );
        return false;
    }
    panic!(
        "tmux is not installed, so the real-terminal tests cannot run. Install it \
         (`apt-get install tmux`), or set WORKBOOK_SKIP_TMUX_TESTS=1 to skip them knowingly."
    );
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

/// A shell in tmux at 120x40 with the workbook started in it, showing its
/// lesson list. `None` (with the reason printed) when tmux is missing.
struct Opened {
    tmux: Tmux,
    shell: u32,
    workbook: u32,
    data: PathBuf,
}

fn open(tag: &str) -> Option<Opened> {
    let opened = open_first_start(tag)?;
    // A new user's first start shows the welcome; a key puts it away.
    opened.tmux.keys(&["Escape"]);
    opened
        .tmux
        .wait_for("the welcome to close", Duration::from_secs(10), |s| {
            !s.contains("Welcome to the workbook")
        });
    // The welcome selects lesson 01's first demo; these tests run the
    // whole lesson, the row above.
    opened.tmux.keys(&["k"]);
    Some(opened)
}

/// Like [`open`], leaving the welcome on screen.
fn open_first_start(tag: &str) -> Option<Opened> {
    if !tmux_or_skip() {
        return None;
    }
    let data = std::env::temp_dir().join(format!("workbook-tui-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).unwrap();
    let tmux = Tmux {
        socket: format!("workbook-{tag}-{}", std::process::id()),
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
    start_workbook(&tmux, &data);
    let workbook = *children(shell)
        .first()
        .expect("the workbook runs under the shell");
    Some(Opened {
        tmux,
        shell,
        workbook,
        data,
    })
}

/// Types the command that starts the workbook with `data` as its data
/// folder, and waits for its lesson list.
fn start_workbook(tmux: &Tmux, data: &std::path::Path) -> String {
    let exe = env!("CARGO_BIN_EXE_workbook");
    // The quotes keep the typed line from matching what is waited for.
    tmux.type_line(&format!(
        "clear; cd {} && XDG_DATA_HOME={} {exe} --no-build; echo EXIT\"\"=$?",
        std::env::temp_dir().display(),
        data.display()
    ));
    let screen = tmux.wait_for(
        "the lesson list and lesson 01's source or notes",
        Duration::from_secs(30),
        |s| {
            s.contains("Lessons")
                && s.contains("01 Threading basics")
                && (s.contains("lessons/src/bin/01_threading_basics.rs")
                    || s.contains("notes · 01 Threading basics"))
        },
    );
    assert!(
        screen.contains("spawn_join"),
        "lesson 01's demos are listed:\n{screen}"
    );
    screen
}

impl Opened {
    /// Runs lesson 01 and waits for `lanes` thread lanes; returns the
    /// lesson's process group.
    fn run_lesson_01(&self, lanes: usize) -> u32 {
        self.tmux.keys(&["r"]);
        let mut group = None;
        let screen = self.tmux.wait_for(
            &format!("{lanes} thread lanes of lesson 01"),
            Duration::from_secs(90),
            |s| {
                if group.is_none() {
                    group = children(self.workbook).first().copied();
                }
                let mut names = thread_lanes(s);
                names.sort();
                names.dedup();
                names.len() >= lanes
            },
        );
        eprintln!("lanes seen: {:?}", thread_lanes(&screen));
        group.expect("the lesson ran as a child of the workbook")
    }

    /// The shell is back: `EXIT=code` printed, the alternate screen gone,
    /// the terminal in cooked mode, and nothing left of the lesson's group.
    fn assert_shell_back(&self, code: &str, group: u32) {
        let screen = self
            .tmux
            .wait_for("the shell back", Duration::from_secs(20), |s| {
                s.lines().any(|l| l.starts_with("EXIT="))
            });
        assert!(
            screen.contains(&format!("EXIT={code}")),
            "the workbook exits with {code}:\n{screen}"
        );
        assert!(
            !screen.contains("Lessons"),
            "the alternate screen is gone:\n{screen}"
        );
        self.tmux.type_line(
            "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo STTY_\"\"DONE",
        );
        let screen = self
            .tmux
            .wait_for("stty's answer", Duration::from_secs(10), |s| {
                s.lines().any(|l| l.trim_end().ends_with("STTY_DONE"))
            });
        assert!(
            screen
                .lines()
                .any(|l| l.trim_end() == "icanon echo STTY_DONE"),
            "the terminal left raw mode:\n{screen}"
        );
        let started = Instant::now();
        while !group_members(group).is_empty() && started.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(
            group_members(group),
            Vec::<String>::new(),
            "lesson processes left after the workbook ended"
        );
        assert!(
            children(self.shell).is_empty(),
            "the workbook itself has exited"
        );
    }
}

impl Drop for Opened {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

#[test]
fn a_new_user_opens_runs_lesson_01_and_quits() {
    let Some(opened) = open("quit") else { return };
    let group = opened.run_lesson_01(4);
    opened.tmux.keys(&["q"]);
    opened.assert_shell_back("0", group);
    let runs = std::fs::read_dir(opened.data.join("workbook/runs"))
        .unwrap()
        .count();
    assert_eq!(runs, 1, "the run was recorded");
}

#[test]
fn sigterm_restores_the_terminal_and_stops_the_run() {
    let Some(opened) = open("term") else { return };
    let group = opened.run_lesson_01(1);
    let killed = Command::new("kill")
        .args(["-TERM", &opened.workbook.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    opened.assert_shell_back("0", group);
}

/// Ctrl-C from outside (`kill -INT`; in raw mode the key itself does not
/// raise it) while lesson 06 runs its processes: the run is stopped, the
/// terminal is back in cooked mode (`icanon echo`), no lesson process is left.
#[test]
fn sigint_while_lesson_06_runs_restores_the_terminal_and_stops_it() {
    let Some(opened) = open("int") else { return };
    // Down the list to lesson 06's row: its source (or notes) comes up.
    opened
        .tmux
        .wait_for("lesson 06 selected", Duration::from_secs(60), |s| {
            let there = s.contains("06_practical_examples.rs") || s.contains("notes · 06");
            if !there {
                opened.tmux.keys(&["j"]);
            }
            there
        });
    opened.tmux.keys(&["r"]);
    let mut group = None;
    opened
        .tmux
        .wait_for("lesson 06 running", Duration::from_secs(90), |s| {
            if group.is_none() {
                group = children(opened.workbook).first().copied();
            }
            group.is_some() && s.contains("running")
        });
    let group = group.expect("lesson 06 ran as a child of the workbook");
    assert!(
        !group_members(group).is_empty(),
        "lesson 06 is running when the signal is sent"
    );
    let killed = Command::new("kill")
        .args(["-INT", &opened.workbook.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    opened.assert_shell_back("0", group);
}

#[test]
fn closing_the_terminal_stops_the_run() {
    let Some(opened) = open("hup") else { return };
    let group = opened.run_lesson_01(1);
    // The terminal goes away under the app: SIGHUP, and reads fail.
    let _ = opened.tmux.cmd(&["kill-server"]);
    let started = Instant::now();
    while (alive(opened.workbook) || !group_members(group).is_empty())
        && started.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !alive(opened.workbook),
        "the workbook outlived its terminal"
    );
    assert_eq!(
        group_members(group),
        Vec::<String>::new(),
        "lesson processes outlived the terminal"
    );
}

/// Quits with q and waits for the shell's `EXIT=` line.
fn quit(opened: &Opened) {
    opened.tmux.keys(&["q"]);
    opened
        .tmux
        .wait_for("the workbook to quit", Duration::from_secs(20), |s| {
            s.lines().any(|l| l.starts_with("EXIT="))
        });
}

#[test]
fn the_first_start_welcomes_and_a_restart_does_not() {
    let Some(opened) = open_first_start("welcome") else {
        return;
    };
    let screen = opened.tmux.screen();
    assert!(
        screen.contains("Welcome to the workbook") && screen.contains("The five keys"),
        "a first start shows the welcome:\n{screen}"
    );
    opened.tmux.keys(&["x"]);
    let screen = opened
        .tmux
        .wait_for("the welcome to close", Duration::from_secs(10), |s| {
            !s.contains("Welcome to the workbook")
        });
    assert!(
        screen.contains("▸ spawn_join"),
        "the notes of lesson 01's first demo are open:\n{screen}"
    );
    quit(&opened);
    let screen = start_workbook(&opened.tmux, &opened.data);
    assert!(
        !screen.contains("Welcome to the workbook"),
        "no welcome after a restart:\n{screen}"
    );
    quit(&opened);
}

#[test]
fn a_run_demo_is_marked_and_reopening_selects_it() {
    let Some(opened) = open("resume") else { return };
    // From lesson 01's row: down to named_threads (no question), run it.
    opened.tmux.keys(&["j", "j"]);
    opened
        .tmux
        .wait_for("named_threads selected", Duration::from_secs(10), |s| {
            s.contains("›  ▷ named_threads")
        });
    opened.tmux.keys(&["r"]);
    let screen = opened
        .tmux
        .wait_for("the demo to end", Duration::from_secs(90), |s| {
            s.contains("exited normally")
        });
    assert!(
        screen.contains("›  ✓ named_threads"),
        "the demo is marked as run:\n{screen}"
    );
    quit(&opened);
    let screen = start_workbook(&opened.tmux, &opened.data);
    assert!(
        screen.contains("›  ✓ named_threads"),
        "reopening selects the same demo, still marked:\n{screen}"
    );
    quit(&opened);
}

#[test]
fn a_question_is_asked_before_the_run_and_answered_by_it() {
    let Some(opened) = open("question") else {
        return;
    };
    // From lesson 01's row down to shared_counter, which asks a question.
    opened.tmux.keys(&["j", "j", "j", "j", "j"]);
    opened
        .tmux
        .wait_for("shared_counter selected", Duration::from_secs(10), |s| {
            s.contains("›  ▷ shared_counter")
        });
    opened.tmux.keys(&["r"]);
    let screen = opened
        .tmux
        .wait_for("the question", Duration::from_secs(10), |s| {
            s.contains("Predict, then run shared_counter")
        });
    assert!(
        screen.contains("║ Four threads each add 1 to one Arc<Mutex<u64>>")
            && screen.contains("1) exactly 1,000,000"),
        "the question and its choices are on screen before the run:\n{screen}"
    );
    assert!(
        children(opened.workbook).is_empty(),
        "nothing runs while the question waits"
    );
    opened.tmux.keys(&["1"]);
    let screen = opened
        .tmux
        .wait_for("the measured answer", Duration::from_secs(90), |s| {
            s.contains("Predicted and measured")
        });
    assert!(
        screen
            .lines()
            .any(|l| l.contains("1) exactly 1,000,000  ← your prediction  ← measured: 1000000")),
        "the measured answer stands beside the pick:\n{screen}"
    );
    quit(&opened);
}

#[test]
fn c_compares_a_demo_with_its_python_twin_on_one_timeline() {
    let Some(opened) = open("compare") else {
        return;
    };
    // From lesson 01's row down to io_bound, which has a twin.
    opened.tmux.keys(&["j", "j", "j", "j", "j", "j", "j", "j"]);
    opened
        .tmux
        .wait_for("io_bound selected", Duration::from_secs(10), |s| {
            s.contains("›  ▷ io_bound")
        });
    opened.tmux.keys(&["c"]);
    let python_here = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let screen = opened
        .tmux
        .wait_for("the compare to end", Duration::from_secs(180), |s| {
            s.contains("■ compare 01_threading_basics")
        });
    if !python_here {
        assert!(screen.contains("skipped"), "{screen}");
        return quit(&opened);
    }
    assert!(
        screen.contains("compare 01_threading_basics --demo io_bound · exited normally")
            || screen.contains("compare 01_threading_basics --demo io_bound exited normally"),
        "both sides ended well:\n{screen}"
    );
    assert!(
        screen.contains("verdict (kernel's figures): Python:"),
        "{screen}"
    );
    // On the one timeline the twin's threads come first (at the top), the
    // demo's below them (G: the last lanes): its recorded `io-N` threads,
    // each with its kernel row under its spans.
    assert!(
        screen.lines().any(|l| l.starts_with("┃  python3 ")),
        "the twin's threads at the top of the timeline:\n{screen}"
    );
    opened.tmux.keys(&["G"]);
    opened
        .tmux
        .wait_for("the demo's lanes below", Duration::from_secs(10), |s| {
            s.lines().any(|l| l.starts_with("┃  io-"))
                && s.lines().any(|l| l.starts_with("┃   ⤷ kernel"))
        });
    quit(&opened);
}

/// A run from the command line is in the app's past runs, and opens there:
/// `workbook run 04 --demo deadlock`, then `o`, then Enter.
#[test]
fn a_cli_run_opens_from_the_past_runs_list() {
    let Some(opened) = open("pastrun") else {
        return;
    };
    quit(&opened);
    let output = Command::new(env!("CARGO_BIN_EXE_workbook"))
        .args(["run", "04", "--demo", "deadlock", "--no-build"])
        .env("XDG_DATA_HOME", &opened.data)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    start_workbook(&opened.tmux, &opened.data);
    opened.tmux.keys(&["o"]);
    opened
        .tmux
        .wait_for("the past runs", Duration::from_secs(10), |s| {
            s.contains("Past runs") && s.contains("04 deadlock") && s.contains("exited normally")
        });
    opened.tmux.keys(&["Enter"]);
    let screen = opened
        .tmux
        .wait_for("the run replayed", Duration::from_secs(30), |s| {
            s.contains("replay") && s.contains("thread-a") && s.contains("watchdog")
        });
    assert!(
        screen.contains("04_synchronization --demo deadlock"),
        "the timeline names the run:\n{screen}"
    );
    quit(&opened);
}

/// The instructor's freeze: on lesson 04's deadlock demo, z stops every
/// process of the run (state T) and the timeline marks it; z again
/// resumes, and the run ends by itself with the stretch still marked.
#[test]
fn z_freezes_the_deadlock_demo_and_z_again_resumes_it() {
    let Some(opened) = open("freeze") else {
        return;
    };
    let mut found = false;
    for _ in 0..120 {
        if opened.tmux.screen().contains("›  ▷ deadlock") {
            found = true;
            break;
        }
        opened.tmux.keys(&["j"]);
        std::thread::sleep(Duration::from_millis(30));
    }
    assert!(found, "lesson 04's deadlock demo is in the list");
    opened.tmux.keys(&["r"]);
    let mut lesson = None;
    opened
        .tmux
        .wait_for("the demo running", Duration::from_secs(90), |s| {
            lesson = lesson.or_else(|| children(opened.workbook).first().copied());
            lesson.is_some() && s.contains("thread-a")
        });
    let lesson = lesson.expect("the lesson runs under the workbook");
    opened.tmux.keys(&["z"]);
    let screen = opened
        .tmux
        .wait_for("the run frozen", Duration::from_secs(20), |s| {
            s.contains("frozen, z resumes") && s.contains("frozen ‖")
        });
    let state = std::fs::read_to_string(format!("/proc/{lesson}/stat"))
        .ok()
        .and_then(|s| s[s.rfind(')')? + 2..].chars().next());
    // A stopped process that already ended is not there to read.
    assert!(
        state.is_none_or(|s| s == 'T'),
        "the lesson is stopped ({state:?}):\n{screen}"
    );
    std::thread::sleep(Duration::from_millis(800));
    opened.tmux.keys(&["z"]);
    let screen = opened
        .tmux
        .wait_for("the run to end by itself", Duration::from_secs(90), |s| {
            s.contains("04_synchronization exited normally")
        });
    assert!(
        screen.contains("‖ frozen ‖"),
        "the frozen stretch stays marked:\n{screen}"
    );
    quit(&opened);
}
