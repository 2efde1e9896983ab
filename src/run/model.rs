//! [`RunModel`]: a run's timeline, phase and outcome, built from the
//! runner's events one [`RunModel::apply`] at a time, live or replayed.
use super::store::{self, Meta, Recorder};
use crate::runner::{Outcome, RunEvent};
use crate::timeline::Timeline;
use std::path::Path;
use std::time::Instant;

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

/// What one event means for whoever shows the run: each view picks what it
/// shows (the CLI echoes output, the TUI keeps every line in a pane).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    /// A progress line from cargo.
    Build(String),
    /// The compiler's errors, as cargo printed them: many lines.
    BuildErrors(String),
    Stdout(String),
    Stderr(String),
    /// The workbook's own word about the run (strays it ended).
    Note(String),
    /// "▶ ... started", "■ ... ended": for views with no title that says so.
    Milestone(String),
}

/// One run, live or replayed. Recorded ones ([`RunModel::recorded`]) write
/// every event they apply to the run store.
pub struct RunModel {
    pub lesson: String,
    pub demo: Option<String>,
    pub phase: Phase,
    pub timeline: Timeline,
    /// How the lesson ended, once it has.
    pub outcome: Option<Outcome>,
    /// What the learner should know about this run's recording.
    pub note: Option<String>,
    /// The latest event time seen, ns after the run was asked for.
    pub now_ns: u64,
    /// When the run was asked for; live event times are counted from here.
    asked: Instant,
    /// Nanoseconds after `asked` when the lesson started.
    started_at: Option<u64>,
    recorder: Option<Recorder>,
}

impl RunModel {
    /// An unrecorded run (replay, benchmarks, tests).
    pub fn new(lesson: &str, demo: Option<String>) -> RunModel {
        RunModel {
            lesson: lesson.to_string(),
            demo,
            phase: Phase::Building,
            timeline: Timeline::new(),
            outcome: None,
            note: None,
            now_ns: 0,
            asked: Instant::now(),
            started_at: None,
            recorder: None,
        }
    }

    /// A run recorded in the run store ([`store::runs_dir`]). When the store
    /// cannot be written, the run goes on unrecorded and [`RunModel::note`]
    /// says why: a full disk loses the recording, never the run.
    pub fn recorded(lesson: &str, demo: Option<String>) -> RunModel {
        let mut model = RunModel::new(lesson, demo);
        match Recorder::create(lesson, model.demo.as_deref()) {
            Ok(recorder) => model.recorder = Some(recorder),
            Err(err) => model.note = Some(format!("this run is not recorded: {err:#}")),
        }
        model
    }

    /// Where this run is being recorded, while it is.
    pub fn recording_dir(&self) -> Option<&Path> {
        self.recorder.as_ref().map(|r| r.dir.as_path())
    }

    /// Nanoseconds since the run was asked for: the time of a live event.
    pub fn elapsed_ns(&self) -> u64 {
        self.asked.elapsed().as_nanos() as u64
    }

    /// When the lesson started, ns after the run was asked for.
    pub fn started_at(&self) -> Option<u64> {
        self.started_at
    }

    /// Marks a ready-made timeline as a running lesson (benchmarks, tests).
    #[must_use]
    pub fn running(mut self, timeline: Timeline) -> RunModel {
        self.phase = Phase::Running;
        self.started_at = Some(0);
        self.timeline = timeline;
        self
    }

    /// Applies a live event, timed now.
    pub fn apply_now(&mut self, event: RunEvent) -> Option<(u64, Said)> {
        let ts = self.elapsed_ns();
        self.apply(ts, event)
    }

    /// Applies one event at `ts` (ns after the run was asked for), live or
    /// from a recording, and records it if this run is recorded. Returns
    /// what it says for a reader, at its time in the lesson's clock.
    pub fn apply(&mut self, ts: u64, event: RunEvent) -> Option<(u64, Said)> {
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
        let said = match event {
            RunEvent::Build(line) => Said::Build(line),
            RunEvent::BuildFailed(text) => Said::BuildErrors(text),
            RunEvent::Started { pid } => {
                self.started_at = Some(ts);
                self.phase = Phase::Running;
                let what = self
                    .demo
                    .as_ref()
                    .map_or(String::new(), |d| format!(" --demo {d}"));
                return Some((
                    0,
                    Said::Milestone(format!("▶ {}{what} started (pid {pid})", self.lesson)),
                ));
            }
            RunEvent::Stdout(line) => Said::Stdout(line),
            RunEvent::Stderr(line) => Said::Stderr(line),
            RunEvent::Trace { conn, records } => {
                self.timeline.ingest_all(conn, records);
                return None;
            }
            RunEvent::Disconnected { conn } => {
                self.timeline.disconnected(conn);
                return None;
            }
            RunEvent::WireError { conn, message } => {
                self.timeline.wire_error(conn, &message);
                return None;
            }
            RunEvent::Strays(count) => Said::Note(crate::runner::strays_line(count)),
            RunEvent::Exited(outcome) => Said::Milestone(self.exited(outcome)),
        };
        Some((lesson_ts, said))
    }

    fn exited(&mut self, outcome: Outcome) -> String {
        let ok = outcome.success();
        let text = match &outcome {
            // Typed, not read from the message: the errors went before.
            Outcome::BuildFailed => "did not compile: the errors are in the output pane".into(),
            other => other.to_string(),
        };
        let said = format!("■ {} {text}", self.lesson);
        self.phase = Phase::Ended { text, ok };
        self.outcome = Some(outcome);
        self.finish_recording();
        said
    }

    /// Ends a run that did not end by itself (the workbook stopped it
    /// before it said how it ended), with `text` as its ending.
    pub fn close(&mut self, text: &str) {
        if !matches!(self.phase, Phase::Ended { .. }) {
            self.phase = Phase::Ended {
                text: text.into(),
                ok: false,
            };
        }
        self.finish_recording();
    }

    fn finish_recording(&mut self) {
        let Some(mut recorder) = self.recorder.take() else {
            return;
        };
        let text = match &self.phase {
            Phase::Ended { text, .. } => Some(text.clone()),
            Phase::Building | Phase::Running => None,
        };
        recorder.finish(text, self.timeline.span_count(), self.timeline.end());
    }
}

impl Drop for RunModel {
    fn drop(&mut self) {
        self.finish_recording();
    }
}

/// A stored run played back whole through [`RunModel::apply`], as the
/// past-runs list opens it: the model (not recorded again) and the run's
/// meta. `on_said` gets what each event said, in order; `progress` hears the
/// bytes read of the total and stops the reading by returning false (see
/// [`store::stream`]).
pub fn replay(
    dir: &Path,
    mut on_said: impl FnMut(u64, Said),
    progress: impl FnMut(u64, u64) -> bool,
) -> anyhow::Result<(RunModel, Meta)> {
    let meta = store::read_meta(dir)?;
    let mut model = RunModel::new(&meta.lesson, meta.demo.clone());
    store::stream(
        dir,
        |ts, event| {
            if let Some((at, said)) = model.apply(ts, event) {
                on_said(at, said);
            }
        },
        progress,
    )?;
    if model.phase == Phase::Running {
        model.phase = Phase::Ended {
            text: "the recording ends here (the workbook was closed)".into(),
            ok: false,
        };
    }
    if meta.cut {
        model.note = Some("this recording hit its size limit: it ends before the run did".into());
    }
    Ok((model, meta))
}

#[cfg(test)]
mod tests;
