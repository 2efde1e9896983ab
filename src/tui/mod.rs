//! The terminal app: pick a lesson, read its source and notes, run it and
//! watch its threads, tasks and processes on a live timeline.
//!
//! The loop owns the terminal and the side effects; [`app::App`] owns the
//! state and turns input into [`app::Action`]s; drawing ([`ui`]) only reads.
//! The loop is one inbox: receive an [`Event`] (a key, a signal, a run's
//! events, a background job's result), handle it ([`App::handle`]), perform
//! the action ([`perform`]), draw.
mod app;
pub mod bench_view;
mod chart;
mod exercise;
mod frame;
mod inbox;
mod jobs;
mod keymap;
mod layout;
pub mod learner;
pub mod measure;
mod notes;
mod output;
mod overlay;
mod path;
pub mod schedule;
mod session;
mod source;
mod store;
mod ui;

use app::STOPPING;
pub use app::{Action, App, Event};
pub use layout::Pane;
use overlay::Overlay;

use anyhow::Context;
use crossterm::event::{self as term, DisableMouseCapture, EnableMouseCapture};
use ratatui::DefaultTerminal;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How long the loop sleeps waiting for input when nothing runs.
const IDLE_TICK: Duration = Duration::from_millis(250);

/// Opens the app; `build`: build each lesson with cargo before it runs.
pub fn run(build: bool) -> anyhow::Result<ExitCode> {
    // One channel for everything: keys, mouse and resizes (the input
    // thread), signals (the signal thread), and what every background job
    // finishes ([`jobs`]), a run's events included.
    let (tx, events) = mpsc::channel();
    let jobs = jobs::Jobs::new(tx.clone());
    watch_signals(tx.clone()).context("cannot watch for SIGTERM")?;
    ratatui::run(|terminal| {
        // ratatui's panic hook restores raw mode and the screen; mouse
        // capture is ours to undo, before that hook runs.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
            hook(info);
        }));
        crossterm::execute!(std::io::stdout(), EnableMouseCapture)?;
        read_input(tx)?;
        let (learner, notice) = learner::Learner::load();
        let progress = crate::exercises::progress();
        let mut app = App::resume(crate::catalog::lessons(), learner, progress);
        app.build = build;
        if notice.is_some() {
            app.message = notice;
        }
        jobs.highlight(app.highlight_order());
        let result = event_loop(terminal, &mut app, &events, &jobs);
        // Where the learner was, to resume there.
        app.learner.resume = Some(app.place());
        let _ = app.learner.save();
        // Stop the run (and reap it) while the screen still belongs to us,
        // and any exercise check still building or running.
        drop(app);
        crate::exercises::stop_checks();
        let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
        result
    })?;
    Ok(ExitCode::SUCCESS)
}

/// SIGINT, SIGTERM, SIGHUP and SIGQUIT (sent from outside: in raw mode the
/// keys do not raise them) become [`Event::Terminate`]: the loop quits the
/// normal way, stopping the run and restoring the terminal. If it is stuck,
/// this thread stops every child tree, restores the terminal itself after a
/// grace period and exits.
fn watch_signals(tx: Sender<Event>) -> std::io::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new(supervisor::signals::ENDING)?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let _ = tx.send(Event::Terminate);
                std::thread::sleep(Duration::from_secs(3));
                supervisor::stop_all();
                let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
                ratatui::restore();
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}

/// Terminal input on a thread of its own, so the loop never blocks in
/// crossterm (which spins inside `read` once the terminal has hung up).
fn read_input(tx: Sender<Event>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("input".into())
        .spawn(move || {
            loop {
                let event = match term::read() {
                    Ok(term::Event::Key(key)) => Event::Key(key),
                    Ok(term::Event::Mouse(mouse)) => Event::Mouse(mouse),
                    Ok(term::Event::Resize(w, h)) => Event::Resize(w, h),
                    Ok(_) => continue,
                    Err(_) => Event::Terminate,
                };
                let last = matches!(event, Event::Terminate);
                if tx.send(event).is_err() || last {
                    return;
                }
            }
        })?;
    Ok(())
}

/// Redraw at most this often while events stream in, so a flood of events
/// costs a bounded number of frames and the chart stays within ~50 ms.
const FRAME: Duration = Duration::from_millis(30);
/// How long one turn of the loop may spend handling what is waiting before
/// it draws.
const TURN_BUDGET: Duration = Duration::from_millis(25);

/// Receive, handle, perform, draw. The loop sleeps on the inbox alone; the
/// tick only moves clocks and notices a run gone quiet.
fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    events: &Receiver<Event>,
    jobs: &jobs::Jobs,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    app.handle(Event::Resize(size.width, size.height));
    for action in std::mem::take(&mut app.queued) {
        perform(app, action, jobs);
    }
    terminal.draw(|frame| frame.render_widget(&*app, frame.area()))?;
    let mut last_draw = Instant::now();
    let mut last_tick = Instant::now();
    let mut dirty = false;
    loop {
        // Sleep until something arrives, a frame is due, or the tick.
        let wait = if dirty {
            FRAME.saturating_sub(last_draw.elapsed())
        } else {
            IDLE_TICK.saturating_sub(last_tick.elapsed())
        };
        let mut next = match events.recv_timeout(wait) {
            Ok(event) => Some(event),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        // Handle what is waiting, within the turn's budget, then draw once.
        let turn = Instant::now();
        let mut input = false;
        while let Some(event) = next {
            input |= matches!(event, Event::Key(_) | Event::Mouse(_) | Event::Resize(..));
            let action = app.handle(event);
            if action == Action::Quit {
                return Ok(());
            }
            dirty |= action != Action::None || input;
            perform(app, action, jobs);
            for action in std::mem::take(&mut app.queued) {
                perform(app, action, jobs);
            }
            next = if turn.elapsed() < TURN_BUDGET {
                events.try_recv().ok()
            } else {
                None
            };
        }
        if app.learner_changed {
            app.learner_changed = false;
            if let Err(err) = app.learner.save() {
                app.message = Some(format!("warning: your progress is not saved: {err:#}"));
            }
            dirty = true;
        }
        if last_tick.elapsed() >= IDLE_TICK {
            last_tick = Instant::now();
            dirty |= app.handle(Event::Tick) != Action::None;
        }
        if input || (dirty && last_draw.elapsed() >= FRAME) {
            terminal.draw(|frame| frame.render_widget(&*app, frame.area()))?;
            last_draw = Instant::now();
            dirty = false;
        }
    }
}

