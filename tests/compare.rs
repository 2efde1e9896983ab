//! `workbook compare 01 cpu_bound`: the Rust demo and its Python twin, run
//! for real. With python3 installed it must exit 0 and end with a verdict
//! giving both sides' cores; a twin that fails fails this test (it is not
//! skipped). Without python3 the command must say it skipped.
mod support;

use std::time::Duration;

/// Not a speed limit: only there so a hang fails instead of stalling. Both
/// demos take a few seconds on a quiet machine; a loaded one is slower.
const LIMIT: Duration = Duration::from_secs(900);

fn python_installed() -> bool {
    std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The cores figure after `side: ` in the verdict line.
fn cores(verdict: &str, side: &str) -> f64 {
    let from = verdict
        .find(&format!("{side}: "))
        .unwrap_or_else(|| panic!("no `{side}:` in {verdict}"));
    let rest = &verdict[from..];
    let used = rest.find(" used ").expect("`used` in the verdict") + " used ".len();
    rest[used..]
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no cores figure for {side} in {verdict}"))
}

#[test]
fn compare_cpu_bound_gives_a_verdict_from_both_sides() {
    let output = support::run_with_timeout(
        support::workbook(),
        &["compare", "01", "cpu_bound", "--no-build"],
        LIMIT,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !python_installed() {
        assert!(output.status.success(), "{stdout}\n{stderr}");
        assert!(stdout.contains("skipped"), "{stdout}");
        return;
    }
    assert!(
        output.status.success(),
        "compare failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    let verdict = stdout
        .lines()
        .find(|l| l.starts_with("verdict"))
        .unwrap_or_else(|| panic!("no verdict line:\n{stdout}"));
    let (python, rust) = (cores(verdict, "Python"), cores(verdict, "Rust"));
    eprintln!("{verdict}  (load average {})", load_average());
    // The GIL lets one thread run Python code at a time, however loaded the
    // machine is; how far Rust's threads spread depends on the load, so it
    // is only required to have used a core at all (the figures are printed).
    assert!(
        python <= 1.2,
        "Python's threads used {python} cores: {verdict}"
    );
    assert!(rust > 0.0, "{verdict}");
    assert!(stdout.contains("── Python ·") && stdout.contains("── Rust ·"));
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The compare the TUI's `c` key starts: one run whose events hold both
/// sides, the twin's process lane above the demo's on one timeline, and the
/// verdict before `Exited`.
#[test]
fn the_live_compare_is_one_run_with_both_sides_on_one_timeline() {
    use workbook::runner::RunEvent;
    let lesson = workbook::catalog::find("01").expect("lesson 01");
    let run = workbook::compare::live::start(lesson, "io_bound", false);
    let mut timeline = workbook::timeline::Timeline::new();
    let mut lines = Vec::new();
    let mut starts = 0;
    let outcome = loop {
        let event = run
            .events()
            .recv_timeout(LIMIT)
            .expect("the compare ends, with Exited last");
        match event {
            RunEvent::Trace { conn, records } => timeline.ingest_all(conn, records),
            RunEvent::Stdout(line) => lines.push(line),
            RunEvent::Started { .. } => starts += 1,
            RunEvent::Exited(outcome) => break outcome,
            _ => {}
        }
    };
    let text = lines.join("\n");
    if !python_installed() {
        assert!(text.contains("skipped"), "{text}");
        return;
    }
    assert!(outcome.success(), "{outcome}\n{text}");
    assert_eq!(starts, 1, "one run on screen starts once:\n{text}");
    let python = text.find("── Python ·").expect("the twin ended");
    let rust = text.find("── Rust ·").expect("the demo ended");
    let verdict = text.find("verdict (kernel's figures)").expect("a verdict");
    assert!(python < rust && rust < verdict, "{text}");
    let roots: Vec<String> = timeline
        .ordered_lanes()
        .iter()
        .filter(|l| l.kind == workbook::timeline::LaneKind::Process && l.parent.is_none())
        .map(|l| l.name.clone())
        .collect();
    assert!(
        roots.len() >= 2 && roots[0].contains("python") && roots[1].contains("01_threading"),
        "the twin's process above the demo's: {roots:?}"
    );
}
