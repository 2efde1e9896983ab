//! The exercises in the lesson list: done or pending, the learner's file,
//! and checking one from the app (cargo runs on a thread of its own; the
//! result comes back through a channel the loop polls).
use crate::exercises::{self, CheckResult, ExerciseInfo, Progress, Status};
use crate::runner::Run;
use std::collections::HashMap;
use std::sync::mpsc::Receiver;

/// A failure message in one line: the test's name and the first words of
/// what it said.
pub fn gist(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A check's result and what the learner must be told about saving it.
type Checked = (CheckResult, Vec<String>);

pub struct Exercises {
    pub list: &'static [ExerciseInfo],
    pub progress: Progress,
    /// The last check of each exercise run from here, for its message.
    pub results: HashMap<&'static str, CheckResult>,
    /// A check under way: the exercise and where its result (and any notes
    /// about saving it) will arrive.
    pub checking: Option<(&'static str, Receiver<Checked>)>,
    /// The selected exercise's file as read when it was selected.
    pub file: Option<(usize, Result<String, String>)>,
}

impl Exercises {
    pub fn load() -> Exercises {
        Exercises {
            list: exercises::catalog(),
            progress: exercises::progress(),
            results: HashMap::new(),
            checking: None,
            file: None,
        }
    }

    /// The exercises of lesson number `number`, as indices into the list.
    pub fn of_lesson(&self, number: u8) -> Vec<usize> {
        (0..self.list.len())
            .filter(|&i| self.list[i].lesson == number)
            .collect()
    }

    pub fn done(&self, index: usize) -> bool {
        self.progress.status(self.list[index].name) == Status::Done
    }

    /// Shows one more hint step of exercise `index`, remembered in the
    /// progress file (as `workbook hint` does); a file that cannot be saved
    /// still shows the step here.
    pub fn show_next_hint(&mut self, index: usize) {
        let name = self.list[index].name;
        let path = exercises::progress_path(&exercises::root());
        let mut saved = exercises::Progress::load(&path);
        saved.show_next_hint(name);
        let _ = saved.save(&path);
        self.progress.show_next_hint(name);
    }

    /// Reads the learner's file (it changes as they work, so on every
    /// selection).
    pub fn read(&mut self, index: usize) {
        let path = exercises::root().join(self.list[index].path);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()));
        self.file = Some((index, text));
    }

    /// Starts checking exercise `index`: a message to show, and the check
    /// as a run to draw (its processes' threads as the kernel saw them).
    pub fn check(&mut self, index: usize) -> (String, Option<Run>) {
        let name = self.list[index].name;
        if let Some((running, _)) = &self.checking {
            return (
                format!("still checking {running}; one check at a time"),
                None,
            );
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let (events, watched) = std::sync::mpsc::sync_channel(crate::runner::EVENT_CAPACITY);
        let spawned = std::thread::Builder::new()
            .name("check".into())
            .spawn(move || {
                let _ = tx.send(exercises::check_one_watched(name, events));
            });
        match spawned {
            Ok(_) => {
                self.checking = Some((name, rx));
                (
                    format!("checking {name}: building and running its tests…"),
                    Some(Run::watching(watched)),
                )
            }
            Err(e) => (format!("cannot start the check: {e}"), None),
        }
    }

    /// A finished check's message, once.
    pub fn poll(&mut self) -> Option<String> {
        let (name, rx) = self.checking.as_ref()?;
        let name = *name;
        let (result, notes) = match rx.try_recv() {
            Ok(got) => got,
            Err(std::sync::mpsc::TryRecvError::Empty) => return None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => (
                CheckResult {
                    name: name.to_string(),
                    passed: false,
                    tests: 0,
                    failed: 0,
                    message: Some("the check stopped without a result".into()),
                },
                Vec::new(),
            ),
        };
        self.checking = None;
        // check_one recorded the result in the progress file.
        self.progress = exercises::progress();
        let mut message = if result.passed {
            format!("{name}: done ✓ ({} tests passed)", result.tests)
        } else {
            let first = result.message.as_deref().map(gist).unwrap_or_default();
            format!(
                "{name}: pending, {} of {} tests failed. {first}",
                result.failed, result.tests
            )
        };
        for note in notes {
            message.push_str(" · ");
            message.push_str(&note);
        }
        self.results.insert(name, result);
        Some(message)
    }
}
