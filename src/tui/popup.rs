//! What is laid over the screen and takes the keys while it is: the welcome,
//! the help, a question before a run and its answer after. The state and
//! its keys; drawing is in `ui/popups.rs`.
use super::app::{Action, App, Row};
use super::learner::Answer;
use crate::catalog::Lesson;
use crate::questions::{Measured, Question};
use crossterm::event::{KeyCode, KeyEvent};

pub enum Popup {
    Welcome,
    /// The keys, scrolled this many rows.
    Help {
        scroll: usize,
    },
    Ask(Ask),
    Reveal(Reveal),
}

/// A demo's question, asked before it runs.
pub struct Ask {
    pub lesson: usize,
    pub demo: usize,
    /// Where the answer is kept: `04/lost_update`.
    pub key: String,
    pub question: Question,
    /// The choice under the cursor.
    pub cursor: usize,
}

impl Ask {
    pub fn new(lessons: &[Lesson], lesson: usize, demo: usize) -> Option<Ask> {
        let l = lessons.get(lesson)?;
        let d = l.demos.get(demo)?;
        let question = Question::parse(&d.text).ok()??;
        Some(Ask {
            lesson,
            demo,
            key: crate::questions::key(l.bin, &d.name),
            question,
            cursor: 0,
        })
    }
}

/// A prediction waiting for its run to end.
pub struct Prediction {
    pub lesson: &'static str,
    pub demo: String,
    pub key: String,
    pub question: Question,
    pub picked: Option<usize>,
}

/// The run's measured answer beside the learner's pick.
pub struct Reveal {
    pub question: Question,
    pub picked: Option<usize>,
    /// `None`: the run printed no line the rule reads.
    pub measured: Option<Measured>,
    /// How the run ended, when it did not end well.
    pub ended: Option<String>,
}

impl App {
    pub(super) fn popup_key(&mut self, popup: Popup, key: KeyEvent) -> Action {
        match popup {
            Popup::Welcome => {
                // Any key: the welcome is seen. Start where it said: lesson
                // 01's first demo, with its notes.
                self.learner.welcomed = true;
                self.learner_changed = true;
                if let Some(first) = self.rows.iter().position(|r| matches!(r, Row::Demo(..))) {
                    self.show_notes = true;
                    self.selected = first;
                    self.prepare_source();
                }
                if key.code == KeyCode::Char('q') {
                    return Action::Quit;
                }
            }
            Popup::Help { scroll } => {
                let scroll = match key.code {
                    KeyCode::Down | KeyCode::Char('j') => scroll + 1,
                    KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
                    KeyCode::PageDown | KeyCode::Char(' ') => scroll + 10,
                    KeyCode::PageUp => scroll.saturating_sub(10),
                    KeyCode::Char('q') => return Action::Quit,
                    // Any other key closes the help.
                    _ => return Action::None,
                };
                self.popup = Some(Popup::Help { scroll });
            }
            Popup::Ask(mut ask) => {
                let n = ask.question.choices.len();
                let pick = match key.code {
                    KeyCode::Esc | KeyCode::Char('s') => None,
                    KeyCode::Enter => Some(ask.cursor),
                    KeyCode::Char(c @ '1'..='9') if (c as usize - '1' as usize) < n => {
                        Some(c as usize - '1' as usize)
                    }
                    KeyCode::Char(c @ 'a'..='i') if (c as usize - 'a' as usize) < n => {
                        Some(c as usize - 'a' as usize)
                    }
                    KeyCode::Down | KeyCode::Char('j') => {
                        ask.cursor = (ask.cursor + 1).min(n - 1);
                        self.popup = Some(Popup::Ask(ask));
                        return Action::None;
                    }
                    KeyCode::Up | KeyCode::Char('k') => {
                        ask.cursor = ask.cursor.saturating_sub(1);
                        self.popup = Some(Popup::Ask(ask));
                        return Action::None;
                    }
                    _ => {
                        self.popup = Some(Popup::Ask(ask));
                        return Action::None;
                    }
                };
                return self.predict(ask, pick);
            }
            Popup::Reveal(_) => match key.code {
                KeyCode::Char('q') => return Action::Quit,
                // The notes explain the answer: open them at this demo.
                KeyCode::Char('n') => {
                    self.show_notes = true;
                    self.prepare_source();
                }
                _ => {}
            },
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
        if !ours || session.is_live() || session.replay.is_some() || self.popup.is_some() {
            return;
        }
        let Some(p) = self.predicting.take() else {
            return;
        };
        let stdout = session
            .output
            .lines()
            .filter(|l| l.kind == super::output::Kind::Stdout)
            .map(|l| l.text.as_str());
        let measured = p.question.measure(stdout);
        let ended = match &session.phase {
            super::session::Phase::Ended { ok: false, text } => Some(text.clone()),
            _ => None,
        };
        let answer = self.learner.answers.entry(p.key).or_default();
        if let Some(m) = &measured {
            answer.measured = Some(m.value.clone());
            answer.measured_choice = m.choice.map(|c| p.question.choices[c].label.clone());
        }
        self.learner_changed = true;
        self.popup = Some(Popup::Reveal(Reveal {
            question: p.question,
            picked: p.picked,
            measured,
            ended,
        }));
    }
}
