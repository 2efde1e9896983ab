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
