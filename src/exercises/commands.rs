//! `workbook check`, `hint`, `reset` and `solution`.
use super::catalog::{ExerciseInfo, catalog, find};
use super::progress::{HINT_STEPS, Progress};
use super::runner::{self, CheckResult, Event, Outcomes, Target};
use super::{progress_path, record};
use crate::views::duration::human_duration;
use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// `workbook check [NAME]`.
pub fn check(root: &Path, name: Option<&str>) -> anyhow::Result<ExitCode> {
    let exercises: Vec<&ExerciseInfo> = match name {
        Some(name) => vec![find(name)?],
        None => catalog().iter().collect(),
    };
    let started = Instant::now();
    let Some(results) = run_with_bar(root, &exercises)? else {
        return Ok(ExitCode::FAILURE);
    };
    let elapsed = started.elapsed();
    let notes = record(root, &results);
    print_results(&exercises, &results);
    for note in notes {
        eprintln!("note: {note}");
    }
    let done = results.iter().filter(|r| r.passed).count();
    println!();
    println!("{done} of {} done.", results.len());
    eprintln!(
        "(checked {} exercise{} in {}: {} each)",
        results.len(),
        if results.len() == 1 { "" } else { "s" },
        human_duration(elapsed),
        human_duration(elapsed / results.len().max(1) as u32)
    );
    let Some(first) = results.iter().find(|r| !r.passed) else {
        return Ok(ExitCode::SUCCESS);
    };
    let exercise = find(&first.name)?;
    println!();
    println!("First failure: {} ({})", first.name, exercise.path);
    for line in first.message.as_deref().unwrap_or("").lines() {
        println!("  {line}");
    }
    println!();
    println!("Stuck? `cargo run -- hint {}`.", first.name);
    Ok(ExitCode::FAILURE)
}

/// Builds and runs the checks with a progress bar; `None` (after printing
/// the error) when they do not compile.
fn run_with_bar(
    root: &Path,
    exercises: &[&ExerciseInfo],
) -> anyhow::Result<Option<Vec<CheckResult>>> {
    let bar = ProgressBar::new_spinner();
    bar.set_message("building the checks (cargo test -p exercises)");
    bar.enable_steady_tick(Duration::from_millis(100));
    let outcome = runner::run_checks(
        root,
        Target::Exercises,
        exercises,
        &mut |event| match event {
            Event::Building => {}
            Event::Planned(tests) => {
                bar.set_style(
                    ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} checks  {msg}")
                        .expect("a valid template")
                        .progress_chars("=> "),
                );
                bar.set_length(tests as u64);
                bar.set_message("");
            }
            Event::Test { name, .. } => {
                bar.inc(1);
                bar.set_message(runner::exercise_of(name).unwrap_or("").to_string());
            }
        },
    );
    bar.finish_and_clear();
    match outcome? {
        Ok(results) => Ok(Some(results)),
        Err(failure) => {
            println!("The exercises do not compile, so no check could run. Fix this first:");
            if let Some(file) = &failure.file {
                println!("(in {file})");
            }
            println!();
            println!("{}", failure.message);
            Ok(None)
        }
    }
}

fn print_results(exercises: &[&ExerciseInfo], results: &[CheckResult]) {
    for (exercise, result) in exercises.iter().zip(results) {
        let status = if result.passed { "done" } else { "pending" };
        println!(
            "  {:02}  {:<18} {:<8} {}",
            exercise.lesson, exercise.name, status, exercise.title
        );
    }
}

