//! A run from the command line is saved like a run in the terminal app:
//! `workbook run 04 --demo deadlock` leaves a run in the store that the
//! past-runs list shows and opens, with the demo's lanes, spans and mark.
mod support;
use std::collections::BTreeSet;
use std::time::Duration;
use support::{run_with_data, workbook};

#[test]
fn a_cli_run_is_saved_and_the_past_runs_list_opens_it() {
    let data = tempfile::tempdir().unwrap();
    let output = run_with_data(
        workbook(),
        &[
            "run",
            "04",
            "--demo",
            "deadlock",
            "--no-build",
            "--width",
            "80",
        ],
        Duration::from_secs(120),
        data.path(),
    );
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // What the past-runs list reads (`Browser::open` lists the same folder
    // with the same function) ...
    let runs_dir = data.path().join("workbook/runs");
    let runs = workbook::run::store::list(&runs_dir);
    assert_eq!(runs.len(), 1, "{runs:?}");
    let (dir, meta) = &runs[0];
    assert_eq!(meta.lesson, "04_synchronization");
    assert_eq!(meta.demo.as_deref(), Some("deadlock"));
    assert_eq!(meta.outcome.as_deref(), Some("exited normally (code 0)"));
    assert!(meta.spans > 0, "{meta:?}");
    // ... and what opening one does (`Session::replay` is this, plus the
    // screen's output pane).
    let mut stdout = Vec::new();
    let (model, _) = workbook::run::replay(
        dir,
        |_, said| {
            if let workbook::run::Said::Stdout(line) = said {
                stdout.push(line);
            }
        },
        |_, _| true,
    )
    .unwrap();
    let timeline = &model.timeline;
    assert_eq!(timeline.span_count(), meta.spans);
    let lanes: BTreeSet<&str> = timeline.lanes().iter().map(|l| l.name.as_str()).collect();
    for lane in ["thread-a", "thread-b", "watchdog"] {
        assert!(lanes.contains(lane), "no lane {lane} in {lanes:?}");
    }
    let mut spans = BTreeSet::new();
    let mut marks = BTreeSet::new();
    for lane in timeline.lanes() {
        spans.extend(
            timeline
                .spans_in(lane.id, 0, u64::MAX)
                .map(|s| timeline.def(s).name.clone()),
        );
        marks.extend(
            timeline
                .marks_in(lane.id, 0, u64::MAX)
                .map(|m| m.name.clone()),
        );
    }
    assert!(spans.contains("transfers"), "{spans:?}");
    assert!(marks.contains("deadlock detected"), "{marks:?}");
    assert!(
        stdout.iter().any(|l| l.contains("deadlock detected")),
        "{stdout:?}"
    );
}
