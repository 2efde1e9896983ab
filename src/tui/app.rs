//! The app's state and what input does to it. Nothing here draws and nothing
//! here starts processes or touches files: input returns an [`Action`] and the
//! loop in `mod.rs` carries it out; what background jobs finish comes back as
//! [`Event::Done`] ([`done`]).
mod done;
mod overlay_keys;

use super::inbox::Ticket;
use super::keymap::{self, Command};
use super::layout::{Areas, ChartLayout, Pane, Screen};
use super::learner::{Learner, Place};
use super::overlay::{Ask, Overlay, Prediction};
use super::source::{self, Highlighter};
use crate::catalog::Lesson;
use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
pub use done::Done;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use std::sync::Arc;

/// Everything the loop reacts to, from every source.
#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Time passed: redraw clocks, notice a run that went quiet.
    Tick,
    /// SIGTERM or SIGHUP, or the terminal went away: quit the normal way.
    Terminate,
    /// A background job posted what it finished.
    Done(Done),
}

/// The footer while a stop is under way; cleared when the run has ended.
pub const STOPPING: &str = "stopping the lesson and all its processes";

/// What the loop should do after an event; the side effects live there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    None,
    /// Nothing to do but the screen changed.
    Redraw,
    Quit,
    /// Build and run a lesson, or one demo of it.
    Run {
        lesson: usize,
        demo: Option<String>,
    },
    Stop,
    /// Freeze the running lesson, or resume it.
    Freeze,
    Export,
    /// Check an exercise (index into the catalog).
    Check(usize),
    /// Run a demo's Python twin and then the demo (see `crate::compare`).
    Compare {
        lesson: usize,
        demo: String,
    },
    /// Show the list of past runs.
    BrowseRuns,
    /// Open a past run: read it in the background, then replay it.
    OpenRun(std::path::PathBuf),
    /// Open the Benchmark view and measure (again).
    Bench,
    /// Close the Benchmark view, stopping any measuring.
    CloseBench,
    /// Read an exercise's file (index into the catalog) in the background;
    /// `seq` tells the newest read from older ones.
    ReadExercise {
        index: usize,
        seq: u64,
    },
    /// Keep one more hint step of an exercise in the progress file.
    SaveHint(&'static str),
    /// Take the run's events the bell rang for (applying them records them
    /// in the run store).
    TakeRunEvents,
    /// Put the past run that was opened ([`App::replayed`]) on screen,
    /// stopping the run there was.
    ShowReplay,
}

/// A row of the lesson list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Lesson(usize),
    Demo(usize, usize),
    /// A lesson's exercise: index into the exercise catalog.
    Exercise(usize, usize),
}

impl Row {
    pub fn lesson(self) -> usize {
        match self {
            Row::Lesson(l) | Row::Demo(l, _) | Row::Exercise(l, _) => l,
        }
    }
}

// Independent toggles of what is on screen; a state machine would hide that.
#[allow(clippy::struct_excessive_bools)]
pub struct App {
    pub lessons: &'static [Lesson],
    pub rows: Vec<Row>,
    pub selected: usize,
    pub focus: Pane,
    pub show_notes: bool,
    pub instructor: bool,
    /// Presentation: no list, the source and the timeline large, colours
    /// that read on a projector.
    pub presenting: bool,
    /// What is laid over the screen and takes the keys: the welcome, the
    /// help, a question or its answer, past runs, the benchmark.
    pub overlay: Option<Overlay>,
    /// The focused pane fills the screen.
    pub maximized: bool,
    pub source_scroll: usize,
    pub notes_scroll: usize,
    pub highlighter: Highlighter,
    /// The whole terminal, as last drawn: mouse clicks are mapped with it.
    pub area: Rect,
    /// A message for the footer (what export wrote, why a run failed).
    pub message: Option<String>,
    pub session: Option<super::session::Session>,
    pub exercises: super::exercise::Exercises,
    /// The learner's path: demos seen, predictions, where they were.
    pub learner: Learner,
    /// `learner` changed and the loop should save it.
    pub learner_changed: bool,
    /// The question asked before the run on screen, until it is answered.
    pub predicting: Option<Prediction>,
    /// A past run being read on a thread of its own; its progress and then
    /// the session arrive in the inbox. Dropping the ticket calls it off.
    pub opening: Option<Ticket>,
    /// Side effects asked for from inside input handling (selecting an
    /// exercise reads its file), carried out by the loop after the action
    /// that [`App::handle`] returns.
    pub queued: Vec<Action>,
    /// How many exercise files have been asked for: the newest read wins.
    pub reads: u64,
    /// A past run opened and read, for the loop to put on screen.
    pub replayed: Option<super::session::Session>,
    /// Build a lesson with cargo before it runs (`--no-build` says not to).
    pub build: bool,
}