/// `workbook check --verify-stubs`: every exercise's checks fail on the
/// untouched stub and pass on the solution.
pub fn verify_stubs(root: &Path) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let changed = Command::new("git")
        .args(["status", "--porcelain", "--", "exercises"])
        .current_dir(root)
        .output();
    match changed {
        Ok(out) if out.status.success() && !out.stdout.is_empty() => bail!(
            "--verify-stubs needs the untouched stubs, and exercises/ has changes:\n{}",
            String::from_utf8_lossy(&out.stdout)
        ),
        Ok(out) if out.status.success() => {}
        _ => eprintln!("note: not a git checkout; assuming exercises/ holds the untouched stubs"),
    }
    let binaries = match runner::build(root, &[Target::Exercises, Target::Solutions])? {
        Ok(binaries) => binaries,
        Err(failure) => bail!("the exercise checks do not compile:\n{}", failure.message),
    };
    let all: Vec<&ExerciseInfo> = catalog().iter().collect();
    let mut results = Vec::new();
    for target in [Target::Exercises, Target::Solutions] {
        let mut outcomes = Outcomes::default();
        for binary in binaries.get(&target).map(Vec::as_slice).unwrap_or_default() {
            runner::run_binary(root, binary, None, &mut outcomes, &mut |_, _| {})?;
        }
        results.push(outcomes.results(&all));
    }
    let mut problems = 0;
    for ((exercise, stub), solution) in all.iter().zip(&results[0]).zip(&results[1]) {
        let stub_ok = stub.failed > 0;
        let solution_ok = solution.passed;
        println!(
            "  {:<18} stub: {:<28} solution: {}",
            exercise.name,
            if stub_ok {
                format!("fails ({} of {} checks)", stub.failed, stub.tests)
            } else {
                "PASSES (should fail)".into()
            },
            if solution_ok {
                format!("passes ({} checks)", solution.tests)
            } else {
                "FAILS (should pass)".into()
            },
        );
        if !solution_ok {
            println!(
                "      {}",
                solution
                    .message
                    .as_deref()
                    .unwrap_or("")
                    .replace('\n', "\n      ")
            );
        }
        problems += usize::from(!stub_ok) + usize::from(!solution_ok);
    }
    println!(
        "{} exercises verified in {}.",
        all.len(),
        human_duration(started.elapsed())
    );
    if problems > 0 {
        println!(
            "{problems} problem(s): every check must fail on its stub and pass on its solution."
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// `workbook hint NAME`: one more step each time it is asked (where to
/// look, the idea, the shape of the fix), remembered in the progress file.
pub fn hint(root: &Path, name: &str) -> anyhow::Result<ExitCode> {
    let exercise = find(name)?;
    let path = progress_path(root);
    let mut progress = Progress::load(&path);
    if let Some(notice) = &progress.notice {
        eprintln!("note: {notice}");
    }
    let shown = progress.show_next_hint(exercise.name);
    if let Err(e) = progress.save(&path) {
        eprintln!(
            "note: cannot save {}: {e}; the next hint will be this one again",
            path.display()
        );
    }
    println!(
        "{} · lesson {:02} · {}",
        exercise.name, exercise.lesson, exercise.title
    );
    println!("file: {}", exercise.path);
    println!();
    println!("{}", hints_text(exercise, shown, 78));
    println!();
    if shown < HINT_STEPS {
        println!(
            "Still stuck? `cargo run -- hint {}` again gives step {} of {HINT_STEPS}.",
            exercise.name,
            shown + 1
        );
    } else {
        println!(
            "That was the last step. `cargo run -- solution {}` shows the reference once your check passes.",
            exercise.name
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// What each hint step is.
pub const HINT_LABELS: [&str; 3] = ["where to look", "the idea", "the shape of the fix"];

/// The first `shown` hint steps of `exercise`, labelled and wrapped.
pub fn hints_text(exercise: &ExerciseInfo, shown: u8, width: usize) -> String {
    let mut out = Vec::new();
    for (step, (hint, label)) in exercise
        .hints
        .iter()
        .zip(HINT_LABELS)
        .enumerate()
        .take(usize::from(shown))
    {
        out.push(wrap(
            &format!("Hint {} of 3 ({label}): {hint}", step + 1),
            width,
        ));
    }
    out.join("\n\n")
}

/// Word-wraps `text` at `width` columns.
pub(super) fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        if line_len > 0 && line_len + 1 + word.len() > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += word.len();
    }
    out
}

/// `workbook reset NAME`: the file back to its stub, from git's history.
pub fn reset(root: &Path, name: &str, yes: bool) -> anyhow::Result<ExitCode> {
    let exercise = find(name)?;
    let original = original_stub(root, exercise)?;
    let path = root.join(exercise.path);
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current == original {
        println!("{} is already the original stub.", exercise.path);
        return Ok(ExitCode::SUCCESS);
    }
    if !yes {
        print!(
            "Put {} back to its original stub? Your changes to it will be lost. [y/N] ",
            exercise.path
        );
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
            println!("Left as it is.");
            return Ok(ExitCode::FAILURE);
        }
    }
    crate::files::write_atomic(&path, original.as_bytes())?;
    let progress_file = progress_path(root);
    let mut progress = Progress::load(&progress_file);
    progress.set(exercise.name, false);
    progress.save(&progress_file)?;
    println!("{} is the stub again.", exercise.path);
    Ok(ExitCode::SUCCESS)
}

/// The newest version of the exercise file in git's history that still has
/// its `// TODO` marks: the stub, even when the learner committed their work.
fn original_stub(root: &Path, exercise: &ExerciseInfo) -> anyhow::Result<String> {
    let git = |args: &[&str]| -> anyhow::Result<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(root)
            .stderr(Stdio::null())
            .output()
            .context("reset needs git, to find the original stub")?;
        if !out.status.success() {
            bail!("git {} failed", args.join(" "));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let commits = git(&["log", "--format=%H", "--", exercise.path])?;
    for commit in commits.lines() {
        let text = git(&["show", &format!("{commit}:{}", exercise.path)])?;
        if text.contains("// TODO") {
            return Ok(text);
        }
    }
    bail!(
        "cannot find the original stub of {} in git's history",
        exercise.path
    )
}

/// `workbook solution NAME`: only once the learner's answer passes.
pub fn solution(root: &Path, name: &str, force: bool) -> anyhow::Result<ExitCode> {
    let exercise = find(name)?;
    if !force {
        println!("Checking your answer first...");
        let result = super::check_one(name);
        if !result.passed {
            println!(
                "{} does not pass yet (use --force to see the solution anyway). \
                 `cargo run -- hint {}` gives a hint, one step at a time.",
                exercise.path, exercise.name
            );
            if let Some(message) = &result.message {
                println!("\nFirst failure:\n  {}", message.replace('\n', "\n  "));
            }
            return Ok(ExitCode::FAILURE);
        }
    }
    let text = std::fs::read_to_string(root.join(exercise.solution))
        .with_context(|| format!("cannot read {}", exercise.solution))?;
    println!("── {} ──", exercise.solution);
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
