//! The learner's path in the app: the welcome, demos marked as run, the
//! next-step key, questions before a run and answers after, resuming, and
//! the presentation layout. Snapshots of what the learner sees.
use super::super::tests::{draw, fixture, key};
use super::Step;
use crate::exercises::Progress;
use crate::tui::app::{Action, App, Row};
use crate::tui::layout::Pane;
use crate::tui::learner::{Learner, Place};
use crate::tui::overlay::Overlay;
use crate::tui::{output, session};
use crossterm::event::KeyCode;

fn first_start() -> App {
    App::resume(fixture(), Learner::default(), Progress::default())
}

#[test]
fn the_first_start_shows_the_welcome_and_any_key_begins_at_the_first_demo() {
    let mut app = first_start();
    assert!(matches!(app.overlay, Some(Overlay::Welcome)));
    insta::assert_snapshot!(draw(&mut app, 100, 30).backend());
    assert_eq!(
        key(&mut app, KeyCode::Char('x')),
        Action::None,
        "the key only closes it"
    );
    assert!(app.overlay.is_none());
    assert!(app.learner.welcomed && app.learner_changed, "remembered");
    assert_eq!(app.row(), Row::Demo(0, 0));
    assert!(app.show_notes);
    // Once welcomed, a restart does not show it; `w` does.
    let mut again = App::resume(fixture(), app.learner.clone(), Progress::default());
    assert!(again.overlay.is_none());
    key(&mut again, KeyCode::Char('w'));
    assert!(matches!(again.overlay, Some(Overlay::Welcome)));
}

#[test]
fn the_next_step_walks_notes_run_next_demo_then_the_next_lesson() {
    let mut app = App::new(fixture());
    let mut said = Vec::new();
    for _ in 0..12 {
        let (step, words) = app.next_step();
        said.push(words);
        if step == Step::End {
            break;
        }
        match key(&mut app, KeyCode::Char('s')) {
            // The question is skipped; the run starts and marks the demo.
            Action::None if matches!(app.overlay, Some(Overlay::Ask(_))) => {
                let action = key(&mut app, KeyCode::Esc);
                let Action::Run { lesson, demo } = action else {
                    panic!("Esc on a question runs the demo: {action:?}");
                };
                app.started(lesson, demo.as_deref());
            }
            Action::Run { lesson, demo } => app.started(lesson, demo.as_deref()),
            _ => {}
        }
    }
    assert_eq!(
        said,
        [
            "lesson 09: spawn_join",
            "run spawn_join",
            "next demo: scoped",
            "run scoped",
            "lesson 10: spawn_join",
            "run spawn_join",
            "next demo: scoped",
            "run scoped",
            "the end of the path",
        ]
    );
    assert_eq!(app.demos_seen(0), (2, 2));
    assert!(app.learner.seen.contains("09/spawn_join"));
}

#[test]
fn a_question_is_asked_before_the_run_and_the_measured_answer_shown_after() {
    let mut app = App::new(fixture());
    key(&mut app, KeyCode::Down);
    assert_eq!(
        key(&mut app, KeyCode::Char('r')),
        Action::None,
        "asks first"
    );
    insta::assert_snapshot!("question_before_the_run", draw(&mut app, 100, 30).backend());
    let action = key(&mut app, KeyCode::Char('1'));
    assert_eq!(
        action,
        Action::Run {
            lesson: 0,
            demo: Some("spawn_join".into())
        }
    );
    assert_eq!(
        app.learner.answers["09/spawn_join"].picked.as_deref(),
        Some("45")
    );
    app.started(0, Some("spawn_join"));
    // The run, as the loop would have pumped it, ended.
    let mut session =
        session::Session::from_timeline("09_example", crate::tui::chart::tests::two_threads());
    session.demo = Some("spawn_join".into());
    session.output.push(1, output::Kind::Stdout, "sum = 55");
    session.phase = session::Phase::Ended {
        text: "exited normally".into(),
        ok: true,
    };
    app.session = Some(session);
    app.check_prediction();
    assert!(matches!(app.overlay, Some(Overlay::Reveal(_))));
    insta::assert_snapshot!("answer_after_the_run", draw(&mut app, 100, 30).backend());
    let kept = &app.learner.answers["09/spawn_join"];
    assert_eq!(kept.measured.as_deref(), Some("55"));
    assert_eq!(kept.measured_choice.as_deref(), Some("55"));
    // Answered: running it again does not ask.
    key(&mut app, KeyCode::Esc);
    app.focus = Pane::List;
    assert!(matches!(
        key(&mut app, KeyCode::Char('r')),
        Action::Run { .. }
    ));
}

#[test]
fn reopening_resumes_at_the_same_demo_pane_and_notes() {
    let mut app = App::new(fixture());
    for _ in 0..4 {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Tab);
    let place = app.place();
    assert_eq!(
        place,
        Place {
            lesson: "10_more".into(),
            demo: Some("spawn_join".into()),
            exercise: None,
            pane: "source".into(),
            notes: true,
        }
    );
    let learner = Learner {
        welcomed: true,
        resume: Some(place),
        ..Learner::default()
    };
    let reopened = App::resume(fixture(), learner, Progress::default());
    assert_eq!(reopened.row(), Row::Demo(1, 0));
    assert_eq!(reopened.focus, Pane::Source);
    assert!(reopened.show_notes);
}

#[test]
fn presentation_hides_the_list_and_gives_the_timeline_the_screen() {
    let mut app = App::new(fixture());
    app.session = Some(session::Session::from_timeline(
        "09_example",
        crate::tui::chart::tests::two_threads(),
    ));
    key(&mut app, KeyCode::Char('p'));
    let areas = app
        .screen()
        .areas(ratatui::layout::Rect::new(0, 0, 100, 30));
    assert!(areas.list.is_empty());
    assert_eq!(areas.main.width, 100);
    assert!(areas.timeline.height >= 10, "{areas:?}");
    let terminal = draw(&mut app, 100, 30);
    let gray = terminal
        .backend()
        .buffer()
        .content
        .iter()
        .filter(|c| c.fg == ratatui::style::Color::DarkGray)
        .count();
    assert_eq!(gray, 0, "no dark grey on a projector");
    insta::assert_snapshot!(terminal.backend());
}