impl App {
    /// An app for a learner past the welcome with nothing remembered
    /// (tests and measurements); the workbook itself uses [`App::resume`].
    pub fn new(lessons: &'static [Lesson]) -> Self {
        let learner = Learner {
            welcomed: true,
            ..Learner::default()
        };
        App::resume(lessons, learner, crate::exercises::Progress::default())
    }

    /// The app as the learner left it (both read by the loop): the welcome
    /// on a first start, otherwise the lesson, demo, pane and notes of the
    /// last quit, with the exercises' `progress`.
    pub fn resume(
        lessons: &'static [Lesson],
        learner: Learner,
        progress: crate::exercises::Progress,
    ) -> Self {
        let exercises = super::exercise::Exercises::new(progress);
        let rows = lessons
            .iter()
            .enumerate()
            .flat_map(|(l, lesson)| {
                let own = exercises.of_lesson(lesson.number);
                std::iter::once(Row::Lesson(l))
                    .chain((0..lesson.demos.len()).map(move |d| Row::Demo(l, d)))
                    .chain(own.into_iter().map(move |e| Row::Exercise(l, e)))
            })
            .collect();
        let message = exercises.progress.notice.clone();
        let mut app = App {
            lessons,
            rows,
            selected: 0,
            focus: Pane::List,
            show_notes: false,
            instructor: false,
            presenting: false,
            overlay: None,
            maximized: false,
            source_scroll: 0,
            notes_scroll: 0,
            highlighter: Highlighter::default(),
            area: Rect::new(0, 0, 120, 40),
            message,
            session: None,
            exercises,
            learner,
            learner_changed: false,
            predicting: None,
            queued: Vec::new(),
            reads: 0,
            replayed: None,
            opening: None,
            build: true,
        };
        if !app.learner.welcomed {
            app.overlay = Some(Overlay::Welcome);
        } else if let Some(place) = app.learner.resume.clone() {
            app.go_to(&place);
        }
        app.prepare_source();
        app
    }

    /// Selects the row a [`Place`] names, if it still exists.
    fn go_to(&mut self, place: &Place) {
        let found = self.rows.iter().position(|row| match *row {
            Row::Lesson(l) => {
                self.lessons[l].bin == place.lesson
                    && place.demo.is_none()
                    && place.exercise.is_none()
            }
            Row::Demo(l, d) => {
                self.lessons[l].bin == place.lesson
                    && place.demo.as_deref() == Some(self.lessons[l].demos[d].name.as_str())
            }
            Row::Exercise(_, e) => place.exercise.as_deref() == Some(self.exercises.list[e].name),
        });
        if let Some(index) = found {
            self.selected = index;
            self.show_notes = place.notes;
            self.focus = if place.pane == "source" {
                Pane::Source
            } else {
                Pane::List
            };
        }
    }

    /// Where the learner is, to resume there next time. The run panes are
    /// not kept (the run is not), so they resume as the source.
    pub fn place(&self) -> Place {
        let row = self.row();
        let lesson = self.lessons.get(row.lesson()).map_or("", |l| l.bin);
        Place {
            lesson: lesson.to_string(),
            demo: match row {
                Row::Demo(l, d) => Some(self.lessons[l].demos[d].name.clone()),
                _ => None,
            },
            exercise: match row {
                Row::Exercise(_, e) => Some(self.exercises.list[e].name.to_string()),
                _ => None,
            },
            pane: if self.focus == Pane::List {
                "list"
            } else {
                "source"
            }
            .into(),
            notes: self.show_notes,
        }
    }

    pub fn row(&self) -> Row {
        self.rows
            .get(self.selected)
            .copied()
            .unwrap_or(Row::Lesson(0))
    }