/// Carries out what input asked for: the side effects live here, and the
/// jobs it starts post to the inbox.
fn perform(app: &mut App, action: Action, jobs: &jobs::Jobs) {
    match action {
        Action::None | Action::Redraw | Action::Quit => {}
        Action::Run { lesson, demo } => {
            // The old run is stopped and reaped before the new one starts:
            // dropping a session kills its process group and waits for it.
            app.session = None;
            // A past run still being opened would replace this one.
            app.opening = None;
            app.started(lesson, demo.as_deref());
            let lesson = &app.lessons[lesson];
            let started = session::Session::start(lesson, demo, app.build);
            // Old runs go on a thread of their own; the inbox says what went.
            if let Some(dir) = started.recording_dir() {
                jobs.prune(dir.to_path_buf());
            }
            show_run(app, started, jobs);
        }
        Action::Stop => match &app.session {
            Some(session) if session.is_live() => {
                session.stop();
                app.message = Some(STOPPING.into());
            }
            _ => app.message = Some("nothing is running".into()),
        },
        Action::Freeze => {
            app.message = Some(match &app.session {
                Some(session) => session.toggle_freeze(),
                None => "nothing is running".into(),
            });
        }
        Action::Export => app.message = Some(export(app)),
        Action::Compare { lesson, demo } => {
            // Like a run: the old one is stopped and reaped first.
            app.session = None;
            app.opening = None;
            let lesson = &app.lessons[lesson];
            let run = crate::compare::live::start(lesson, &demo, app.build);
            let mut session = session::Session::from_run(&format!("compare {}", lesson.bin), run);
            session.demo = Some(demo);
            show_run(app, session, jobs);
        }
        Action::Check(index) => {
            let (message, check) = app.exercises.check(index, jobs.checked());
            app.message = Some(message);
            if let Some(run) = check {
                // The check's processes on the timeline, like a lesson's run.
                let name = app.exercises.list[index].name;
                app.session = None;
                app.opening = None;
                let focus = app.focus;
                show_run(app, session::Session::from_run(name, run), jobs);
                app.focus = focus;
            }
        }
        Action::BrowseRuns => jobs.list_runs(),
        Action::Bench => {
            // Any earlier measuring is stopped (its processes killed) first.
            app.overlay = None;
            app.overlay = Some(Overlay::Bench(Box::new(jobs.bench())));
        }
        Action::CloseBench => app.overlay = None,
        Action::OpenRun(dir) => {
            // Read on a thread of its own; its progress and then the run
            // arrive in the inbox.
            app.opening = Some(jobs.open_run(dir));
            app.message = Some(session::Loading::describe(0, 0));
        }
        Action::ReadExercise { index, seq } => jobs.read_exercise(index, seq),
        Action::SaveHint(name) => exercise::save_hint(name),
        Action::TakeRunEvents => {
            let Some(session) = &mut app.session else {
                return;
            };
            if session.take_rung(session::PUMP_BUDGET) {
                // More may wait: after whatever else is in the inbox.
                jobs.more_run_events();
            }
            app.took_run_events();
        }
        Action::ShowReplay => {
            if let Some(replayed) = app.replayed.take() {
                // The run on screen is stopped and reaped first.
                app.session = None;
                app.show_replay(replayed);
            }
        }
    }
}

/// Puts a run on screen, its events ringing the inbox.
fn show_run(app: &mut App, mut session: session::Session, jobs: &jobs::Jobs) {
    if let Some(why) = jobs.ring(&mut session) {
        app.message = Some(why);
    }
    app.session = Some(session);
    app.layout_changed();
    app.focus = Pane::Timeline;
}

/// Writes the run on screen as Perfetto JSON (the same exporter as
/// `workbook trace`) and says where.
fn export(app: &App) -> String {
    let Some(session) = &app.session else {
        return "nothing to export: run a lesson first (r)".into();
    };
    let json = crate::views::perfetto::export(&session.timeline);
    let mut name = session.lesson.clone();
    if let Some(demo) = &session.demo {
        name.push('-');
        name.push_str(demo);
    }
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let file = format!("{name}-{stamp}.trace.json");
    let text = match serde_json::to_vec(&json) {
        Ok(text) => text,
        Err(err) => return format!("export failed: {err}"),
    };
    // The current folder first (where a learner looks); the data folder if
    // that is not writable.
    let mut tried = Vec::new();
    let candidates = [std::env::current_dir().ok(), store::runs_dir()];
    for dir in candidates.into_iter().flatten() {
        let path = dir.join(&file);
        match std::fs::write(&path, &text) {
            Ok(()) => {
                let path = std::fs::canonicalize(&path).unwrap_or(path);
                return format!("wrote {} · open it in ui.perfetto.dev", path.display());
            }
            Err(err) => tried.push(format!("{}: {err}", dir.display())),
        }
    }
    format!("export failed: {}", tried.join("; "))
}

#[cfg(test)]
mod tests;
