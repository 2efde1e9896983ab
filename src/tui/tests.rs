//! The whole app drawn on a `TestBackend`, snapshotted with insta. The
//! lessons here are a fixture, so the snapshots do not change whenever a
//! real lesson is edited.
use super::*;
use crate::catalog::{DemoInfo, Lesson};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

pub(super) fn fixture() -> &'static [Lesson] {
    let demo = |name: &str, covers: &str, minutes| DemoInfo {
        name: name.into(),
        covers: covers.into(),
        minutes,
        text: String::new(),
    };
    let mut spawn_join = demo("spawn_join", "T1", 4);
    spawn_join.text = QUESTION.into();
    let lesson = Lesson {
        bin: "09_example",
        number: 9,
        title: "Example lesson".into(),
        summary: "Threads start, run, and are joined.".into(),
        covers: vec!["T1".into(), "T2".into()],
        demos: vec![spawn_join, demo("scoped", "T2", 6)],
        notes: include_str!("testdata/09_example.md"),
        source: include_str!("testdata/09_example.rs"),
    };
    let mut second = lesson.clone();
    second.bin = "10_more";
    second.number = 10;
    second.title = "More".into();
    Box::leak(vec![lesson, second].into_boxed_slice())
}

/// The fixture's question, on `spawn_join`.
pub(super) const QUESTION: &str = "A thread sums 1..=10.\n\n\
**Predict:** What sum does the worker print?\n\
- 45 · `= 45`\n\
- 55 · `= 55`\n\
\n\
**Measured:** `sum = (\\d+)` in the output. 1 + 2 + ... + 10 is 55.\n";

pub(super) fn key(app: &mut App, code: KeyCode) -> Action {
    app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub(super) fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    app.handle(Event::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| frame.render_widget(&*app, frame.area()))
        .unwrap();
    terminal
}

#[test]
fn list_and_source() {
    let mut app = App::new(fixture());
    key(&mut app, KeyCode::Down);
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn notes_in_the_instructor_view() {
    let mut app = App::new(fixture());
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Char('i'));
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn help() {
    let mut app = App::new(fixture());
    key(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
    key(&mut app, KeyCode::Char('j'));
    assert!(app.overlay.is_some(), "↑↓ and j k scroll the help");
    assert_eq!(key(&mut app, KeyCode::Char('x')), Action::None);
    assert!(app.overlay.is_none(), "any other key closes help");
}

/// The rows inside the popup's double border, as text.
fn popup_rows(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .filter_map(|y| {
            let row: String = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect();
            let (_, inside) = row.split_once('║')?;
            Some(inside.rsplit_once('║')?.0.to_string())
        })
        .collect()
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every help entry, its keys and all of what it does, shows whole on
/// screen: at once on a large terminal, by scrolling on the smallest.
#[test]
fn every_help_entry_shows_whole() {
    for (width, height, scrolling) in [(120, 40, false), (100, 30, true), (80, 24, true)] {
        let mut app = App::new(fixture());
        key(&mut app, KeyCode::Char('?'));
        let mut seen = String::new();
        for _ in 0..40 {
            let terminal = draw(&mut app, width, height);
            seen.push_str(&words(&popup_rows(&terminal).join(" ")));
            seen.push_str(" | ");
            if !scrolling {
                break;
            }
            key(&mut app, KeyCode::Down);
        }
        for binding in keymap::BINDINGS {
            let entry = words(&format!("{} {}", binding.label, binding.help));
            assert!(
                seen.split(" | ").any(|screen| screen.contains(&entry)),
                "at {width}x{height} the help never shows whole: {entry}"
            );
        }
    }
}

/// The help ends with what the ids beside the demos mean, shown whole
/// when scrolled to on the smallest terminal.
#[test]
fn the_help_explains_the_ids() {
    let mut app = App::new(fixture());
    key(&mut app, KeyCode::Char('?'));
    let legend = words(&format!("T5, S9 {}", crate::catalog::IDS_LEGEND));
    let mut shown = false;
    for _ in 0..60 {
        let terminal = draw(&mut app, 80, 24);
        shown |= words(&popup_rows(&terminal).join(" ")).contains(&legend);
        key(&mut app, KeyCode::Down);
    }
    assert!(shown, "the ids legend never shows whole in the help");
}

#[test]
fn too_small() {
    let mut app = App::new(fixture());
    insta::assert_snapshot!(draw(&mut app, 60, 12).backend());
}

#[test]
fn selecting_a_demo_marks_its_lines_and_scrolls_to_them() {
    let mut app = App::new(fixture());
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.demo_range(), Some(14..25));
    assert_eq!(app.source_scroll, 13);
}

#[test]
fn run_keys_name_the_lesson_or_the_demo() {
    let mut app = App::new(fixture());
    assert_eq!(
        key(&mut app, KeyCode::Char('r')),
        Action::Run {
            lesson: 0,
            demo: None
        }
    );
    key(&mut app, KeyCode::Down);
    // spawn_join has a question: asked first, Esc skips it and runs.
    assert_eq!(key(&mut app, KeyCode::Enter), Action::None);
    assert_eq!(
        key(&mut app, KeyCode::Esc),
        Action::Run {
            lesson: 0,
            demo: Some("spawn_join".into())
        }
    );
    assert_eq!(key(&mut app, KeyCode::Char('q')), Action::Quit);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(app.handle(Event::Key(ctrl_c)), Action::Quit);
}

#[test]
fn a_click_selects_the_row_under_the_mouse() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = App::new(fixture());
    draw(&mut app, 100, 30);
    // Row 0 is the border; rows 1.. are the list: lesson, demo, demo, lesson.
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 5,
        row: 4,
        modifiers: KeyModifiers::NONE,
    };
    app.handle(Event::Mouse(click));
    assert_eq!(app.row(), app::Row::Lesson(1));
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 50,
        row: 5,
        modifiers: KeyModifiers::NONE,
    };
    app.handle(Event::Mouse(wheel));
    assert_eq!(app.source_scroll, 3);
}

