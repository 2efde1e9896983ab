//! `workbook watch`: re-check the exercise being worked on whenever its file
//! is saved. Files are polled for a changed modification time (no extra
//! crate, and it works on every file system); a change is acted on once the
//! file has been quiet for a moment, so an editor's several writes of one
//! save give one check.
use super::catalog::{ExerciseInfo, catalog};
use super::commands::hints_text;
use super::{CheckResult, check_one, progress};
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime};

/// How often the files are looked at.
const POLL: Duration = Duration::from_millis(200);
/// How long a changed file must stay unchanged before it is checked.
const QUIET: Duration = Duration::from_millis(300);

pub fn run(root: &Path) -> ExitCode {
    let done = progress();
    if let Some(notice) = &done.notice {
        eprintln!("note: {notice}");
    }
    let mut current: &ExerciseInfo = catalog()
        .iter()
        .find(|e| !done.is_done(e.name))
        .unwrap_or(&catalog()[0]);
    let input = spawn_input_reader();
    let mut seen = mtimes(root);
    let mut changed: Option<(&ExerciseInfo, Instant)> = None;
    println!("Watching exercises/. Save a file to check it.");
    println!("Commands (then Enter): h hint (again: the next step) · c check now · q quit");
    announce(current);
    loop {
        match input.recv_timeout(POLL) {
            Ok(line) => match line.trim() {
                "h" | "hint" => show_next_hint(root, current),
                "c" | "check" => report(&check_and_show(current)),
                "q" | "quit" | "exit" => break,
                "" => {}
                other => println!("unknown command `{other}`: h hint · c check now · q quit"),
            },
            Err(RecvTimeoutError::Timeout) => {}
            // No more input (stdin closed): go on watching until interrupted.
            Err(RecvTimeoutError::Disconnected) => std::thread::sleep(POLL),
        }
        let now = mtimes(root);
        for exercise in catalog() {
            if now.get(exercise.path) != seen.get(exercise.path) {
                changed = Some((exercise, Instant::now()));
            }
        }
        seen = now;
        if let Some((exercise, at)) = changed
            && at.elapsed() >= QUIET
        {
            changed = None;
            if exercise.name != current.name {
                current = exercise;
                announce(current);
            }
            let result = check_and_show(current);
            report(&result);
            if result.passed {
                let done = progress();
                if let Some(next) = catalog().iter().find(|e| !done.is_done(e.name)) {
                    current = next;
                    println!("Next: {} ({}).", next.name, next.path);
                } else {
                    println!("Every exercise is done. Well done!");
                }
            }
        }
    }
    ExitCode::SUCCESS
}

/// The next hint step of `exercise`, remembered in the progress file like
/// `workbook hint`'s.
fn show_next_hint(root: &Path, exercise: &ExerciseInfo) {
    let path = super::progress_path(root);
    let mut progress = super::Progress::load(&path);
    let shown = progress.show_next_hint(exercise.name);
    if let Err(e) = progress.save(&path) {
        println!("(cannot save {}: {e})", path.display());
    }
    println!("\n{}\n", hints_text(exercise, shown, 78));
    if shown < super::HINT_STEPS {
        println!("(h + Enter again for the next step)");
    }
}

fn announce(exercise: &ExerciseInfo) {
    println!(
        "\nWorking on {} · lesson {:02} · {} ({})",
        exercise.name, exercise.lesson, exercise.title, exercise.path
    );
}

fn check_and_show(exercise: &ExerciseInfo) -> CheckResult {
    println!("checking {}...", exercise.name);
    check_one(exercise.name)
}

fn report(result: &CheckResult) {
    if result.passed {
        println!("✓ {} passes its {} checks.", result.name, result.tests);
    } else {
        println!("✗ {} is not done yet:", result.name);
        for line in result.message.as_deref().unwrap_or("").lines() {
            println!("  {line}");
        }
        println!("(h + Enter for a hint)");
    }
}

/// Lines typed by the learner, read on their own thread so that the loop
/// can poll files while waiting.
fn spawn_input_reader() -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn mtimes(root: &Path) -> HashMap<&'static str, SystemTime> {
    catalog()
        .iter()
        .filter_map(|e| {
            let modified = std::fs::metadata(root.join(e.path))
                .and_then(|m| m.modified())
                .ok()?;
            Some((e.path, modified))
        })
        .collect()
}
