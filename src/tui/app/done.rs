//! What the TUI's background jobs post to the loop's one inbox, and what
//! each does to the app's state. A job posts as soon as it has something,
//! so nothing here waits for a tick; a result from a job the app called off
//! (a past run no longer wanted, a benchmark measured again) is dropped.
use super::{Action, App, STOPPING};
use crate::tui::bench_view::Printed;
use crate::tui::exercise::Checked;
use crate::tui::layout::Pane;
use crate::tui::overlay::Overlay;
use crate::tui::session::Loading;
use crate::tui::source::Highlighted;
use crate::tui::store::Browser;

pub enum Done {
    /// The run on screen has events waiting in its channel.
    RunEvents,
    /// A lesson's source, highlighted.
    Highlighted(Highlighted),
    /// Old runs were pruned: what went, in words.
    Pruned(String),
    /// A past run being opened (its ticket's id): progress, then the run.
    Opening(u64, Loading),
    /// The past runs, listed for the browser.
    Runs(Browser),
    /// An exercise's file as read (the read's number, see [`App::reads`]).
    ExerciseFile {
        index: usize,
        seq: u64,
        text: Result<String, String>,
    },
    /// An exercise's check ended.
    Checked(Checked),
    /// The benchmark (its view's ticket id) ended and was reaped.
    Measured(u64, Printed),
}

impl std::fmt::Debug for Done {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            Done::RunEvents => "RunEvents",
            Done::Highlighted(_) => "Highlighted",
            Done::Pruned(_) => "Pruned",
            Done::Opening(..) => "Opening",
            Done::Runs(_) => "Runs",
            Done::ExerciseFile { .. } => "ExerciseFile",
            Done::Checked(_) => "Checked",
            Done::Measured(..) => "Measured",
        };
        f.write_str(name)
    }
}

impl App {
    pub(super) fn done(&mut self, done: Done) -> Action {
        match done {
            // Taking them records them in the run store: the loop does it.
            Done::RunEvents => return Action::TakeRunEvents,
            Done::Highlighted(lines) => self.highlighter.insert(lines),
            Done::Pruned(said) => self.message = Some(said),
            Done::Opening(id, loading) => {
                if self.opening.as_ref().map(super::Ticket::id) != Some(id) {
                    return Action::None;
                }
                return self.opened(loading);
            }
            Done::Runs(browser) => {
                // Unless something else was opened over the screen meanwhile.
                if self.overlay.is_none() {
                    self.overlay = Some(Overlay::PastRuns(browser));
                }
            }
            Done::ExerciseFile { index, seq, text } => {
                if seq != self.reads {
                    return Action::None;
                }
                self.exercises.file = Some((index, text));
            }
            Done::Checked(checked) => self.message = Some(self.exercises.finish(checked)),
            Done::Measured(id, printed) => match &mut self.overlay {
                Some(Overlay::Bench(bench)) if bench.ticket.id() == id => bench.finish(printed),
                _ => return Action::None,
            },
        }
        Action::Redraw
    }

    /// After the loop took the run's events: what they mean for the screen.
    pub(in crate::tui) fn took_run_events(&mut self) {
        let Some(session) = &mut self.session else {
            return;
        };
        let build_failed_at = session.build_failed_at.take();
        if !session.is_live() && self.message.as_deref() == Some(STOPPING) {
            // The title says how it ended now.
            self.message = None;
        }
        if let Some(first) = build_failed_at {
            // Compile errors matter most now: show them from the top.
            let rows = self.areas().output.height.saturating_sub(2);
            if let Some(session) = &mut self.session {
                session.output.show_from(first, rows as usize);
            }
            self.focus = Pane::Output;
        }
        // A predicted run that has just ended shows its answer.
        self.check_prediction();
    }

    /// A past run being opened posted its progress, or the run itself.
    fn opened(&mut self, loading: Loading) -> Action {
        match loading {
            Loading::Progress { read, total } => {
                self.message = Some(Loading::describe(read, total));
            }
            Loading::Done(loaded) => {
                self.opening = None;
                match *loaded {
                    // Replacing the run on screen stops and reaps it: the
                    // loop does that (Action::ShowReplay).
                    Ok(replayed) => self.replayed = Some(replayed),
                    Err(err) => self.message = Some(format!("cannot open that run: {err:#}")),
                }
            }
        }
        if self.replayed.is_some() {
            Action::ShowReplay
        } else {
            Action::Redraw
        }
    }

    /// The loop put the replayed run on screen.
    pub(in crate::tui) fn show_replay(&mut self, replayed: crate::tui::session::Session) {
        let dir = replayed.replay.clone().unwrap_or_default();
        self.session = Some(replayed);
        self.layout_changed();
        self.focus = Pane::Timeline;
        self.message = Some(format!(
            "replaying {}: ←/→ scrub, f: the end",
            dir.display()
        ));
    }
}
