//! The terminal app: pick a lesson, read its source and notes, run it and
//! watch its threads, tasks and processes on a live timeline.
//!
//! The loop owns the terminal and the side effects; [`app::App`] owns the
//! state and turns input into [`app::Action`]s; drawing ([`ui`]) only reads.
mod app;
mod notes;
mod source;
mod ui;

pub use app::{Action, App, Event, Pane};

use anyhow::Context;
use crossterm::event::{self as term, DisableMouseCapture, EnableMouseCapture};
use ratatui::DefaultTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long the loop sleeps waiting for input when nothing runs.
const IDLE_TICK: Duration = Duration::from_millis(250);

pub fn run() -> anyhow::Result<ExitCode> {
    let terminate = watch_signals().context("cannot watch for SIGTERM")?;
    ratatui::run(|terminal| {
        // ratatui's panic hook restores raw mode and the screen; mouse
        // capture is ours to undo, before that hook runs.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
            hook(info);
        }));
        crossterm::execute!(std::io::stdout(), EnableMouseCapture)?;
        let mut app = App::new(crate::catalog::lessons());
        let result = event_loop(terminal, &mut app, &terminate);
        // Stop the run (and reap it) while the screen still belongs to us.
        drop(app);
        let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
        result
    })?;
    Ok(ExitCode::SUCCESS)
}

/// SIGTERM and SIGHUP set a flag the loop polls at least every
/// [`IDLE_TICK`]; it then quits the normal way, stopping the run and
/// restoring the terminal. If the loop is stuck, the watcher restores the
/// terminal itself after a grace period and exits.
fn watch_signals() -> std::io::Result<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let flag = Arc::new(AtomicBool::new(false));
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    let seen = flag.clone();
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                seen.store(true, Ordering::SeqCst);
                std::thread::sleep(Duration::from_secs(3));
                let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
                ratatui::restore();
                std::process::exit(128 + signal);
            }
        })?;
    Ok(flag)
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    terminate: &AtomicBool,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    app.area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
    terminal.draw(|frame| frame.render_widget(&*app, frame.area()))?;
    loop {
        if terminate.load(Ordering::SeqCst) {
            return Ok(());
        }
        let mut dirty = false;
        if term::poll(IDLE_TICK)? {
            // Take everything that is waiting, then draw once.
            loop {
                let event = match term::read()? {
                    term::Event::Key(key) => Event::Key(key),
                    term::Event::Mouse(mouse) => Event::Mouse(mouse),
                    term::Event::Resize(w, h) => Event::Resize(w, h),
                    _ => Event::Tick,
                };
                match app.handle(&event) {
                    Action::Quit => return Ok(()),
                    action => perform(app, action),
                }
                dirty = true;
                if !term::poll(Duration::ZERO)? {
                    break;
                }
            }
        } else {
            dirty |= !matches!(app.handle(&Event::Tick), Action::None);
        }
        if dirty {
            let started = Instant::now();
            terminal.draw(|frame| frame.render_widget(&*app, frame.area()))?;
            let _ = started;
        }
    }
}

fn perform(app: &mut App, action: Action) {
    match action {
        Action::None | Action::Quit => {}
        Action::Run { .. }
        | Action::Stop
        | Action::Export
        | Action::BrowseRuns
        | Action::OpenRun(_) => {
            app.message = Some("running lessons is being written".into());
        }
    }
}

#[cfg(test)]
mod tests;
