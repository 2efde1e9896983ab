//! The exercises in the lesson list: done or pending, the learner's file,
//! and checking one from the app (cargo runs on a thread of its own; the
//! result is posted to the loop's inbox).
use crate::exercises::{self, CheckResult, ExerciseInfo, Progress, Status};
use crate::runner::Run;
use std::collections::HashMap;

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

/// A finished check as its thread posts it to the loop: the result, what
/// the learner must be told about saving it, and the progress file as the
/// check left it (read on that thread, not the loop's).
pub struct Checked {
    pub name: &'static str,
    pub result: CheckResult,
    pub notes: Vec<String>,
    pub progress: Progress,
}

pub struct Exercises {
    pub list: &'static [ExerciseInfo],
    pub progress: Progress,
    /// The last check of each exercise run from here, for its message.
    pub results: HashMap<&'static str, CheckResult>,
    /// The exercise being checked; its [`Checked`] arrives in the inbox.
    pub checking: Option<&'static str>,
    /// The selected exercise's file as last read (it is read again on
    /// every selection, off the loop's thread).
    pub file: Option<(usize, Result<String, String>)>,
}

impl Exercises {
    /// The exercises with the learner's progress as loaded.
    pub fn new(progress: Progress) -> Exercises {
        Exercises {
            list: exercises::catalog(),
            progress,
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

    /// Shows one more hint step of exercise `index` here; the loop keeps it
    /// in the progress file ([`save_hint`], as `workbook hint` does).
    pub fn show_next_hint(&mut self, index: usize) -> &'static str {
        let name = self.list[index].name;
        self.progress.show_next_hint(name);
        name
    }

    /// Starts checking exercise `index`: a message to show, and the check
    /// as a run to draw (its processes' threads as the kernel saw them).
    /// The result is posted to `post` (the loop's inbox).
    pub fn check(
        &mut self,
        index: usize,
        post: impl FnOnce(Checked) + Send + 'static,
    ) -> (String, Option<Run>) {
        let name = self.list[index].name;
        if let Some(running) = &self.checking {
            return (
                format!("still checking {running}; one check at a time"),
                None,
            );
        }
        let (events, watched) = std::sync::mpsc::sync_channel(crate::runner::EVENT_CAPACITY);
        let run = Run::watching(watched);
        let stop = run.stop_asked();
        let spawned = std::thread::Builder::new()
            .name("check".into())
            .spawn(move || {
                let (result, notes) = exercises::check_one_watched(name, events, stop);
                // check_one recorded the result in the progress file.
                let progress = exercises::progress();
                post(Checked {
                    name,
                    result,
                    notes,
                    progress,
                });
            });
        match spawned {
            Ok(_) => {
                self.checking = Some(name);
                (
                    format!("checking {name}: building and running its tests…"),
                    Some(run),
                )
            }
            Err(e) => (format!("cannot start the check: {e}"), None),
        }
    }

    /// A finished check: keeps its result and progress; its message.
    pub fn finish(&mut self, checked: Checked) -> String {
        let Checked {
            name,
            result,
            notes,
            progress,
        } = checked;
        self.checking = None;
        self.progress = progress;
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
        message
    }
}

/// Keeps one more hint step of `name` in the progress file (the loop's
/// side of [`Exercises::show_next_hint`]); a file that cannot be saved
/// still showed the step.
pub fn save_hint(name: &str) {
    let path = exercises::progress_path(&exercises::root());
    let mut saved = Progress::load(&path);
    saved.show_next_hint(name);
    let _ = saved.save(&path);
}

/// Reads the learner's file of exercise `index` (it changes as they work,
/// so on every selection): what the loop's reading job does.
pub fn read_file(info: &ExerciseInfo) -> Result<String, String> {
    let path = exercises::root().join(info.path);
    std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}
