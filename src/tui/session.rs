//! One run on screen, live or replayed: its timeline model, its output, how
//! far it got, and its recording on disk.
use super::chart::ChartView;
use super::output::{Kind, Output};
use super::store::{self, Recorder};
use crate::catalog::Lesson;
use crate::runner::{Outcome, Run, RunEvent, RunOptions};
use crate::timeline::Timeline;
use std::path::PathBuf;
use std::sync::mpsc::TryRecvError;
use std::time::{Duration, Instant};

/// No new events for this long while lanes sit waiting: say it looks stuck.
pub const QUIET_HINT: Duration = Duration::from_secs(2);
/// A lesson stopped if it runs longer than this.
const RUN_TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Building,
    Running,
    /// How it ended, in words, and whether that was a success.
    Ended {
        text: String,
        ok: bool,
    },
}

pub struct Session {
    pub lesson: String,
    pub demo: Option<String>,
    run: Option<Run>,
    pub phase: Phase,
    pub timeline: Timeline,
    pub output: Output,
    pub view: ChartView,
    /// When the run was asked for; event times are counted from here.
    asked: Instant,
    /// Nanoseconds after `asked` when the lesson started.
    started_at: Option<u64>,
    /// The latest event time seen, ns after `asked`.
    pub now_ns: u64,
    /// When the last event that shows progress arrived (live runs).
    last_progress: Instant,
    /// Set on a tick when the run has gone quiet with lanes waiting.
    pub hang: Option<Vec<(String, String)>>,
    pub records: u64,
    recorder: Option<Recorder>,
    /// A recording played back: the chart's cursor scrubs through it.
    pub replay: Option<PathBuf>,
    pub note: Option<String>,
}

impl Session {
    fn new(lesson: &str, demo: Option<String>) -> Session {
        Session {
            lesson: lesson.to_string(),
            demo,
            run: None,
            phase: Phase::Building,
            timeline: Timeline::new(),
            output: Output::default(),
            view: ChartView::default(),
            asked: Instant::now(),
            started_at: None,
            now_ns: 0,
            last_progress: Instant::now(),
            hang: None,
            records: 0,
            recorder: None,
            replay: None,
            note: None,
        }
    }

    /// Builds (cargo, on the runner's thread) and starts `lesson`.
    pub fn start(lesson: &Lesson, demo: Option<String>) -> Session {
        let mut session = Session::new(lesson.bin, demo.clone());
        match store::Recorder::create(lesson.bin, demo.as_deref()) {
            Ok(recorder) => session.recorder = Some(recorder),
            Err(err) => session.note = Some(format!("this run is not recorded: {err:#}")),
        }
        // Tests that run inside `cargo test` set this: the binaries are
        // built, and a nested cargo would only wait on the build lock.
        let build = std::env::var_os("WORKBOOK_NO_BUILD").is_none_or(|v| v.is_empty());
        if !build {
            session
                .output
                .push(0, Kind::Note, "not rebuilt: WORKBOOK_NO_BUILD is set");
        }
        let options = RunOptions {
            demo,
            timeout: Some(RUN_TIMEOUT),
            build,
        };
        match Run::start(lesson, options) {
            Ok(run) => session.run = Some(run),
            Err(err) => session.apply(
                0,
                RunEvent::Exited(Outcome::FailedToStart(format!("{err:#}"))),
            ),
        }
        session
    }

    /// A stored run, played back whole; the chart's cursor starts at its end.
    pub fn replay(dir: PathBuf) -> anyhow::Result<Session> {
        let (meta, events) = store::load(&dir)?;
        let mut session = Session::new(&meta.lesson, meta.demo.clone());
        for (ts, event) in events {
            session.apply(ts, event);
        }
        if session.phase != Phase::Building && !matches!(session.phase, Phase::Ended { .. }) {
            session.phase = Phase::Ended {
                text: "the recording ends here (the workbook was closed)".into(),
                ok: false,
            };
        }
        session.view.cursor = Some(session.timeline.end());
        session.view.follow = false;
        session.replay = Some(dir);
        Ok(session)
    }

    /// A session over a ready-made timeline (benchmarks and tests).
    pub fn from_timeline(lesson: &str, timeline: Timeline) -> Session {
        let mut session = Session::new(lesson, None);
        session.phase = Phase::Running;
        session.started_at = Some(0);
        session.timeline = timeline;
        session
    }

