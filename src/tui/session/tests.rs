//! A session over real processes (small shell fixtures) and over events.
use super::*;
use crate::timeline::fixtures::{hello, thread};
use crate::wire::Record;

#[test]
fn dropping_a_session_kills_the_lesson_and_its_children() {
    use std::os::unix::fs::PermissionsExt;
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let script = dir.join("fixture.sh");
    std::fs::write(&script, "#!/bin/sh\nsleep 30 &\necho child up\nwait\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let options = RunOptions {
        demo: None,
        timeout: Some(Duration::from_secs(60)),
        build: false,
        trace_limit: None,
    };
    let mut session = Session::new("fixture", None);
    session.run = Some(Run::start_program(script, "fixture", options));
    let deadline = Instant::now() + Duration::from_secs(20);
    let text = |s: &Session| {
        s.output
            .window(100, None)
            .map(|l| l.text.clone())
            .collect::<Vec<_>>()
            .join("\n")
    };
    while !text(&session).contains("child up") {
        assert!(
            Instant::now() < deadline,
            "the fixture did not start:\n{}",
            text(&session)
        );
        session.pump(Duration::from_millis(10));
        std::thread::sleep(Duration::from_millis(20));
    }
    let all = text(&session);
    let pid: i32 = all
        .split("(pid ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .and_then(|pid| pid.parse().ok())
        .unwrap_or_else(|| panic!("no pid in:\n{all}"));
    // What starting another run does to the old one.
    drop(session);
    // SIGKILL lands asynchronously, and orphans are reaped by init; wait
    // a little for every live (not zombie) member of the group to go.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !live_members(pid).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        live_members(pid),
        Vec::<String>::new(),
        "processes of the stopped run are alive"
    );
}

/// `pid state comm` of the processes in group `group` that are not zombies.
fn live_members(group: i32) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid pgrp ...
        let Some((head, rest)) = stat.rsplit_once(") ") else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(2) == Some(&group.to_string().as_str()) && fields[0] != "Z" {
            found.push(format!("{head}) {}", fields[0]));
        }
    }
    found
}

#[test]
fn bad_output_and_a_failing_exit_leave_the_session_working() {
    use std::os::unix::fs::PermissionsExt;
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let script = dir.join("bad.sh");
    let text = "#!/bin/sh\nprintf 'caf\\351 \\377\\n'\nhead -c 1048576 /dev/zero | tr '\\0' x\necho\necho oops >&2\nexit 3\n";
    std::fs::write(&script, text).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let options = RunOptions {
        demo: None,
        timeout: Some(Duration::from_secs(60)),
        build: false,
        trace_limit: None,
    };
    let mut session = Session::new("bad", None);
    session.run = Some(Run::start_program(script, "bad", options));
    let deadline = Instant::now() + Duration::from_secs(30);
    while session.is_live() {
        assert!(Instant::now() < deadline, "the fixture did not end");
        session.pump(Duration::from_millis(10));
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        session.phase,
        Phase::Ended {
            text: "exited with code 3".into(),
            ok: false
        }
    );
    let lines: Vec<(Kind, String)> = session
        .output
        .window(100, None)
        .map(|l| (l.kind, l.text.clone()))
        .collect();
    assert!(
        lines.iter().any(|(_, l)| l == "caf\u{fffd} \u{fffd}"),
        "{lines:?}"
    );
    let long = lines
        .iter()
        .find(|(_, l)| l.starts_with("xxxx"))
        .expect("the long line");
    assert!(
        long.1.len() < 2 * crate::tui::output::MAX_CHARS && long.1.contains("more bytes"),
        "{}",
        &long.1[long.1.len() - 80..]
    );
    assert!(lines.contains(&(Kind::Stderr, "oops".into())), "{lines:?}");
}

