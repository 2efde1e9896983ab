//! Exercises: the catalog, checking (`workbook check`, `watch`), hints,
//! resetting a file to its stub, and showing solutions.
//!
//! The learner's files are the `exercises` crate, the reference answers the
//! `solutions` crate; the checks in `tests/checks/` are compiled into both.
//! For other views (the TUI): [`catalog`], [`progress`] and [`check_one`],
//! which is blocking and may be called from any thread.
mod catalog;
mod commands;
pub mod fixtures;
mod progress;
mod runner;
mod watch;
mod watched;

pub use catalog::{ExerciseInfo, Kind, UnknownExercise, catalog, find};
pub use commands::{HINT_LABELS, hints_text};
pub use progress::{HINT_STEPS, Progress, Status, load_json, save_json};
pub use runner::CheckResult;
/// Stops every check still building or running, and their whole trees.
pub use supervisor::stop_all as stop_checks;
pub use watched::check_one_watched;

use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check your exercises (all, or one by name): done or pending, and the
    /// first failure. Exits non-zero while any is pending.
    Check {
        /// An exercise name, e.g. `philosophers`; all when omitted.
        name: Option<String>,
        /// For CI: check that every exercise's checks fail on the untouched
        /// stubs and pass on the reference solutions.
        #[arg(long, conflicts_with = "name")]
        verify_stubs: bool,
        /// For CI: check that every wrong answer kept in
        /// `tests/wrong_answers/NAME/` fails the exercise's checks and every
        /// answer in `tests/right_answers/NAME/` passes them (all exercises,
        /// or the one named).
        #[arg(long, conflicts_with = "verify_stubs")]
        verify_fixtures: bool,
    },
    /// Re-check the exercise you are editing each time you save it; type
    /// `h` for its hint, `q` to quit.
    Watch,
    /// Show an exercise's hint, one step more each time you ask: where to
    /// look, then the idea, then the shape of the fix.
    Hint {
        /// The exercise, e.g. `philosophers`.
        name: String,
        /// The next step (asking again does the same).
        #[arg(long)]
        more: bool,
    },
    /// Put an exercise file back to its original stub (asks first).
    Reset {
        /// The exercise, e.g. `philosophers`.
        name: String,
        /// Do not ask.
        #[arg(short, long)]
        yes: bool,
    },
    /// Show the reference solution, once your answer passes its checks.
    Solution {
        /// The exercise, e.g. `philosophers`.
        name: String,
        /// Show it even though your answer does not pass yet.
        #[arg(long)]
        force: bool,
    },
}

pub fn run(command: &Command) -> anyhow::Result<ExitCode> {
    let root = root();
    let result = match command {
        Command::Check {
            verify_stubs: true, ..
        } => commands::verify_stubs(&root),
        Command::Check {
            verify_fixtures: true,
            name,
            ..
        } => fixtures::verify(&root, name.as_deref()),
        Command::Check { name, .. } => commands::check(&root, name.as_deref()),
        Command::Watch => Ok(watch::run(&root)),
        Command::Hint { name, .. } => commands::hint(&root, name),
        Command::Reset { name, yes } => commands::reset(&root, name, *yes),
        Command::Solution { name, force } => commands::solution(&root, name, *force),
    };
    match result {
        Err(err) if err.downcast_ref::<UnknownExercise>().is_some() => {
            eprint!("error: {err}");
            Ok(ExitCode::from(2))
        }
        other => other,
    }
}

/// The project's root: where `exercises/`, `solutions/` and `.workbook/`
/// are. `WORKBOOK_ROOT` overrides it (tests use a copy of the project).
pub fn root() -> PathBuf {
    std::env::var_os("WORKBOOK_ROOT")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
}

/// Where progress is kept.
pub fn progress_path(root: &Path) -> PathBuf {
    root.join(".workbook").join("progress.json")
}

/// Done or pending per exercise, from the progress file. A corrupt file is
/// moved aside and [`Progress::notice`] says so.
pub fn progress() -> Progress {
    Progress::load(&progress_path(&root()))
}

/// Builds and runs one exercise's checks against the learner's file, records
/// the result in the progress file, and returns it. Blocks for as long as
/// cargo builds (a second or so when nothing changed); call it off the UI
/// thread. A compile error or an unknown name is a failed result with a
/// message. What the learner must be told about saving it (see
/// [`check_one_noting`]) goes to stderr.
pub fn check_one(name: &str) -> CheckResult {
    let (result, notes) = check_one_noting(name);
    for note in notes {
        eprintln!("note: {note}");
    }
    result
}

/// [`check_one`], returning instead of printing the notes about saving
/// the result (progress set aside, or not saved): for the TUI, which owns
/// the terminal.
pub fn check_one_noting(name: &str) -> (CheckResult, Vec<String>) {
    check_with(name, &mut |_| {}, &|_, _| None)
}

/// How a failed result begins when the exercises do not build.
const DO_NOT_COMPILE: &str = "the exercises do not compile";

/// [`check_one_noting`], telling `on_event` how it goes and `watch` of each
/// test binary.
fn check_with(
    name: &str,
    on_event: &mut dyn FnMut(runner::Event),
    watch: runner::Watch,
) -> (CheckResult, Vec<String>) {
    let failed = |message: String| CheckResult {
        name: name.to_string(),
        passed: false,
        tests: 0,
        failed: 0,
        message: Some(message),
    };
    let exercise = match find(name) {
        Ok(exercise) => exercise,
        Err(unknown) => return (failed(unknown.to_string()), Vec::new()),
    };
    let root = root();
    match runner::run_checks_watched(
        &root,
        runner::Target::Exercises,
        &[exercise],
        on_event,
        watch,
    ) {
        Ok(Ok(mut results)) => {
            let result = results.remove(0);
            let notes = record(&root, std::slice::from_ref(&result));
            (result, notes)
        }
        Ok(Err(build)) => (
            failed(format!("{DO_NOT_COMPILE}:\n{}", build.message)),
            Vec::new(),
        ),
        Err(err) => (failed(format!("{err:#}")), Vec::new()),
    }
}

/// Saves the results in the progress file; returns what the learner should
/// be told (a file set aside, progress that could not be saved). Never
/// fails: results are printed whether or not they could be remembered.
fn record(root: &Path, results: &[CheckResult]) -> Vec<String> {
    let path = progress_path(root);
    let mut progress = Progress::load(&path);
    for result in results {
        progress.set(&result.name, result.passed);
    }
    let mut notes: Vec<String> = progress.notice.take().into_iter().collect();
    if let Err(e) = progress.save(&path) {
        notes.push(format!(
            "warning: progress not saved ({e}); these results will not be remembered"
        ));
    }
    notes
}
