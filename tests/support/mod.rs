//! Shared by the integration tests: run the real binaries with a deadline,
//! and read the Perfetto JSON that `workbook trace` writes.
#![allow(dead_code)]
pub mod figures;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, ExitStatus, Output, Stdio};
use std::time::Duration;

/// Runs `exe args` and returns its output; panics with a clear message if it
/// runs past `limit` (after killing its whole tree), so a hang is a failure,
/// not a stall. The workbook's data folder (where it records runs) is a
/// temporary one, gone after the call: tests never touch the learner's.
pub fn run_with_timeout(exe: &str, args: &[&str], limit: Duration) -> Output {
    let data = tempfile::tempdir().unwrap();
    run_with_data(exe, args, limit, data.path())
}

/// [`run_with_timeout`] with `data` as the workbook's data folder
/// (`XDG_DATA_HOME`), kept for the caller to look into.
pub fn run_with_data(exe: &str, args: &[&str], limit: Duration, data: &Path) -> Output {
    use std::os::unix::process::ExitStatusExt;
    let out = supervisor::output(
        Command::new(exe)
            .args(args)
            .stdin(Stdio::null())
            .env_remove("WORKBOOK_TRACE")
            .env("XDG_DATA_HOME", data),
        Some(limit),
    )
    .unwrap_or_else(|e| panic!("cannot start {exe}: {e}"));
    let status = match out.ended.outcome {
        supervisor::Outcome::Exited(code) => ExitStatus::from_raw((code & 0xff) << 8),
        supervisor::Outcome::Signalled(signal) => ExitStatus::from_raw(signal),
        outcome => panic!(
            "`{exe} {}` did not finish within {limit:?}; killed it ({outcome})",
            args.join(" ")
        ),
    };
    Output {
        status,
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

/// Whether `python3` runs here. Tests that compare with Python require its
/// figures when it does (a failed script is a failure, not a skip); only
/// without python3 may they skip, and they say so on stderr.
pub fn python3_installed() -> bool {
    Command::new("python3")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

pub fn workbook() -> &'static str {
    env!("CARGO_BIN_EXE_workbook")
}

/// A lesson binary. The lessons are a package of their own (lessons/), so
/// Cargo gives these tests no `CARGO_BIN_EXE_` for them: they are built into
/// the same folder as `workbook`. The root `cargo test` builds them (the
/// lessons package has tests of its own, so Cargo builds its binaries);
/// `cargo test -p workbook` alone does not, hence the message.
pub fn lesson(bin: &str) -> &'static str {
    let dir = std::path::Path::new(workbook())
        .parent()
        .expect("workbook sits in a folder");
    let exe = dir.join(bin);
    assert!(
        exe.is_file(),
        "{} is not built: run `cargo build -p lessons --bins` (the root `cargo test` builds it)",
        exe.display()
    );
    Box::leak(exe.to_string_lossy().into_owned().into_boxed_str())
}

/// `workbook trace <lesson> [--demo demo] --no-build -o tmp.json`, parsed.
pub fn trace(lesson: &str, demo: Option<&str>, limit: Duration) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir
        .path()
        .join(format!("{lesson}-{}.json", demo.unwrap_or("all")));
    let file_arg = file.to_str().unwrap().to_string();
    let mut args = vec!["trace", lesson, "--no-build", "-o", &file_arg];
    if let Some(demo) = demo {
        args.extend(["--demo", demo]);
    }
    let output = run_with_timeout(workbook(), &args, limit);
    assert!(
        output.status.success(),
        "workbook {} failed: {}\n{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    serde_json::from_str(&text).expect("trace is valid JSON")
}

pub fn events(trace: &Value) -> &Vec<Value> {
    trace["traceEvents"].as_array().expect("traceEvents array")
}

/// Names of the processes in a trace (from `process_name` metadata).
pub fn process_names(trace: &Value) -> Vec<String> {
    metadata_names(trace, "process_name")
}

/// Names of the thread tracks (real threads and task lanes).
pub fn thread_names(trace: &Value) -> Vec<String> {
    metadata_names(trace, "thread_name")
}

fn metadata_names(trace: &Value, kind: &str) -> Vec<String> {
    events(trace)
        .iter()
        .filter(|e| e["ph"] == "M" && e["name"] == kind)
        .map(|e| e["args"]["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// For each task, the distinct (pid, tid) worker threads its polls ran on
/// (the task's own track is not counted).
pub fn threads_per_task(trace: &Value) -> BTreeMap<String, BTreeSet<(u64, u64)>> {
    let mut map: BTreeMap<String, BTreeSet<(u64, u64)>> = BTreeMap::new();
    for e in events(trace) {
        // Task tracks have tids from TASK_TID_BASE up; only real threads count.
        let on_thread = e["tid"]
            .as_u64()
            .is_some_and(|tid| tid < workbook::views::perfetto::TASK_TID_BASE);
        if e["ph"] == "X" && e["cat"] == "poll" && on_thread {
            if let Some(task) = e["args"]["task"].as_str() {
                map.entry(task.to_string()).or_default().insert((
                    e["pid"].as_u64().unwrap_or(0),
                    e["tid"].as_u64().unwrap_or(0),
                ));
            }
        }
    }
    map
}

/// Waiting slices: (pid, tid, start µs, end µs, what it waits on).
pub fn waiting_slices(trace: &Value) -> Vec<(u64, u64, f64, f64, String)> {
    events(trace)
        .iter()
        .filter(|e| e["ph"] == "X" && e["cat"] == "waiting")
        .map(|e| {
            let ts = e["ts"].as_f64().unwrap_or(0.0);
            (
                e["pid"].as_u64().unwrap_or(0),
                e["tid"].as_u64().unwrap_or(0),
                ts,
                ts + e["dur"].as_f64().unwrap_or(0.0),
                e["args"]["waiting_on"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

/// Runs one demo of a lesson binary; it must exit 0 within `limit` and print
/// its header. Returns its standard output.
pub fn run_demo(exe: &str, name: &str, limit: Duration) -> String {
    let output = run_with_timeout(exe, &["--demo", name], limit);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{exe} --demo {name} failed: {}\nstdout:\n{stdout}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains(&format!("── {name} ·")),
        "demo {name} prints its header:\n{stdout}"
    );
    stdout
}

/// What `exe --list` prints: the lesson's demo names in run order.
pub fn listed_demos(exe: &str) -> Vec<String> {
    let output = run_with_timeout(exe, &["--list"], Duration::from_secs(30));
    assert!(
        output.status.success(),
        "{exe} --list failed: {}",
        output.status
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}