#[test]
fn a_quiet_run_with_waiting_lanes_gets_a_hint() {
    let mut t = Timeline::new();
    for record in [
        hello(3, 1, "l"),
        thread(0, "philosopher-1"),
        thread(1, "philosopher-2"),
        Record::Span {
            span: 1,
            parent: 0,
            name: "lock".into(),
            target: "t".into(),
            fields: vec![("waiting_on".into(), "fork 2".into())],
        },
        Record::Span {
            span: 2,
            parent: 0,
            name: "lock".into(),
            target: "t".into(),
            fields: vec![("waiting_on".into(), "fork 1".into())],
        },
        Record::Enter {
            span: 1,
            thread: 0,
            ts: 10,
        },
        Record::Enter {
            span: 2,
            thread: 1,
            ts: 12,
        },
    ] {
        t.ingest(1, record);
    }
    assert_eq!(hang_hint(&t, Duration::from_millis(500)), None);
    let hint = hang_hint(&t, QUIET_HINT).unwrap();
    assert_eq!(
        hint,
        [
            ("philosopher-1".into(), "fork 2".into()),
            ("philosopher-2".into(), "fork 1".into())
        ]
    );
}

#[test]
fn compile_errors_and_the_ending_are_shown() {
    let mut session = Session::new("01_threading_basics", None);
    session.apply(0, RunEvent::Build("Compiling workbook v0.1.0".into()));
    session.apply(
        1,
        RunEvent::BuildFailed("error[E0425]: cannot find value `x`\n --> lessons/01.rs:3:5".into()),
    );
    session.apply(2, RunEvent::Exited(Outcome::BuildFailed));
    let lines: Vec<String> = session
        .output
        .window(10, None)
        .map(|l| l.text.clone())
        .collect();
    assert_eq!(lines[1], "error[E0425]: cannot find value `x`");
    assert_eq!(session.build_failed_at, Some(1));
    assert_eq!(
        session.phase,
        Phase::Ended {
            text: "did not compile: the errors are in the output pane".into(),
            ok: false
        }
    );
}

#[test]
fn a_flood_of_output_is_taken_in_budgets_and_kept_bounded() {
    use std::os::unix::fs::PermissionsExt;
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let script = dir.join("flood.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nyes 'a line of output' | head -n 200000\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let options = RunOptions {
        demo: None,
        timeout: Some(Duration::from_secs(60)),
        build: false,
        trace_limit: None,
    };
    let mut session = Session::new("flood", None);
    session.run = Some(Run::start_program(script, "flood", options));
    let deadline = Instant::now() + Duration::from_secs(60);
    // The budget bounds the work, not the time (a busy machine can stall any
    // pump): past a spent budget a pump takes at most one more event,
    // however many wait. A zero budget is always spent.
    let mut most = 0;
    while session.is_live() {
        assert!(Instant::now() < deadline, "the flood did not end");
        most = most.max(session.pump_counted(Duration::ZERO));
    }
    assert_eq!(most, 1, "a pump with no budget takes one event");
    assert!(session.output.len() <= crate::tui::output::MAX_LINES);
    // 200,000 lines, a start note and an end note: what is not kept is counted.
    assert_eq!(
        session.output.len() as u64 + session.output.dropped,
        200_002
    );
}

/// A run's events ring the bell, and ring again after they were taken:
/// the loop sleeps on its inbox and still takes every event, without
/// polling the run.
#[test]
fn a_runs_events_ring_the_bell_until_taken() {
    let (tx, events) = std::sync::mpsc::sync_channel(16);
    let mut session = Session::new("fixture", None);
    session.run = Some(Run::watching(events));
    let (bell_tx, bells) = std::sync::mpsc::channel();
    session.ring(move || bell_tx.send(()).unwrap()).unwrap();
    let text = |s: &Session| -> Vec<String> {
        s.output.window(10, None).map(|l| l.text.clone()).collect()
    };
    // Take events only when the bell rings, as the loop does, until `line`
    // is shown. The wait only catches a hang.
    let take_until = |session: &mut Session, line: &str| {
        while !text(session).iter().any(|l| l == line) {
            bells
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("no ring for {line:?}: {:?}", text(session)));
            session.take_rung(Duration::from_secs(1));
        }
    };
    tx.send(RunEvent::Started { pid: 7 }).unwrap();
    tx.send(RunEvent::Stdout("one".into())).unwrap();
    take_until(&mut session, "one");
    assert_eq!(session.phase, Phase::Running);
    tx.send(RunEvent::Stdout("two".into())).unwrap();
    take_until(&mut session, "two");
    tx.send(RunEvent::Exited(Outcome::Code(0))).unwrap();
    while session.is_live() {
        bells
            .recv_timeout(Duration::from_secs(30))
            .expect("the end rings");
        session.take_rung(Duration::from_secs(1));
    }
}
