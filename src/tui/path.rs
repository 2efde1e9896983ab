//! The next step on the learner's path, one key away: a demo's notes, then
//! its run, then the next demo; after a lesson's demos its exercises; after
//! the exercises the next lesson. The footer says what the key will do.
use super::app::{Action, App, Row};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Select this row and show its notes.
    Read(usize),
    /// Run the selected demo (asking its question first).
    Run,
    /// Select this row (an exercise).
    Go(usize),
    /// Nothing after this.
    End,
}

impl App {
    /// What the next-step key does now, and the footer's words for it.
    pub fn next_step(&self) -> (Step, String) {
        let demo_name = |l: usize, d: usize| self.lessons[l].demos[d].name.as_str();
        if let Row::Demo(l, d) = self.row() {
            if !self.show_notes {
                return (
                    Step::Read(self.selected),
                    format!("notes of {}", demo_name(l, d)),
                );
            }
            let key = crate::questions::key(self.lessons[l].bin, demo_name(l, d));
            if !self.learner.has_seen(&key) {
                return (Step::Run, format!("run {}", demo_name(l, d)));
            }
        }
        let here = self.row().lesson();
        let next = self
            .rows
            .iter()
            .enumerate()
            .skip(self.selected + 1)
            .find(|(_, row)| !matches!(row, Row::Lesson(_)));
        match next {
            Some((i, Row::Demo(l, d))) if *l == here && !matches!(self.row(), Row::Lesson(_)) => {
                (Step::Read(i), format!("next demo: {}", demo_name(*l, *d)))
            }
            Some((i, Row::Demo(l, d))) => (
                Step::Read(i),
                format!(
                    "lesson {:02}: {}",
                    self.lessons[*l].number,
                    demo_name(*l, *d)
                ),
            ),
            Some((i, Row::Exercise(_, e))) => (
                Step::Go(i),
                format!("exercise {}", self.exercises.list[*e].name),
            ),
            Some((_, Row::Lesson(_))) | None => (Step::End, "the end of the path".into()),
        }
    }

    pub(super) fn take_step(&mut self) -> Action {
        match self.next_step().0 {
            Step::Read(row) => {
                self.show_notes = true;
                self.selected = row;
                self.prepare_source();
            }
            Step::Run => return self.run_selected(),
            Step::Go(row) => self.select(row),
            Step::End => self.message = Some("that was the last step: well done".into()),
        }
        Action::None
    }

    /// Demos run and demos in lesson `l`.
    pub fn demos_seen(&self, l: usize) -> (usize, usize) {
        let lesson = &self.lessons[l];
        let seen = lesson
            .demos
            .iter()
            .filter(|d| {
                self.learner
                    .has_seen(&crate::questions::key(lesson.bin, &d.name))
            })
            .count();
        (seen, lesson.demos.len())
    }

    /// How far the learner is in lesson `l`, in words for a title.
    pub fn how_far(&self, l: usize) -> String {
        let (seen, demos) = self.demos_seen(l);
        let (done, exercises) = self.exercises_done(l);
        if exercises == 0 {
            format!("{seen}/{demos} demos run")
        } else {
            format!("{seen}/{demos} demos run, {done}/{exercises} exercises done")
        }
    }

    /// Exercises done and exercises of lesson `l`.
    pub fn exercises_done(&self, l: usize) -> (usize, usize) {
        let own = self.exercises.of_lesson(self.lessons[l].number);
        let done = own.iter().filter(|&&e| self.exercises.done(e)).count();
        (done, own.len())
    }
}

#[cfg(test)]
mod tests;
