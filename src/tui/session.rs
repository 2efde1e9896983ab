//! One run on screen, live or replayed: its timeline model, its output, how
//! far it got, and its recording on disk.
use super::chart::{ChartView, QUIET_HINT};
use super::output::{Kind, Output};
use super::store::{self, Recorder};
use crate::catalog::Lesson;
use crate::runner::{Outcome, Run, RunEvent, RunOptions};
use crate::timeline::Timeline;
use std::path::PathBuf;
use std::sync::mpsc::TryRecvError;
use std::time::{Duration, Instant};

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
    recorder: Option<Recorder>,
    /// A recording played back: the chart's cursor scrubs through it.
    pub replay: Option<PathBuf>,
    pub note: Option<String>,
    /// Where the compiler's errors start in the output, until the app has
    /// scrolled there.
    pub build_failed_at: Option<usize>,
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
            recorder: None,
            replay: None,
            note: None,
            build_failed_at: None,
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
            trace_limit: None,
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

    /// Where this run is being recorded, if it is.
    pub fn recording_dir(&self) -> Option<std::path::PathBuf> {
        self.recorder.as_ref().map(|r| r.dir.clone())
    }

    /// A session taking in a run already started, unrecorded (benchmarks).
    pub fn from_run(lesson: &str, run: Run) -> Session {
        let mut session = Session::new(lesson, None);
        session.run = Some(run);
        session
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

    /// Freezes the running lesson (every process of it), or resumes it;
    /// says what happened.
    pub fn toggle_freeze(&self) -> String {
        let Some(run) = &self.run else {
            return "nothing is running".into();
        };
        let freezer = run.freezer();
        let frozen = !freezer.is_frozen();
        match (freezer.set(frozen), frozen) {
            (true, true) => {
                "frozen: every process of the run is stopped (SIGSTOP); z resumes".into()
            }
            (true, false) => "resumed: the run goes on".into(),
            (false, _) => "the lesson is not running yet: nothing to freeze".into(),
        }
    }

    /// Takes the run's events until there are none or `budget` is spent.
    /// Returns whether anything arrived. The runner's channel is bounded:
    /// when events come faster than this takes them, the runner's readers
    /// wait and the lesson's recorder counts what it could not send (the
    /// lesson itself never waits); the next frame takes more.
    pub fn pump(&mut self, budget: Duration) -> bool {
        self.pump_counted(budget) > 0
    }

    /// [`Session::pump`], returning how many events it took: at most 16
    /// past the budget, however many are waiting.
    pub(crate) fn pump_counted(&mut self, budget: Duration) -> usize {
        let deadline = Instant::now() + budget;
        let mut taken = 0;
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
            taken += 1;
            let ts = self.asked.elapsed().as_nanos() as u64;
            // The sampler's readings come whether or not the lesson moves.
            let sampled =
                matches!(event, RunEvent::Trace { conn, .. } if conn == crate::wire::SAMPLER_CONN);
            if !matches!(event, RunEvent::Build(_)) && !sampled {
                self.last_progress = Instant::now();
                self.hang = None;
            }
            self.apply(ts, event);
            if n % 16 == 15 && Instant::now() >= deadline {
                break;
            }
        }
        taken
    }

    /// Applies one event at `ts` (ns after the run was asked for), live or
    /// from a recording.
    pub fn apply(&mut self, ts: u64, event: RunEvent) {
        if let Some(recorder) = &mut self.recorder {
            recorder.record(ts, &event);
            if recorder.meta.cut && self.note.is_none() {
                self.note = Some(format!(
                    "the recording stopped at its size limit; replay will end early ({})",
                    recorder.dir.display()
                ));
            }
        }
        self.now_ns = self.now_ns.max(ts);
        let lesson_ts = self.started_at.map_or(0, |start| ts.saturating_sub(start));
        match event {
            RunEvent::Build(line) => self.output.push(lesson_ts, Kind::Build, &line),
            RunEvent::BuildFailed(text) => {
                self.build_failed_at = Some(self.output.len());
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
            RunEvent::Trace { conn, records } => self.timeline.ingest_all(conn, records),
            RunEvent::Disconnected { conn } => self.timeline.disconnected(conn),
            RunEvent::WireError { conn, message } => self.timeline.wire_error(conn, &message),
            RunEvent::Strays(count) => {
                self.output
                    .push(lesson_ts, Kind::Note, &crate::runner::strays_line(count));
            }
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
            Phase::Running if self.run.as_ref().is_some_and(|r| r.freezer().is_frozen()) => {
                format!(
                    "running {} · frozen, z resumes",
                    crate::views::duration::human(self.lesson_elapsed())
                )
            }
            Phase::Running => format!(
                "running {}",
                crate::views::duration::human(self.lesson_elapsed())
            ),
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

mod replay;
pub use replay::{Loading, open_in_background};

#[cfg(test)]
mod tests;
