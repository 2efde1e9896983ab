//! The `workbook` binary as a learner meets it: list, run, trace, bad names.
mod support;
use std::time::Duration;
use support::{run_with_timeout, workbook};

const LIMIT: Duration = Duration::from_secs(60);

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn list_shows_every_lesson_with_its_demos() {
    let output = run_with_timeout(workbook(), &["list"], LIMIT);
    assert!(output.status.success());
    let text = stdout(&output);
    for lesson in workbook::catalog::lessons() {
        assert!(text.contains(lesson.bin), "list lacks {}", lesson.bin);
        for demo in &lesson.demos {
            assert!(
                text.contains(&format!("--demo {}", demo.name)),
                "list lacks {}",
                demo.name
            );
        }
    }
}

#[test]
fn run_streams_output_then_draws_the_timeline() {
    let output = run_with_timeout(
        workbook(),
        &[
            "run",
            "01",
            "--demo",
            "named_threads",
            "--no-build",
            "--width",
            "100",
        ],
        LIMIT,
    );
    let text = stdout(&output);
    assert!(
        output.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let timeline = text
        .split("── timeline")
        .nth(1)
        .expect("a timeline after the output");
    assert!(timeline.contains("exited normally"));
    assert!(timeline.contains("main"), "{timeline}");
    assert!(
        timeline.lines().filter(|l| l.contains('│')).count() >= 4,
        "{timeline}"
    );
    assert!(
        timeline.contains('░'),
        "the joins show as waiting:\n{timeline}"
    );
    assert!(
        !timeline.contains('\x1b'),
        "no colour when not on a terminal"
    );
}

#[test]
fn trace_writes_perfetto_json_with_a_track_per_thread() {
    let trace = support::trace("threading", Some("named_threads"), LIMIT);
    let threads = support::thread_names(&trace);
    assert!(threads.len() >= 4, "thread tracks: {threads:?}");
    assert_eq!(support::process_names(&trace).len(), 1);
    let slices = support::events(&trace)
        .iter()
        .filter(|e| e["ph"] == "X")
        .count();
    assert!(slices >= 4, "{slices} slices");
}

#[test]
fn an_unknown_lesson_exits_2_and_lists_the_lessons() {
    for args in [&["run", "nope"][..], &["trace", "99", "-o", "/dev/null"]] {
        let output = run_with_timeout(workbook(), args, LIMIT);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(
            err.contains("01_threading_basics") && err.contains("06_practical_examples"),
            "{err}"
        );
    }
}

#[test]
fn an_unknown_demo_is_refused_with_the_demo_names() {
    let output = run_with_timeout(
        workbook(),
        &["run", "01", "--demo", "nope", "--no-build"],
        LIMIT,
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("named_threads"));
}

#[test]
fn without_a_terminal_the_app_says_what_to_run_instead() {
    let output = run_with_timeout(workbook(), &[], LIMIT);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("workbook") && err.contains("list"), "{err}");
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = std::process::Command::new(workbook())
        .arg("list")
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Issue 13: what the kernel saw, beside the spans, with no instrumentation.
#[test]
fn run_draws_the_kernels_view_of_each_thread_and_the_cores_used() {
    let output = run_with_timeout(
        workbook(),
        &[
            "run",
            "01",
            "--demo",
            "too_many_threads",
            "--no-build",
            "--width",
            "100",
        ],
        LIMIT,
    );
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    let timeline = text.split("── timeline").nth(1).expect("a timeline");
    if !schedstat_here() {
        assert!(timeline.contains("kernel: not sampled"), "{timeline}");
        return;
    }
    assert!(timeline.contains("⤷ kernel"), "a kernel row:\n{timeline}");
    assert!(
        timeline.contains("cores used: "),
        "a cores row:\n{timeline}"
    );
    assert!(timeline.contains("╳ queued for a core"), "{timeline}");
    let kernel_row = timeline.lines().find(|l| l.contains("⤷ kernel")).unwrap();
    assert!(
        kernel_row.contains(['━', '╳', '╌']),
        "the row has readings:\n{timeline}"
    );
}

/// A thread that lives a few milliseconds gets what the kernel saw of it,
/// even when it starts and ends between two of the sampler's rounds: each
/// of `spawn_join`'s three workers (about 20 ms each, unnamed) has a kernel
/// row with readings, from the totals its recorder reads as it ends.
#[test]
fn run_draws_a_kernel_row_for_each_short_lived_worker() {
    let output = run_with_timeout(
        workbook(),
        &[
            "run",
            "01",
            "--demo",
            "spawn_join",
            "--no-build",
            "--width",
            "100",
        ],
        LIMIT,
    );
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    let timeline = text.split("── timeline").nth(1).expect("a timeline");
    if !schedstat_here() {
        return;
    }
    let lines: Vec<&str> = timeline.lines().collect();
    let workers: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim_start().starts_with("ThreadId("))
        .collect();
    assert_eq!(workers.len(), 3, "three worker lanes:\n{timeline}");
    for i in workers {
        let kernel = lines.get(i + 1).copied().unwrap_or_default();
        let cells = kernel.split('│').nth(1).unwrap_or_default();
        assert!(
            kernel.contains("⤷ kernel") && cells.contains(['━', '╳', '╌']),
            "{} has a kernel row with readings:\n{timeline}",
            lines[i].trim()
        );
    }
}

