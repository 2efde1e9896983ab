//! `workbook check --verify-fixtures`: the checks judged against answers kept
//! in the repository. Every `tests/wrong_answers/NAME/*.rs` is a plausible
//! wrong answer to exercise NAME and must FAIL its checks; every
//! `tests/right_answers/NAME/*.rs` is a correct answer by another technique
//! than the reference and must PASS. A check weakened by accident is caught
//! here before it lands.
//!
//! The learner's files are never touched: each fixture is compiled in a
//! scratch copy of the `exercises` crate (in `target/workbook-fixtures/`)
//! whose `lib.rs` and checks declare only the exercise under test, so each
//! build is one small crate. The copy's `target` links to the project's, so
//! the dependencies are the ones `workbook check` already built.
mod scratch;

use super::catalog::{ExerciseInfo, catalog, find};
use super::runner::{self, CheckResult, Outcomes, Target};
use crate::views::duration::human_duration;
use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Where the wrong answers are, relative to the project root.
pub const WRONG_DIR: &str = "tests/wrong_answers";
/// Where the right answers are.
pub const RIGHT_DIR: &str = "tests/right_answers";

/// What a fixture's checks must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A wrong answer: at least one check fails.
    Fail,
    /// A right answer: every check passes.
    Pass,
}

/// One answer kept in the repository.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub exercise: &'static ExerciseInfo,
    /// The file, relative to the project root.
    pub path: PathBuf,
    pub expect: Expect,
}

impl Fixture {
    /// The first line's promise: `//! WRONG: ...` or `//! RIGHT: ...`.
    pub fn header(expect: Expect) -> &'static str {
        match expect {
            Expect::Fail => "//! WRONG: ",
            Expect::Pass => "//! RIGHT: ",
        }
    }
}

/// Every fixture under `root`, grouped by exercise in catalog order. A folder
/// that names no exercise, or a file without its header line, is an error.
pub fn list(root: &Path) -> anyhow::Result<Vec<Fixture>> {
    let mut fixtures = Vec::new();
    for (dir, expect) in [(WRONG_DIR, Expect::Fail), (RIGHT_DIR, Expect::Pass)] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries {
            let folder = entry?.path();
            if !folder.is_dir() {
                continue;
            }
            let name = folder.file_name().unwrap_or_default().to_string_lossy();
            let exercise = find(&name).map_err(|_| {
                anyhow::anyhow!("{}: no exercise is named {name}", folder.display())
            })?;
            for file in std::fs::read_dir(&folder)? {
                let file = file?.path();
                if file.extension().is_none_or(|ext| ext != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                let header = Fixture::header(expect);
                if !text.starts_with(header) {
                    bail!(
                        "{}: the first line must be `{header}<what it is>`",
                        file.display()
                    );
                }
                let path = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
                fixtures.push(Fixture {
                    exercise,
                    path,
                    expect,
                });
            }
        }
    }
    let order = |f: &Fixture| catalog().iter().position(|e| e.name == f.exercise.name);
    fixtures.sort_by(|a, b| {
        (order(a), a.expect == Expect::Pass, &a.path).cmp(&(
            order(b),
            b.expect == Expect::Pass,
            &b.path,
        ))
    });
    Ok(fixtures)
}

/// What came of one fixture.
struct Verdict {
    ok: bool,
    summary: String,
    build: Duration,
    run: Duration,
}

