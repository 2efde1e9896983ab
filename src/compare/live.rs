//! A compare as one run, for the TUI (`c` on a demo with a twin): the
//! Python twin, then the Rust demo, their events sent on one channel. Each
//! side's times count from its own start, so on one timeline both start at
//! the left edge and draw one above the other, the twin first. Before
//! `Exited` (the last event, as for any run) come the verdict's lines.
use super::verdict;
use crate::catalog::Lesson;
use crate::runner::{Outcome, Run, RunEvent, RunOptions, StopAsked};
use crate::timeline::Timeline;
use std::sync::mpsc::{RecvTimeoutError, SyncSender};
use std::time::Duration;

/// Starts comparing `demo` of `lesson` with its twin; `build` runs cargo
/// for the Rust side first.
pub fn start(lesson: &Lesson, demo: &str, build: bool) -> Run {
    let (tx, events) = std::sync::mpsc::sync_channel(crate::runner::EVENT_CAPACITY);
    let run = Run::watching(events);
    let stop = run.stop_asked();
    let (lesson, demo) = (lesson.clone(), demo.to_string());
    let spawned = std::thread::Builder::new()
        .name("compare".into())
        .spawn(move || compare(&lesson, &demo, build, &tx, &stop));
    if let Err(err) = spawned {
        // The channel's sender went with the closure: the run ends at once.
        return Run::watching({
            let (tx, events) = std::sync::mpsc::sync_channel(2);
            let _ = tx.send(RunEvent::Exited(Outcome::FailedToStart(format!(
                "cannot start the compare: {err}"
            ))));
            events
        });
    }
    run
}

fn compare(lesson: &Lesson, demo: &str, build: bool, tx: &SyncSender<RunEvent>, stop: &StopAsked) {
    let say = |line: String| tx.send(RunEvent::Stdout(line)).is_ok();
    let end = |outcome| {
        let _ = tx.send(RunEvent::Exited(outcome));
    };
    if !super::python_installed() {
        say(super::SKIPPED.to_string());
        return end(Outcome::Code(0));
    }
    let options = |build| RunOptions {
        demo: Some(demo.to_string()),
        timeout: Some(crate::runner::RUN_TIMEOUT),
        build,
        ..RunOptions::default()
    };
    let twin = super::twin_path(lesson);
    if !say(format!("── Python: {} --demo {demo} ──", twin.display())) {
        return;
    }
    let python = Run::start_program(twin, lesson.bin, options(false));
    let Some((python, python_outcome)) = forward(&python, tx, stop, true) else {
        return;
    };
    say(format!("── Python · {python_outcome} ──"));
    if stop.is_set() {
        return end(Outcome::Killed);
    }
    say(format!("── Rust: {} --demo {demo} ──", lesson.bin));
    let rust = match Run::start(lesson, options(build)) {
        Ok(run) => run,
        Err(err) => return end(Outcome::FailedToStart(format!("{err:#}"))),
    };
    let Some((rust, rust_outcome)) = forward(&rust, tx, stop, false) else {
        return;
    };
    say(format!("── Rust · {rust_outcome} ──"));
    match (verdict::workers(&python), verdict::workers(&rust)) {
        (Some(p), Some(r)) => {
            say(format!(
                "verdict (kernel's figures): Python: {p}; Rust: {r}"
            ));
            say(format!("({})", verdict::COUNTED));
        }
        _ => {
            say("verdict: no kernel figures (no worker threads sampled)".to_string());
        }
    }
    end(if python_outcome.success() {
        rust_outcome
    } else {
        python_outcome
    });
}

/// Sends one side's events on, all but its `Exited`, keeping a model of
/// that side for the verdict. `None` when nobody takes the events any more
/// (the run is then stopped, as dropping it does).
fn forward(
    run: &Run,
    tx: &SyncSender<RunEvent>,
    stop: &StopAsked,
    first: bool,
) -> Option<(Timeline, Outcome)> {
    let mut timeline = Timeline::new();
    let mut stopping = false;
    loop {
        if stop.is_set() && !stopping {
            run.stop();
            stopping = true;
        }
        let event = match run.events().recv_timeout(Duration::from_millis(50)) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return Some((timeline, Outcome::Killed)),
        };
        let event = match event {
            RunEvent::Exited(outcome) => return Some((timeline, outcome)),
            // One run on screen starts once; the second side's start is a
            // line of output.
            RunEvent::Started { pid } if !first => {
                RunEvent::Stdout(format!("▶ started (pid {pid})"))
            }
            RunEvent::Trace { conn, records } => {
                timeline.ingest_all(conn, records.iter().cloned());
                RunEvent::Trace { conn, records }
            }
            RunEvent::Disconnected { conn } => {
                timeline.disconnected(conn);
                RunEvent::Disconnected { conn }
            }
            other => other,
        };
        if tx.send(event).is_err() {
            run.stop();
            return None;
        }
    }
}