#[test]
fn trace_holds_kernel_counter_tracks() {
    let trace = support::trace("threading", Some("named_threads"), LIMIT);
    let counters: Vec<String> = support::events(&trace)
        .iter()
        .filter(|e| e["ph"] == "C")
        .filter_map(|e| e["name"].as_str().map(str::to_string))
        .collect();
    if !schedstat_here() {
        return;
    }
    assert!(counters.iter().any(|n| n == "cores used"), "{counters:?}");
    assert!(
        counters.iter().any(|n| n.ends_with(" · kernel")),
        "{counters:?}"
    );
}

/// Whether this machine lets the sampler read threads' scheduler figures.
fn schedstat_here() -> bool {
    std::fs::read_to_string("/proc/thread-self/schedstat").is_ok()
}

#[test]
fn a_full_stdout_is_an_error_not_a_panic() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = std::process::Command::new(workbook())
        .arg("list")
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot write to standard output"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_huge_number_for_an_option_is_refused_not_a_panic() {
    let output = run_with_timeout(
        workbook(),
        &["schedule", "--break-minutes", "4294967295"],
        LIMIT,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is not in 0..=1440"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn trace_fails_before_the_lesson_runs_when_its_file_cannot_be_made() {
    let output = run_with_timeout(
        workbook(),
        &["trace", "01", "--no-build", "-o", "/missing/dir/x.json"],
        LIMIT,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("cannot write /missing/dir/x.json"),
        "{stderr}"
    );
    assert!(
        stdout(&output).is_empty(),
        "the lesson ran: {}",
        stdout(&output)
    );
}

#[test]
fn trace_reports_a_failed_write() {
    let demo = &workbook::catalog::lessons()[0].demos[0].name;
    let output = run_with_timeout(
        workbook(),
        &[
            "trace",
            "01",
            "--no-build",
            "--demo",
            demo,
            "-o",
            "/dev/full",
        ],
        LIMIT,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("cannot write /dev/full"), "{stderr}");
}

/// The pids of the running processes whose parent is `parent`.
fn children_of(parent: u32) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                let rest = &stat[stat.rfind(')').unwrap_or(0) + 2..];
                let mut fields = rest.split_whitespace();
                let state = fields.next();
                state != Some("Z") && fields.next() == Some(parent.to_string().as_str())
            })
        })
        .collect()
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| !stat[stat.rfind(')').unwrap_or(0)..].starts_with(") Z"))
}

#[test]
fn ctrl_c_on_run_ends_the_lesson_and_exits_130() {
    use std::io::BufRead;
    let data = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(workbook())
        .args(["run", "06", "--no-build"])
        .env("XDG_DATA_HOME", data.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    // The lesson has printed: it runs.
    rx.recv_timeout(LIMIT).expect("lesson 06 printed nothing");
    let lessons = children_of(child.id());
    assert!(!lessons.is_empty(), "no lesson process under workbook");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let (done_tx, done) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait());
    });
    let status = done
        .recv_timeout(LIMIT)
        .expect("workbook did not exit after SIGINT")
        .unwrap();
    assert_eq!(status.code(), Some(130), "{status}");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while lessons.iter().any(|&pid| alive(pid)) && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let left: Vec<_> = lessons.into_iter().filter(|&pid| alive(pid)).collect();
    assert!(left.is_empty(), "lesson processes left running: {left:?}");
}