    pub fn is_live(&self) -> bool {
        self.run.is_some()
    }

    pub fn stop(&self) {
        if let Some(run) = &self.run {
            run.stop();
        }
    }

    /// Takes the run's events until there are none or `budget` is spent.
    /// Returns whether anything arrived. The runner's channel is unbounded,
    /// so the lesson never waits for this; when events come faster than
    /// this takes them they queue, and the next frame takes more.
    pub fn pump(&mut self, budget: Duration) -> bool {
        let deadline = Instant::now() + budget;
        let mut any = false;
        for n in 0u32.. {
            let Some(run) = &self.run else { break };
            let event = match run.events().try_recv() {
                Ok(event) => event,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    // The runner always sends Exited last; this is a backstop.
                    RunEvent::Exited(Outcome::Killed)
                }
            };
            any = true;
            let ts = self.asked.elapsed().as_nanos() as u64;
            if !matches!(event, RunEvent::Build(_)) {
                self.last_progress = Instant::now();
                self.hang = None;
            }
            self.apply(ts, event);
            if n % 16 == 15 && Instant::now() >= deadline {
                break;
            }
        }
        any
    }

    /// Applies one event at `ts` (ns after the run was asked for), live or
    /// from a recording.
    pub fn apply(&mut self, ts: u64, event: RunEvent) {
        if let Some(recorder) = &mut self.recorder {
            recorder.record(ts, &event);
        }
        self.now_ns = self.now_ns.max(ts);
        let lesson_ts = self.started_at.map_or(0, |start| ts.saturating_sub(start));
        match event {
            RunEvent::Build(line) => self.output.push(lesson_ts, Kind::Build, &line),
            RunEvent::BuildFailed(text) => {
                for line in text.lines() {
                    self.output.push(lesson_ts, Kind::Build, line);
                }
            }
            RunEvent::Started { pid } => {
                self.started_at = Some(ts);
                self.phase = Phase::Running;
                let what = self
                    .demo
                    .as_ref()
                    .map_or(String::new(), |d| format!(" --demo {d}"));
                self.output.push(
                    0,
                    Kind::Note,
                    &format!("▶ {}{what} started (pid {pid})", self.lesson),
                );
            }
            RunEvent::Stdout(line) => self.output.push(lesson_ts, Kind::Stdout, &line),
            RunEvent::Stderr(line) => self.output.push(lesson_ts, Kind::Stderr, &line),
            RunEvent::Trace { conn, records } => {
                self.records += records.len() as u64;
                for record in records {
                    self.timeline.ingest(conn, record);
                }
            }
            RunEvent::Disconnected { conn } => self.timeline.disconnected(conn),
            RunEvent::WireError { conn, message } => self.timeline.wire_error(conn, &message),
            RunEvent::Exited(outcome) => self.exited(lesson_ts, &outcome),
        }
    }

    fn exited(&mut self, ts: u64, outcome: &Outcome) {
        let ok = outcome.success();
        let mut text = outcome.to_string();
        if let Outcome::FailedToStart(why) = outcome
            && why.contains("did not compile")
        {
            text = "did not compile: the errors are in the output pane".into();
        }
        self.output
            .push(ts, Kind::Note, &format!("■ {} {text}", self.lesson));
        self.phase = Phase::Ended { text, ok };
        self.hang = None;
        // The run is over; dropping it reaps whatever is left.
        self.run = None;
        let text = self.phase_text();
        if let Some(recorder) = &mut self.recorder {
            recorder.finish(Some(text), self.timeline.span_count(), self.timeline.end());
        }
        self.recorder = None;
    }

    /// What the footer says about the run.
    pub fn phase_text(&self) -> String {
        match &self.phase {
            Phase::Building if self.run.is_some() => {
                format!("building {} s", self.asked.elapsed().as_secs())
            }
            Phase::Building => "building".into(),
            Phase::Running => format!("running {}", fmt_ns(self.lesson_elapsed())),
            Phase::Ended { text, .. } => text.clone(),
        }
    }

    /// The lesson's running time so far, ns.
    pub fn lesson_elapsed(&self) -> u64 {
        match (self.started_at, &self.phase) {
            (Some(start), Phase::Running) if self.run.is_some() => {
                (self.asked.elapsed().as_nanos() as u64).saturating_sub(start)
            }
            _ => self.timeline.end(),
        }
    }

    /// Called on every tick: notices a run that went quiet with lanes
    /// sitting in waiting spans. Returns whether the hint changed.
    pub fn tick(&mut self) -> bool {
        if self.run.is_none() {
            return false;
        }
        if self.phase == Phase::Building {
            // The build clock moves.
            return true;
        }
        let hang = hang_hint(&self.timeline, self.last_progress.elapsed());
        let changed = hang != self.hang;
        self.hang = hang;
        // The clock in the footer moves too.
        changed || self.phase == Phase::Running
    }

    /// The chart's right edge: the latest time known.
    pub fn edge(&self) -> u64 {
        self.timeline.end().max(if self.is_live() {
            self.lesson_elapsed()
        } else {
            0
        })
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(run) = self.run.take() {
            run.stop();
            drop(run);
            self.phase = Phase::Ended {
                text: "stopped when the workbook closed it".into(),
                ok: false,
            };
        }
        let text = self.phase_text();
        if let Some(recorder) = &mut self.recorder {
            recorder.finish(Some(text), self.timeline.span_count(), self.timeline.end());
        }
    }
}