/// `workbook check --verify-fixtures [NAME]`.
pub fn verify(root: &Path, name: Option<&str>) -> anyhow::Result<ExitCode> {
    let only = name.map(find).transpose()?;
    let fixtures: Vec<Fixture> = list(root)?
        .into_iter()
        .filter(|f| only.is_none_or(|e| e.name == f.exercise.name))
        .collect();
    if fixtures.is_empty() {
        println!("No fixtures to verify (none in {WRONG_DIR}/ or {RIGHT_DIR}/).");
        return Ok(ExitCode::SUCCESS);
    }
    let scratch = scratch::Scratch::create(root)?;
    supervisor::stop_all_on_signals();
    let bar = ProgressBar::new(fixtures.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} fixtures {elapsed}  {msg}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    let started = Instant::now();
    let (mut problems, mut build_total, mut run_total) = (0, Duration::ZERO, Duration::ZERO);
    for fixture in &fixtures {
        bar.set_message(fixture.path.display().to_string());
        let verdict = verify_one(root, &scratch, fixture)?;
        build_total += verdict.build;
        run_total += verdict.run;
        problems += usize::from(!verdict.ok);
        let line = format!(
            "  {} {:<60} {} ({} build, {} checks)",
            if verdict.ok { "ok " } else { "BAD" },
            fixture.path.display(),
            verdict.summary.replace('\n', "\n      "),
            human_duration(verdict.build),
            human_duration(verdict.run),
        );
        // A hidden bar (no terminal, as in CI) prints nothing, lines included.
        if bar.is_hidden() {
            println!("{line}");
        } else {
            bar.println(line);
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    let count = u32::try_from(fixtures.len().max(1)).unwrap_or(u32::MAX);
    println!(
        "{} fixtures verified in {}: {} each ({} building, {} running checks).",
        fixtures.len(),
        human_duration(elapsed),
        human_duration(elapsed / count),
        human_duration(build_total / count),
        human_duration(run_total / count),
    );
    if problems > 0 {
        println!(
            "{problems} problem(s): every wrong answer must fail its checks and every right answer pass them."
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn verify_one(
    root: &Path,
    scratch: &scratch::Scratch,
    fixture: &Fixture,
) -> anyhow::Result<Verdict> {
    let crate_dir = scratch.prepare(root, fixture)?;
    let crate_dir = crate_dir.as_path();
    let started = Instant::now();
    let built = runner::build(crate_dir, &[Target::Exercises])?;
    let build = started.elapsed();
    let binaries = match built {
        Ok(mut binaries) => binaries.remove(&Target::Exercises).unwrap_or_default(),
        Err(failure) => {
            return Ok(Verdict {
                ok: false,
                summary: format!("does not compile:\n{}", failure.message),
                build,
                run: Duration::ZERO,
            });
        }
    };
    let started = Instant::now();
    let filter = format!("::{}::", fixture.exercise.name);
    let mut outcomes = Outcomes::default();
    // The runner judges how each binary ended: a planned test that never
    // reported (an abort, a signal, an early exit) is a failure.
    for binary in &binaries {
        runner::run_binary(
            crate_dir,
            binary,
            Some(&filter),
            &mut outcomes,
            &mut |_, _| {},
        )?;
    }
    let result = outcomes.results(&[fixture.exercise]).remove(0);
    Ok(judge(fixture.expect, &result, build, started.elapsed()))
}

fn judge(expect: Expect, result: &CheckResult, build: Duration, run: Duration) -> Verdict {
    let first = || {
        result
            .message
            .as_deref()
            .unwrap_or("")
            .lines()
            .take(3)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (ok, summary) = match (expect, result.passed) {
        (Expect::Fail, false) => (
            true,
            format!("fails ({} of {} checks)", result.failed, result.tests),
        ),
        (Expect::Fail, true) => (
            false,
            format!(
                "PASSES all {} checks (a wrong answer must fail)",
                result.tests
            ),
        ),
        (Expect::Pass, true) => (true, format!("passes ({} checks)", result.tests)),
        (Expect::Pass, false) => (
            false,
            format!("FAILS (a right answer must pass):\n{}", first()),
        ),
    };
    Verdict {
        ok,
        summary,
        build,
        run,
    }
}

/// Fixture counts per exercise: (wrong answers, right answers).
pub fn counts(root: &Path) -> anyhow::Result<Vec<(&'static str, usize, usize)>> {
    let fixtures = list(root)?;
    Ok(catalog()
        .iter()
        .map(|e| {
            let of = |expect| {
                fixtures
                    .iter()
                    .filter(|f| f.exercise.name == e.name && f.expect == expect)
                    .count()
            };
            (e.name, of(Expect::Fail), of(Expect::Pass))
        })
        .collect())
}

#[cfg(test)]
mod tests;
