//! One run on screen, live or replayed: its model ([`RunModel`], shared with
//! `workbook run` and replay), its output pane, the chart's view of it, and
//! whether it looks stuck.
use super::chart::{ChartView, QUIET_HINT};
use super::output::{Kind, Output};
use crate::catalog::Lesson;
pub use crate::run::Phase;
use crate::run::{RunModel, Said};
use crate::runner::{Outcome, Run, RunEvent, RunOptions};
use crate::timeline::Timeline;
use std::path::PathBuf;
use std::sync::mpsc::TryRecvError;
use std::time::{Duration, Instant};

/// How long one turn of the loop may spend taking a run's events, so a
/// flood of them leaves room for keys and frames.
pub const PUMP_BUDGET: Duration = Duration::from_millis(20);

/// A run as the TUI shows it. The run itself (timeline, phase, recording)
/// is the [`RunModel`] it derefs to; this adds what only the screen needs.
pub struct Session {
    pub model: RunModel,
    run: Option<Run>,
    pub output: Output,
    pub view: ChartView,
    /// When the last event that shows progress arrived (live runs).
    last_progress: Instant,
    /// Set on a tick when the run has gone quiet with lanes waiting.
    pub hang: Option<Vec<(String, String)>>,
    /// A recording played back: the chart's cursor scrubs through it.
    pub replay: Option<PathBuf>,
    /// Where the compiler's errors start in the output, until the app has
    /// scrolled there.
    pub build_failed_at: Option<usize>,
    /// The run's events ring the loop's inbox ([`Session::ring`]).
    ringing: bool,
}

// A session is its run plus a view: the TUI reads `session.timeline`,
// `session.phase` and the rest of the model through it.
impl std::ops::Deref for Session {
    type Target = RunModel;
    fn deref(&self) -> &RunModel {
        &self.model
    }
}

impl std::ops::DerefMut for Session {
    fn deref_mut(&mut self) -> &mut RunModel {
        &mut self.model
    }
}

impl Session {
    fn with_model(model: RunModel) -> Session {
        Session {
            model,
            run: None,
            output: Output::default(),
            view: ChartView::default(),
            last_progress: Instant::now(),
            hang: None,
            replay: None,
            build_failed_at: None,
            ringing: false,
        }
    }

    #[cfg(test)]
    fn new(lesson: &str, demo: Option<String>) -> Session {
        Session::with_model(RunModel::new(lesson, demo))
    }

    /// Builds (cargo, on the runner's thread, unless `build` is false) and
    /// starts `lesson`, recorded in the run store.
    pub fn start(lesson: &Lesson, demo: Option<String>, build: bool) -> Session {
        let mut session = Session::with_model(RunModel::recorded(lesson.bin, demo.clone()));
        if !build {
            session.output.push(
                0,
                Kind::Note,
                "not rebuilt: the workbook was started with --no-build",
            );
        }
        let options = RunOptions {
            demo,
            timeout: Some(crate::runner::RUN_TIMEOUT),
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

    /// A session taking in a run already started, unrecorded (benchmarks).
    pub fn from_run(lesson: &str, run: Run) -> Session {
        let mut session = Session::with_model(RunModel::new(lesson, None));
        session.run = Some(run);
        session
    }

    /// A session over a ready-made timeline (benchmarks and tests).
    pub fn from_timeline(lesson: &str, timeline: Timeline) -> Session {
        Session::with_model(RunModel::new(lesson, None).running(timeline))
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

    /// [`Session::pump`], returning how many events it took: at most one
    /// past the budget, however many are waiting.
    pub(crate) fn pump_counted(&mut self, budget: Duration) -> usize {
        self.take_events(budget).0
    }

    /// Has the run call `bell` when events arrive (see [`Run::ring`]),
    /// instead of waiting to be pumped. A replay or a finished run has no
    /// events to ring for.
    pub fn ring(&mut self, bell: impl Fn() + Send + 'static) -> std::io::Result<()> {
        if let Some(run) = &mut self.run {
            run.ring(bell)?;
            self.ringing = true;
        }
        Ok(())
    }

    /// A live run whose events do not ring (no thread could be started for
    /// the bell): the loop takes them on each tick instead.
    pub fn needs_pumping(&self) -> bool {
        self.run.is_some() && !self.ringing
    }

    /// Takes the events the bell rang for, until there are none or `budget`
    /// is spent; true if it stopped at the budget (more may be waiting, and
    /// the bell will not ring for them).
    pub fn take_rung(&mut self, budget: Duration) -> bool {
        if let Some(run) = &self.run {
            run.rearm();
        }
        self.take_events(budget).1
    }

    /// Events taken, and whether the budget cut the taking short.
    fn take_events(&mut self, budget: Duration) -> (usize, bool) {
        let deadline = Instant::now() + budget;
        let mut taken = 0;
        while let Some(run) = &self.run {
            let event = match run.events().try_recv() {
                Ok(event) => event,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    // The runner always sends Exited last; this is a backstop.
                    RunEvent::Exited(Outcome::Killed)
                }
            };
            taken += 1;
            let ts = self.model.elapsed_ns();
            // The sampler's readings come whether or not the lesson moves.
            let sampled =
                matches!(event, RunEvent::Trace { conn, .. } if conn == crate::wire::SAMPLER_CONN);
            if !matches!(event, RunEvent::Build(_)) && !sampled {
                self.last_progress = Instant::now();
                self.hang = None;
            }
            self.apply(ts, event);
            // Checked after every event: one trace batch is up to ~2,800
            // records, and the loop must get back to drawing in time.
            if Instant::now() >= deadline {
                return (taken, self.run.is_some());
            }
        }
        (taken, false)
    }

    /// Applies one event at `ts` (ns after the run was asked for) to the
    /// model, and what it says to the output pane.
    pub fn apply(&mut self, ts: u64, event: RunEvent) {
        let exited = matches!(event, RunEvent::Exited(_));
        if let Some((at, said)) = self.model.apply(ts, event)
            && let Some(first) = show(&mut self.output, at, said)
        {
            self.build_failed_at = Some(first);
        }
        if exited {
            self.hang = None;
            // The run is over; dropping it reaps whatever is left.
            self.run = None;
        }
    }

    /// What the footer says about the run.
    pub fn phase_text(&self) -> String {
        match &self.phase {
            Phase::Building if self.run.is_some() => {
                format!("building {} s", self.model.elapsed_ns() / 1_000_000_000)
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
        match (self.model.started_at(), &self.phase) {
            (Some(start), Phase::Running) if self.run.is_some() => {
                self.model.elapsed_ns().saturating_sub(start)
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
            self.model.close("stopped when the workbook closed it");
        }
    }
}

/// Puts what an event said into the output pane. Returns the first line of
/// the compiler's errors when it said those.
fn show(output: &mut Output, ts: u64, said: Said) -> Option<usize> {
    match said {
        Said::Build(line) => output.push(ts, Kind::Build, &line),
        Said::BuildErrors(text) => {
            let first = output.len();
            for line in text.lines() {
                output.push(ts, Kind::Build, line);
            }
            return Some(first);
        }
        Said::Stdout(line) => output.push(ts, Kind::Stdout, &line),
        Said::Stderr(line) => output.push(ts, Kind::Stderr, &line),
        Said::Note(line) | Said::Milestone(line) => output.push(ts, Kind::Note, &line),
    }
    None
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