/// When a run has been quiet for `quiet` with lanes sitting in waiting
/// spans: each such lane and what it waits on.
pub fn hang_hint(timeline: &Timeline, quiet: Duration) -> Option<Vec<(String, String)>> {
    if quiet < QUIET_HINT {
        return None;
    }
    let lanes = timeline.lanes();
    let waits: Vec<(String, String)> = timeline
        .open_waits()
        .into_iter()
        .map(|(lane, span)| {
            let def = timeline.def(span);
            let on = def.waiting_on.clone().unwrap_or_else(|| def.name.clone());
            (lanes[lane].name.clone(), on)
        })
        .collect();
    (!waits.is_empty()).then_some(waits)
}

/// A duration in ns as a short human figure: `850 ns`, `12.5 µs`, `3.2 ms`, `1.50 s`.
pub fn fmt_ns(ns: u64) -> String {
    let ns = ns as f64;
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.1} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.1} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Record;

    #[test]
    fn dropping_a_session_kills_the_lesson_and_its_children() {
        use std::os::unix::fs::PermissionsExt;
        let dir =
            std::env::temp_dir().join(format!("workbook-session-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join("fixture.sh");
        std::fs::write(&script, "#!/bin/sh\nsleep 30 &\necho child up\nwait\n").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let options = RunOptions {
            demo: None,
            timeout: Some(Duration::from_secs(60)),
            build: false,
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
        std::fs::remove_dir_all(&dir).unwrap();
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
        let dir = std::env::temp_dir().join(format!("workbook-session-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join("bad.sh");
        let text = "#!/bin/sh\nprintf 'caf\\351 \\377\\n'\nhead -c 1048576 /dev/zero | tr '\\0' x\necho\necho oops >&2\nexit 3\n";
        std::fs::write(&script, text).unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let options = RunOptions {
            demo: None,
            timeout: Some(Duration::from_secs(60)),
            build: false,
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
            long.1.len() < 2 * super::super::output::MAX_CHARS && long.1.contains("more bytes"),
            "{}",
            &long.1[long.1.len() - 80..]
        );
        assert!(lines.contains(&(Kind::Stderr, "oops".into())), "{lines:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_quiet_run_with_waiting_lanes_gets_a_hint() {
        let mut t = Timeline::new();
        for record in [
            Record::Hello {
                version: 1,
                token: [0; 16],
                pid: 3,
                ppid: 1,
                name: "l".into(),
            },
            Record::Thread {
                thread: 0,
                name: "philosopher-1".into(),
            },
            Record::Thread {
                thread: 1,
                name: "philosopher-2".into(),
            },
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
            RunEvent::BuildFailed(
                "error[E0425]: cannot find value `x`\n --> lessons/01.rs:3:5".into(),
            ),
        );
        session.apply(
            2,
            RunEvent::Exited(Outcome::FailedToStart(
                "01_threading_basics did not compile".into(),
            )),
        );
        let lines: Vec<String> = session
            .output
            .window(10, None)
            .map(|l| l.text.clone())
            .collect();
        assert_eq!(lines[1], "error[E0425]: cannot find value `x`");
        assert_eq!(
            session.phase,
            Phase::Ended {
                text: "did not compile: the errors are in the output pane".into(),
                ok: false
            }
        );
    }
}