    pub fn lesson(&self) -> Option<&'static Lesson> {
        self.lessons.get(self.row().lesson())
    }

    /// Every lesson's source, the selected one first: the order to
    /// highlight them in.
    pub fn highlight_order(&self) -> Vec<&'static str> {
        let first = self.row().lesson();
        let mut order: Vec<&'static str> = vec![self.lessons[first].source];
        order.extend(
            self.lessons
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != first)
                .map(|(_, l)| l.source),
        );
        order
    }

    /// The selected lesson's highlighted source, if it has been highlighted.
    pub fn source_lines(&self) -> Option<Arc<Vec<Line<'static>>>> {
        self.highlighter.cached(self.lesson()?.source)
    }

    /// The selected demo's lines in the source, when a demo row is selected.
    pub fn demo_range(&self) -> Option<std::ops::Range<usize>> {
        let Row::Demo(l, d) = self.row() else {
            return None;
        };
        let lesson = self.lessons.get(l)?;
        source::demo_lines(lesson.source, &lesson.demos.get(d)?.name)
    }

    /// Scrolls the selected lesson's source and notes to the selected demo.
    pub(super) fn prepare_source(&mut self) {
        let Some(lesson) = self.lesson() else { return };
        self.source_scroll = self.demo_range().map_or(0, |r| r.start.saturating_sub(1));
        self.notes_scroll = match self.row() {
            Row::Demo(_, d) => super::notes::demo_heading_line(lesson, d, self.instructor)
                .and_then(|line| self.notes_rows().1.get(line).copied())
                .unwrap_or(0),
            Row::Lesson(_) | Row::Exercise(..) => 0,
        };
        if let Row::Exercise(_, e) = self.row() {
            // The file changes as the learner works: read it again, off the
            // loop's thread (the last read shows until the new one is in).
            self.reads += 1;
            self.queued.push(Action::ReadExercise {
                index: e,
                seq: self.reads,
            });
            self.source_scroll = 0;
        }
    }

    /// What decides the layout now.
    pub fn screen(&self) -> Screen {
        Screen {
            presenting: self.presenting,
            maximized: self.maximized,
            focus: self.focus,
            run: self.session.is_some(),
        }
    }

    /// Where each pane is on the terminal as last drawn.
    pub fn areas(&self) -> Areas {
        self.screen().areas(self.area)
    }

    /// Tells the chart how many columns of bars it has, for its zoom limit.
    pub fn layout_changed(&mut self) {
        let pane = self.areas().timeline;
        if let Some(session) = &mut self.session {
            session.view.columns = ChartLayout::of(super::layout::inner(pane)).bars.width;
        }
    }

    /// How many rows the notes take wrapped in the pane as now laid out, and
    /// the row each notes line starts on.
    fn notes_rows(&self) -> (usize, Vec<usize>) {
        let Some(lesson) = self.lesson() else {
            return (0, Vec::new());
        };
        let width = self.areas().main.width.saturating_sub(2) as usize;
        let (rows, starts) = super::notes::wrapped(lesson, self.instructor, width);
        (rows.len(), starts)
    }

    pub(super) fn select(&mut self, index: usize) {
        let index = index.min(self.rows.len().saturating_sub(1));
        if index != self.selected {
            self.selected = index;
            self.prepare_source();
        }
    }

    /// The panes that are on screen, in Tab order.
    pub fn panes(&self) -> Vec<Pane> {
        self.screen().panes()
    }

    /// What an event does to the state, and what the loop should then do.
    pub fn handle(&mut self, event: Event) -> Action {
        let action = match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.key(key),
            Event::Mouse(mouse) => self.mouse(mouse),
            Event::Resize(w, h) => {
                self.area = Rect::new(0, 0, w, h);
                self.layout_changed();
                Action::None
            }
            // A run whose events cannot ring is taken on the tick.
            Event::Tick
                if self
                    .session
                    .as_ref()
                    .is_some_and(super::session::Session::needs_pumping) =>
            {
                Action::TakeRunEvents
            }
            Event::Tick => {
                let changed = self
                    .session
                    .as_mut()
                    .is_some_and(super::session::Session::tick);
                // The benchmark's clock runs while it measures.
                let measuring =
                    matches!(&self.overlay, Some(Overlay::Bench(bench)) if bench.measuring());
                if changed || measuring {
                    Action::Redraw
                } else {
                    Action::None
                }
            }
            Event::Terminate => Action::Quit,
            Event::Done(done) => self.done(done),
            Event::Key(_) => Action::None,
        };
        // A predicted run that has ended (and nothing laid over the screen)
        // shows its answer.
        self.check_prediction();
        action
    }

    fn key(&mut self, key: KeyEvent) -> Action {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Action::Quit;
        }
        if let Some(overlay) = self.overlay.take() {
            return self.overlay_key(overlay, key);
        }
        self.message = None;
        let Some(binding) = keymap::lookup(key, self.focus) else {
            return Action::None;
        };
        let page = (self.area.height / 2).max(1) as isize;
        match binding.command {
            Command::Quit => return Action::Quit,
            Command::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Command::Welcome => self.overlay = Some(Overlay::Welcome),
            Command::NextStep => return self.take_step(),
            Command::NextPane => self.cycle_focus(1),
            Command::PrevPane => self.cycle_focus(-1),
            Command::Notes => {
                self.show_notes = !self.show_notes;
                self.prepare_source();
            }
            Command::Instructor => {
                self.instructor = !self.instructor;
                self.prepare_source();
            }
            Command::Maximize => self.maximized = !self.maximized,
            Command::Presentation => {
                self.presenting = !self.presenting;
                if self.presenting && self.focus == Pane::List {
                    self.focus = Pane::Source;
                }
                self.layout_changed();
            }
            Command::Run => return self.run_selected(),
            Command::Compare => return self.compare_selected(),
            Command::Hint => {
                if let Row::Exercise(_, e) = self.row() {
                    return Action::SaveHint(self.exercises.show_next_hint(e));
                }
            }
            Command::Stop => return Action::Stop,
            Command::Freeze => return Action::Freeze,
            Command::Export => return Action::Export,
            Command::PastRuns => return Action::BrowseRuns,
            Command::Bench => return Action::Bench,
            Command::Up => self.move_by(-1),
            Command::Down => self.move_by(1),
            Command::PageUp => self.move_by(-page),
            Command::PageDown => self.move_by(page),
            Command::Top => self.move_by(isize::MIN / 2),
            Command::Bottom => self.move_by(isize::MAX / 2),
            Command::Right if self.focus == Pane::List => self.focus = Pane::Source,
            Command::Left if self.focus == Pane::Source => self.focus = Pane::List,
            Command::Chart => {
                if let Some(session) = &mut self.session {
                    let edge = session.edge();
                    session.view.key(key, &session.model.timeline, edge);
                }
            }
            Command::Left | Command::Right | Command::Doc => {}
        }
        Action::None
    }

    /// The run key: a demo whose question has not been answered asks it
    /// first; the answer (or a skip) then starts the run.
    pub(super) fn run_selected(&mut self) -> Action {
        if let Row::Demo(l, d) = self.row()
            && let Some(ask) = Ask::new(self.lessons, l, d)
            && !self.learner.answers.contains_key(&ask.key)
        {
            self.overlay = Some(Overlay::Ask(ask));
            return Action::None;
        }
        self.run_action()
    }

    /// The compare key: on a demo with a Python twin, compare them; else
    /// say which demos have one.
    pub(super) fn compare_selected(&mut self) -> Action {
        if let Row::Demo(l, d) = self.row() {
            let (lesson, demo) = (&self.lessons[l], &self.lessons[l].demos[d].name);
            if crate::compare::has_twin(lesson, demo) {
                return Action::Compare {
                    lesson: l,
                    demo: demo.clone(),
                };
            }
        }
        let twins: Vec<String> = self
            .lessons
            .iter()
            .flat_map(|l| {
                l.demos
                    .iter()
                    .filter(|d| crate::compare::has_twin(l, &d.name))
                    .map(|d| format!("{:02} {}", l.number, d.name))
            })
            .collect();
        self.message = Some(format!(
            "c compares a demo with its Python twin; select one of: {}",
            twins.join(", ")
        ));
        Action::Redraw
    }

    pub(super) fn run_action(&self) -> Action {
        match self.row() {
            Row::Lesson(lesson) => Action::Run { lesson, demo: None },
            Row::Exercise(_, e) => Action::Check(e),
            Row::Demo(lesson, d) => Action::Run {
                lesson,
                demo: Some(self.lessons[lesson].demos[d].name.clone()),
            },
        }
    }

    /// A run started: its demos are seen, and a prediction for another
    /// demo is dropped.
    pub fn started(&mut self, lesson: usize, demo: Option<&str>) {
        let lesson = &self.lessons[lesson];
        let demos: Vec<&str> = match demo {
            Some(demo) => vec![demo],
            None => lesson.demos.iter().map(|d| d.name.as_str()).collect(),
        };
        for demo in demos {
            let key = crate::questions::key(lesson.bin, demo);
            self.learner_changed |= self.learner.seen.insert(key);
        }
        if let Some(p) = &self.predicting
            && (p.lesson != lesson.bin || Some(p.demo.as_str()) != demo)
        {
            self.predicting = None;
        }
    }

    /// Up, down, a page or to an end, in whatever the focused pane shows.
    fn move_by(&mut self, delta: isize) {
        match self.focus {
            Pane::List => self.select(offset(self.selected, delta)),
            Pane::Source => self.scroll_source(delta),
            Pane::Output => {
                if let Some(session) = &mut self.session {
                    session.output.scroll(delta);
                }
            }
            Pane::Timeline => {}
        }
    }

    pub(super) fn cycle_focus(&mut self, step: isize) {
        let panes = self.panes();
        let at = panes.iter().position(|p| *p == self.focus).unwrap_or(0) as isize;
        let n = panes.len() as isize;
        self.focus = panes[(at + step).rem_euclid(n) as usize];
    }

    fn scroll_source(&mut self, delta: isize) {
        if let Row::Exercise(..) = self.row() {
            let max = match &self.exercises.file {
                Some((_, Ok(text))) => text.lines().count().saturating_sub(1),
                _ => 0,
            };
            self.source_scroll = offset(self.source_scroll, delta).min(max);
        } else if self.show_notes {
            let max = self.notes_rows().0.saturating_sub(1);
            self.notes_scroll = offset(self.notes_scroll, delta).min(max);
        } else {
            let max = self
                .lesson()
                .map_or(0, |l| l.source.lines().count().saturating_sub(1));
            self.source_scroll = offset(self.source_scroll, delta).min(max);
        }
    }

    fn mouse(&mut self, mouse: MouseEvent) -> Action {
        if self.overlay.is_some() {
            return Action::None;
        }
        let at = Position::new(mouse.column, mouse.row);
        let areas = self.areas();
        let Some((pane, rect)) = areas.pane_at(at) else {
            return Action::None;
        };
        let wheel: isize = match mouse.kind {
            MouseEventKind::ScrollDown => 3,
            MouseEventKind::ScrollUp => -3,
            MouseEventKind::Down(MouseButton::Left) => {
                self.focus = pane;
                return self.click(pane, rect, at);
            }
            _ => return Action::None,
        };
        match pane {
            Pane::List => self.select(offset(self.selected, wheel.signum())),
            Pane::Source => self.scroll_source(wheel),
            Pane::Timeline => {
                if let Some(session) = &mut self.session {
                    session.view.scroll_lanes(wheel.signum());
                }
            }
            Pane::Output => {
                if let Some(session) = &mut self.session {
                    session.output.scroll(wheel);
                }
            }
        }
        Action::None
    }

    fn click(&mut self, pane: Pane, rect: Rect, at: Position) -> Action {
        match pane {
            Pane::List => {
                // The list scrolls so that the selection stays in view; the
                // row under the mouse is counted from the same first row.
                let inner_top = rect.y + 1;
                if at.y >= inner_top {
                    let first = super::layout::list_first_row(
                        self.selected,
                        rect.height.saturating_sub(2) as usize,
                    );
                    self.select(first + (at.y - inner_top) as usize);
                }
            }
            Pane::Timeline => {
                if let Some(session) = &mut self.session {
                    let edge = session.edge();
                    session.view.click(rect, at, &session.model.timeline, edge);
                }
            }
            Pane::Source | Pane::Output => {}
        }
        Action::None
    }
}

/// `at + delta`, clamped at zero.
pub fn offset(at: usize, delta: isize) -> usize {
    at.saturating_add_signed(delta)
}