fn with_run() -> App {
    with_run_of(super::chart::tests::two_threads())
}

/// The fixture's app showing a run of `spawn_join` that recorded `timeline`.
fn with_run_of(timeline: crate::timeline::Timeline) -> App {
    let mut app = App::new(fixture());
    let mut session = session::Session::from_timeline("09_example", timeline);
    session.demo = Some("spawn_join".into());
    session.output.push(
        0,
        output::Kind::Note,
        "▶ 09_example --demo spawn_join started (pid 7)",
    );
    session.output.push(1, output::Kind::Stdout, "sum = 55");
    session
        .output
        .push(2, output::Kind::Stderr, "a warning on stderr");
    app.session = Some(session);
    app.focus = Pane::Timeline;
    app
}

#[test]
fn a_run_with_its_timeline() {
    let mut app = with_run();
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char(']'));
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
}

#[test]
fn tab_reaches_the_run_panes_and_m_maximizes() {
    let mut app = with_run();
    app.focus = Pane::List;
    let mut seen = vec![];
    for _ in 0..4 {
        key(&mut app, KeyCode::Tab);
        seen.push(app.focus);
    }
    assert_eq!(
        seen,
        [Pane::Source, Pane::Timeline, Pane::Output, Pane::List]
    );
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('m'));
    let areas = app.screen().areas(Rect::new(0, 0, 100, 30));
    assert_eq!(areas.timeline, Rect::new(0, 0, 100, 29));
    assert!(areas.list.is_empty());
}

/// The past-runs popup is as wide as its longest line: no run's outcome is
/// cut at 100 columns.
#[test]
fn past_runs_show_whole_lines() {
    let mut app = App::new(fixture());
    let meta = |demo: Option<&str>, outcome: &str| store::Meta {
        lesson: "04_synchronization".into(),
        demo: demo.map(str::to_string),
        started_unix_ms: 1_795_305_552_000,
        outcome: Some(outcome.into()),
        spans: 1234,
        duration_ns: 1_500_000_000,
        ..store::Meta::default()
    };
    app.overlay = Some(overlay::Overlay::PastRuns(store::Browser {
        runs: vec![
            (
                "a".into(),
                meta(Some("lost_update"), "exited normally (code 0)"),
            ),
            ("b".into(), meta(None, "stopped")),
        ],
        selected: 0,
    }));
    let terminal = draw(&mut app, 100, 30);
    let rows = popup_rows(&terminal);
    assert!(
        rows.iter()
            .any(|r| r.contains("04 lost_update") && r.contains("exited normally (code 0)")),
        "{rows:#?}"
    );
}

