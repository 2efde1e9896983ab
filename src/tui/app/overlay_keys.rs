//! The keys of what is laid over the screen ([`Overlay`]): it takes every
//! key while it is up, and a key either keeps it (scrolled, moved) or
//! closes it. Also the question's life: asked, predicted, revealed.
use super::{Action, App, Row};
use crate::tui::keymap::overlays::{ASK, BENCH, Do, HELP, PAST_RUNS, REVEAL, WELCOME};
use crate::tui::learner::Answer;
use crate::tui::overlay::{Ask, Overlay, Prediction, Reveal};
use crossterm::event::{KeyCode, KeyEvent};

impl App {
    pub(in crate::tui) fn overlay_key(&mut self, overlay: Overlay, key: KeyEvent) -> Action {
        let code = key.code;
        match overlay {
            Overlay::Welcome => {
                // Any key: the welcome is seen. Start where it said: lesson
                // 01's first demo, with its notes.
                self.learner.welcomed = true;
                self.learner_changed = true;
                if let Some(first) = self.rows.iter().position(|r| matches!(r, Row::Demo(..))) {
                    self.show_notes = true;
                    self.selected = first;
                    self.prepare_source();
                }
                if WELCOME.lookup(code) == Do::Quit {
                    return Action::Quit;
                }
            }
            Overlay::Help { scroll } => {
                let scroll = match HELP.lookup(code) {
                    Do::Down => scroll + 1,
                    Do::Up => scroll.saturating_sub(1),
                    Do::PageDown => scroll + 10,
                    Do::PageUp => scroll.saturating_sub(10),
                    Do::Quit => return Action::Quit,
                    _ => return Action::None,
                };
                self.overlay = Some(Overlay::Help { scroll });
            }
            Overlay::Ask(mut ask) => {
                let n = ask.question.choices.len();
                // Besides the table's keys, a choice's number or letter.
                let picked = match code {
                    KeyCode::Char(c @ '1'..='9') => Some(c as usize - '1' as usize),
                    KeyCode::Char(c @ 'a'..='i') => Some(c as usize - 'a' as usize),
                    _ => None,
                };
                if let Some(pick) = picked.filter(|&p| p < n) {
                    return self.predict(ask, Some(pick));
                }
                match ASK.lookup(code) {
                    Do::Choose => {
                        let pick = ask.cursor;
                        return self.predict(ask, Some(pick));
                    }
                    Do::Skip => return self.predict(ask, None),
                    Do::Down => ask.cursor = (ask.cursor + 1).min(n - 1),
                    Do::Up => ask.cursor = ask.cursor.saturating_sub(1),
                    _ => {}
                }
                self.overlay = Some(Overlay::Ask(ask));
            }
            Overlay::Reveal(reveal) => match REVEAL.lookup(code) {
                Do::Quit => return Action::Quit,
                // The notes explain the answer: open them at this demo.
                Do::Notes => {
                    self.show_notes = true;
                    self.prepare_source();
                }
                Do::Stay => self.overlay = Some(Overlay::Reveal(reveal)),
                _ => {}
            },
            Overlay::PastRuns(mut browser) => {
                match PAST_RUNS.lookup(code) {
                    Do::Close => return Action::None,
                    Do::Down => {
                        browser.selected =
                            (browser.selected + 1).min(browser.runs.len().saturating_sub(1));
                    }
                    Do::Up => browser.selected = browser.selected.saturating_sub(1),
                    Do::Choose if !browser.runs.is_empty() => {
                        let chosen = browser.selected.min(browser.runs.len() - 1);
                        return Action::OpenRun(browser.runs.swap_remove(chosen).0);
                    }
                    _ => {}
                }
                self.overlay = Some(Overlay::PastRuns(browser));
            }
            // The view stays up until the loop closes it: closing stops the
            // measuring's processes, a side effect the loop carries out.
            Overlay::Bench(bench) => {
                self.overlay = Some(Overlay::Bench(bench));
                return match BENCH.lookup(code) {
                    Do::Close => Action::CloseBench,
                    Do::Again => Action::Bench,
                    Do::Quit => Action::Quit,
                    _ => Action::None,
                };
            }
        }
        Action::None
    }

    /// The learner picked (or skipped): keep it, and run the demo.
    fn predict(&mut self, ask: Ask, picked: Option<usize>) -> Action {
        let label = picked.map(|i| ask.question.choices[i].label.clone());
        self.learner.answers.insert(
            ask.key.clone(),
            Answer {
                picked: label,
                ..Answer::default()
            },
        );
        self.learner_changed = true;
        let lesson = &self.lessons[ask.lesson];
        let demo = lesson.demos[ask.demo].name.clone();
        self.predicting = Some(Prediction {
            lesson: lesson.bin,
            demo: demo.clone(),
            key: ask.key,
            question: ask.question,
            picked,
        });
        Action::Run {
            lesson: ask.lesson,
            demo: Some(demo),
        }
    }

    /// Once the predicted run has ended: read its answer from the output,
    /// keep it, and show it beside the pick.
    pub fn check_prediction(&mut self) {
        let Some(session) = &self.session else { return };
        let Some(p) = &self.predicting else { return };
        let ours = session.lesson == p.lesson && session.demo.as_deref() == Some(&p.demo);
        if !ours || session.is_live() || session.replay.is_some() || self.overlay.is_some() {
            return;
        }
        let Some(p) = self.predicting.take() else {
            return;
        };
        let stdout = session
            .output
            .lines()
            .filter(|l| l.kind == crate::tui::output::Kind::Stdout)
            .map(|l| l.text.as_str());
        let measured = p.question.measure(stdout);
        let ended = match &session.phase {
            crate::tui::session::Phase::Ended { ok: false, text } => Some(text.clone()),
            _ => None,
        };
        let answer = self.learner.answers.entry(p.key).or_default();
        if let Some(m) = &measured {
            answer.measured = Some(m.value.clone());
            answer.measured_choice = m.choice.map(|c| p.question.choices[c].label.clone());
        }
        self.learner_changed = true;
        self.overlay = Some(Overlay::Reveal(Reveal {
            question: p.question,
            picked: p.picked,
            measured,
            ended,
        }));
    }
}