/// Opening a past run does not read it on the loop's thread: the action
/// returns at once with progress in the footer, the progress moves, and the
/// replayed run arrives as a message.
#[test]
fn a_past_run_opens_in_the_background_with_progress() {
    use crate::runner::{Outcome, RunEvent};
    let root = tempfile::tempdir().unwrap();
    let mut recorder =
        crate::run::store::Recorder::create_in(root.path(), "09_example", None).unwrap();
    recorder.record(0, &RunEvent::Started { pid: 7 });
    // About 3 MB of output: progress is posted every MiB read.
    let line = "x".repeat(300);
    for i in 0..10_000u64 {
        recorder.record(i + 1, &RunEvent::Stdout(format!("{i} {line}")));
    }
    recorder.record(20_000, &RunEvent::Exited(Outcome::Code(0)));
    recorder.finish(Some("exited normally (code 0)".into()), 0, 20_000);
    let dir = recorder.dir.clone();
    drop(recorder);
    let mut app = App::new(fixture());
    app.overlay = Some(overlay::Overlay::PastRuns(store::Browser {
        runs: vec![(dir.clone(), crate::run::store::read_meta(&dir).unwrap())],
        selected: 0,
    }));
    assert_eq!(key(&mut app, KeyCode::Enter), Action::OpenRun(dir.clone()));
    assert!(app.overlay.is_none(), "opening a run closes the list");
    let (tx, inbox) = std::sync::mpsc::channel();
    let jobs = jobs::Jobs::new(tx);
    perform(&mut app, Action::OpenRun(dir.clone()), &jobs);
    assert!(app.session.is_none() && app.opening.is_some());
    assert_eq!(
        app.message.as_deref(),
        Some("opening the run: 0% (0 of 0 MB read)")
    );
    // What the loop does: take what the job posts to the inbox. A generous
    // deadline that only catches a hang.
    let mut progress = Vec::new();
    while app.opening.is_some() {
        let event = inbox
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the run never opened");
        assert!(matches!(event, Event::Done(_)), "{event:?}");
        let action = app.handle(event);
        perform(&mut app, action, &jobs);
        if app.opening.is_some() {
            progress.extend(app.message.clone());
        }
    }
    assert!(
        progress
            .iter()
            .any(|m| m.starts_with("opening the run: ") && !m.contains(": 100%")),
        "no progress short of the end was shown: {progress:?}"
    );
    let session = app.session.as_ref().expect("the replayed session");
    assert_eq!(session.replay.as_deref(), Some(dir.as_path()));
    assert_eq!(session.phase_text(), "exited normally (code 0)");
    assert!(
        session
            .output
            .window(usize::MAX, None)
            .any(|l| l.text.starts_with("9999 ")),
        "the last output line was not replayed"
    );
    assert!(app.message.as_deref().unwrap().starts_with("replaying "));
}

/// The Benchmark view is an overlay: it takes the keys while it is up.
#[test]
fn b_opens_the_view_over_the_app_and_esc_or_b_closes_it() {
    use bench_view::tests::figures;
    use bench_view::{BenchView, Speedups};
    let mut app = App::new(fixture());
    assert_eq!(key(&mut app, KeyCode::Char('b')), Action::Bench);
    // What the loop does for Action::Bench, without measuring.
    app.overlay = Some(overlay::Overlay::Bench(Box::new(BenchView::finished(Ok(
        Speedups::from_figures(&figures()).unwrap(),
    )))));
    let screen = format!("{:?}", draw(&mut app, 120, 40).backend());
    assert!(screen.contains("Benchmark: CPU-bound speedup"), "{screen}");
    assert_eq!(key(&mut app, KeyCode::Char('j')), Action::None);
    assert_eq!(key(&mut app, KeyCode::Char('r')), Action::Bench);
    assert_eq!(key(&mut app, KeyCode::Esc), Action::CloseBench);
    assert_eq!(key(&mut app, KeyCode::Char('b')), Action::CloseBench);
    assert_eq!(key(&mut app, KeyCode::Char('q')), Action::Quit);
}

/// A job the app called off (a past run being opened, then another run
/// started) stops posting, and what it posted before is not taken for the
/// new one's.
#[test]
fn a_called_off_opening_is_ignored() {
    let mut app = App::new(fixture());
    let (ticket, stub) = inbox::Ticket::new();
    app.opening = Some(ticket);
    app.opening = None;
    assert!(!stub.wanted(), "the job sees it is called off");
    let late = app::Done::Opening(stub.id, session::Loading::Progress { read: 1, total: 2 });
    assert_eq!(app.handle(Event::Done(late)), Action::None);
    assert_eq!(app.message, None);
}

mod legend;
