//! Building the exercise checks and running them: `cargo test --no-run` for
//! the test binaries, then each binary run directly so that its progress can
//! be followed test by test and its failures read.
//!
//! The builds use their own target directory (`target/workbook-check`), so a
//! check never waits for an editor's rust-analyzer holding `target/`.
use super::catalog::{ExerciseInfo, catalog};
use crate::cargo_json::{Diagnostic, Message};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The longest a test binary may run; every check has its own deadline of a
/// few seconds, so this only stops something truly broken.
const RUN_LIMIT: Duration = Duration::from_secs(120);

/// Listing the tests takes milliseconds; this only stops a broken binary.
const LIST_LIMIT: Duration = Duration::from_secs(30);

/// Which crate's files the checks run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The learner's files in `exercises/`.
    Exercises,
    /// The reference answers in `solutions/`.
    Solutions,
}

impl Target {
    fn package(self) -> &'static str {
        match self {
            Target::Exercises => "exercises",
            Target::Solutions => "solutions",
        }
    }
}

/// What happens during a run, for a progress display.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// cargo is building the checks.
    Building,
    /// The build is done; this many tests will run.
    Planned(usize),
    /// One test ended.
    Test { name: &'a str, passed: bool },
}

/// Called with each test binary's pid, and what stops its whole tree, as it
/// starts (the TUI starts the kernel sampler on its tree there); what it
/// returns is called with how the binary ended, once its tree is reaped.
pub type Watch<'a> = &'a dyn Fn(u32, supervisor::Stopper) -> Option<Ended>;

/// Told how a watched test binary ended.
pub type Ended = Box<dyn FnOnce(&supervisor::Outcome)>;

/// The checks could not be built: usually a compile error in an exercise.
#[derive(Debug, Clone)]
pub struct BuildFailure {
    /// The first error as rustc rendered it.
    pub message: String,
    /// The exercise file the error points at, if it points at one.
    pub file: Option<String>,
}

/// The result of one exercise's checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    pub name: String,
    /// Every check of the exercise ran and passed.
    pub passed: bool,
    /// How many tests ran, and how many of them failed.
    pub tests: usize,
    pub failed: usize,
    /// The first failure's message (a panic message, or why nothing ran).
    pub message: Option<String>,
}

/// The target directory of the workbook's own builds.
pub fn target_dir(root: &Path) -> PathBuf {
    root.join("target").join("workbook-check")
}

/// Builds and runs the checks of `exercises` against `target`.
pub fn run_checks(
    root: &Path,
    target: Target,
    exercises: &[&ExerciseInfo],
    on_event: &mut dyn FnMut(Event),
) -> anyhow::Result<Result<Vec<CheckResult>, BuildFailure>> {
    run_checks_watched(root, target, exercises, on_event, &|_, _| None)
}

/// [`run_checks`], with `watch` told of each test binary as it runs.
pub fn run_checks_watched(
    root: &Path,
    target: Target,
    exercises: &[&ExerciseInfo],
    on_event: &mut dyn FnMut(Event),
    watch: Watch,
) -> anyhow::Result<Result<Vec<CheckResult>, BuildFailure>> {
    on_event(Event::Building);
    let binaries = match build(root, &[target])? {
        Ok(mut binaries) => binaries.remove(&target).unwrap_or_default(),
        Err(failure) => return Ok(Err(failure)),
    };
    let filter = match exercises {
        [one] => Some(format!("::{}::", one.name)),
        _ => None,
    };
    let mut planned = 0;
    for binary in &binaries {
        planned += list_tests(binary, filter.as_deref())?.len();
    }
    on_event(Event::Planned(planned));
    let mut outcomes = Outcomes::default();
    for binary in &binaries {
        run_binary_watched(
            root,
            binary,
            filter.as_deref(),
            &mut outcomes,
            &mut |name, passed| {
                on_event(Event::Test { name, passed });
            },
            watch,
        )?;
    }
    Ok(Ok(outcomes.results(exercises)))
}

/// Builds the test binaries of the `targets` crates, in one cargo run.
pub fn build(
    root: &Path,
    targets: &[Target],
) -> anyhow::Result<Result<BTreeMap<Target, Vec<PathBuf>>, BuildFailure>> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(["test", "--no-run", "--message-format=json", "--color=never"]);
    for target in targets {
        command.args(["-p", target.package()]);
    }
    let output = supervisor::output(
        command
            .current_dir(root)
            .env("CARGO_TARGET_DIR", target_dir(root))
            .stdin(Stdio::null()),
        None,
    )
    .map_err(|e| anyhow::anyhow!("cannot run cargo: {e}"))?;
    if output.ended.outcome == supervisor::Outcome::Stopped {
        anyhow::bail!("the build was stopped");
    }
    let mut binaries: BTreeMap<Target, Vec<PathBuf>> = BTreeMap::new();
    let mut first_error = None;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let artifact = match crate::cargo_json::parse(line) {
            Some(Message::CompilerArtifact(artifact)) => artifact,
            Some(Message::CompilerMessage { message }) if message.level == "error" => {
                first_error.get_or_insert(message);
                continue;
            }
            _ => continue,
        };
        let Some(executable) = artifact.executable.filter(|_| artifact.profile.test) else {
            continue;
        };
        let target = if artifact.manifest_path.ends_with("solutions/Cargo.toml") {
            Target::Solutions
        } else {
            Target::Exercises
        };
        binaries.entry(target).or_default().push(executable);
    }
    if output.ended.outcome.success() {
        for list in binaries.values_mut() {
            list.sort();
        }
        return Ok(Ok(binaries));
    }
    Ok(Err(build_failure(
        first_error,
        &String::from_utf8_lossy(&output.stderr),
    )))
}

impl PartialOrd for Target {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Target {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.package().cmp(other.package())
    }
}

/// The compiler's first error (from cargo's JSON messages), and the
/// exercise file it points at; without one, cargo itself failed and its
/// `stderr` says why.
fn build_failure(first_error: Option<Diagnostic>, stderr: &str) -> BuildFailure {
    let Some(error) = first_error else {
        return BuildFailure {
            message: format!("cargo failed:\n{}", stderr.trim()),
            file: None,
        };
    };
    let rendered = error.rendered.as_deref().unwrap_or_default();
    let message: Vec<&str> = rendered.trim_end().lines().take(30).collect();
    let file = error.primary_file().and_then(|path| {
        catalog()
            .iter()
            .find(|e| path.ends_with(e.path))
            .map(|e| e.path.to_string())
    });
    BuildFailure {
        message: message.join("\n"),
        file,
    }
}

/// The tests `binary` would run with `filter`, by name.
fn list_tests(binary: &Path, filter: Option<&str>) -> anyhow::Result<Vec<String>> {
    let output = supervisor::output(
        Command::new(binary)
            .args(filter)
            .args(["--list", "--format=terse"])
            .stdin(Stdio::null()),
        Some(LIST_LIMIT),
    )
    .map_err(|e| anyhow::anyhow!("cannot run {}: {e}", binary.display()))?;
    if !output.ended.outcome.success() {
        anyhow::bail!(
            "{} --list {} instead of listing its tests",
            binary.display(),
            output.ended.outcome
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect())
}

/// Every test's outcome and every failure's message, from libtest's output.
#[derive(Debug, Default)]
pub struct Outcomes {
    passed: BTreeMap<String, bool>,
    messages: BTreeMap<String, String>,
}

impl Outcomes {
    /// Reads libtest's human output, calling `on_test` as each test ends.
    #[cfg(test)]
    pub fn read(&mut self, output: &str, on_test: &mut dyn FnMut(&str, bool)) {
        for line in output.lines() {
            self.test_line(line, on_test);
        }
        self.failures(output);
    }

    /// Notes a `test NAME ... ok|FAILED` line.
    fn test_line(&mut self, line: &str, on_test: &mut dyn FnMut(&str, bool)) {
        if let Some(rest) = line.strip_prefix("test ")
            && let Some((name, result)) = rest.split_once(" ... ")
            && matches!(result, "ok" | "FAILED")
        {
            let passed = result == "ok";
            self.passed.insert(name.to_string(), passed);
            on_test(name, passed);
        }
    }

    /// Reads the `---- NAME stdout ----` sections of the failures.
    fn failures(&mut self, output: &str) {
        let mut section: Option<(String, Vec<String>)> = None;
        for line in output.lines() {
            if let Some(name) = line
                .strip_prefix("---- ")
                .and_then(|l| l.strip_suffix(" stdout ----"))
            {
                self.close(section.take());
                section = Some((name.to_string(), Vec::new()));
            } else if line == "failures:" {
                self.close(section.take());
            } else if let Some((_, lines)) = &mut section {
                lines.push(line.to_string());
            }
        }
        self.close(section);
    }

    fn close(&mut self, section: Option<(String, Vec<String>)>) {
        if let Some((name, lines)) = section {
            self.messages.insert(name, panic_message(&lines));
        }
    }

    /// Judges how the test binary ended, against the tests it planned to
    /// run: a planned test that never reported fails, saying what the binary
    /// did; an exit status that contradicts the reports (killed, aborted,
    /// exited with an odd code, or 101 with nothing failed) fails the tests
    /// that reported a pass. libtest exits 0 when all passed, 101 when one
    /// failed.
    pub fn binary_ended(&mut self, planned: &[String], outcome: supervisor::Outcome) {
        use supervisor::Outcome;
        let seen = match outcome {
            Outcome::Exited(code) => format!("exited with code {code}"),
            Outcome::Signalled(signal) => {
                format!("was killed by {}", supervisor::signal_name(signal))
            }
            Outcome::TimedOut(limit) => {
                format!("ran longer than {} s and was stopped", limit.as_secs())
            }
            Outcome::Stopped => "was stopped".to_string(),
        };
        let mine: Vec<&String> = planned.iter().collect();
        let any_failed = mine.iter().any(|t| self.passed.get(*t) == Some(&false));
        let consistent = match outcome {
            Outcome::Exited(0) => !any_failed,
            Outcome::Exited(101) => any_failed,
            _ => false,
        };
        for test in mine {
            match self.passed.get(test) {
                None => {
                    self.passed.insert(test.clone(), false);
                    self.messages.insert(
                        test.clone(),
                        format!("the test binary {seen} before this check reported a result"),
                    );
                }
                Some(true) if !consistent => {
                    self.passed.insert(test.clone(), false);
                    self.messages.insert(
                        test.clone(),
                        format!("this check reported a pass, but the test binary then {seen}"),
                    );
                }
                Some(_) => {}
            }
        }
    }

    /// The results per exercise; an exercise with no test that ran is pending.
    pub fn results(&self, exercises: &[&ExerciseInfo]) -> Vec<CheckResult> {
        exercises
            .iter()
            .map(|exercise| {
                let mine: Vec<(&String, bool)> = self
                    .passed
                    .iter()
                    .filter(|(test, _)| exercise_of(test) == Some(exercise.name))
                    .map(|(test, passed)| (test, *passed))
                    .collect();
                let failed: Vec<&String> =
                    mine.iter().filter(|(_, p)| !p).map(|(t, _)| *t).collect();
                let message = match failed.first() {
                    Some(test) => Some(format!(
                        "{test}:\n{}",
                        self.messages
                            .get(*test)
                            .map_or("(no message)", String::as_str)
                    )),
                    None if mine.is_empty() => Some("no check ran".to_string()),
                    None => None,
                };
                CheckResult {
                    name: exercise.name.to_string(),
                    passed: !mine.is_empty() && failed.is_empty(),
                    tests: mine.len(),
                    failed: failed.len(),
                    message,
                }
            })
            .collect()
    }
}

/// The exercise a test belongs to: the first segment of its path that names
/// one (`checks::philosophers::everyone_gets_to_eat` → `philosophers`).
pub fn exercise_of(test: &str) -> Option<&'static str> {
    test.split("::")
        .find_map(|segment| catalog().iter().find(|e| e.name == segment).map(|e| e.name))
}

/// The first panic message in a failed test's output, without the noise.
fn panic_message(lines: &[String]) -> String {
    let Some(start) = lines.iter().position(|l| l.contains(" panicked at ")) else {
        return lines
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string();
    };
    let location = lines[start]
        .split(" panicked at ")
        .nth(1)
        .unwrap_or("")
        .trim_end_matches(':');
    let message: Vec<&str> = lines[start + 1..]
        .iter()
        .map(String::as_str)
        .take_while(|l| {
            !l.is_empty()
                && !l.starts_with("note:")
                && !l.starts_with("stack backtrace:")
                && !l.starts_with("thread '")
        })
        .collect();
    // The checks are included from `<crate>/tests/../../tests/checks/`.
    let location = location
        .rsplit_once("../")
        .map_or(location, |(_, rest)| rest);
    if location.starts_with("tests/checks/mod.rs")
        || location.contains("supervisor/src/isolation.rs")
    {
        // The deadline helpers and the isolation harness: their messages
        // already say what was seen, and where.
        return message.join("\n");
    }
    format!("{}\n  (at {location})", message.join("\n"))
}

pub(super) fn run_binary(
    root: &Path,
    binary: &Path,
    filter: Option<&str>,
    outcomes: &mut Outcomes,
    on_test: &mut dyn FnMut(&str, bool),
) -> anyhow::Result<()> {
    run_binary_watched(root, binary, filter, outcomes, on_test, &|_, _| None)
}

pub(super) fn run_binary_watched(
    root: &Path,
    binary: &Path,
    filter: Option<&str>,
    outcomes: &mut Outcomes,
    on_test: &mut dyn FnMut(&str, bool),
    watch: Watch,
) -> anyhow::Result<()> {
    let planned = list_tests(binary, filter)?;
    // Most checks wait (on a deadline, a child, a sleep) rather than compute:
    // running many at once keeps a run of stubs, whose deadlocks each take
    // seconds to time out, about as quick as the slowest one.
    let mut child = supervisor::spawn(
        Command::new(binary)
            .args(filter)
            .args(["--test-threads=32", "--color=never"])
            .current_dir(root)
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    )
    .map_err(|e| anyhow::anyhow!("cannot run {}: {e}", binary.display()))?;
    let watched = watch(child.pid(), child.stopper());
    let stdout = child.stdout.take().expect("stdout is piped");
    let (line_tx, line_rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if line_tx.send(line).is_err() {
                break;
            }
        }
    });
    // The lines go through a channel so that a binary that never ends can be
    // stopped at the deadline instead of blocking this thread.
    let deadline = Instant::now() + RUN_LIMIT;
    let mut text = String::new();
    let mut timed_out = None;
    loop {
        match line_rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) => {
                outcomes.test_line(&line, on_test);
                text.push_str(&line);
                text.push('\n');
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                timed_out = Some(RUN_LIMIT);
                break;
            }
        }
    }
    // Stdout closed: the binary is ending (or is stopped at the deadline);
    // its whole tree is ended and reaped either way.
    if timed_out.is_none()
        && child.wait(Some(deadline.saturating_duration_since(Instant::now())))
            == supervisor::Waited::Deadline
    {
        timed_out = Some(RUN_LIMIT);
    }
    let ended = child.end(timed_out);
    if let Some(ended_watch) = watched {
        ended_watch(&ended.outcome);
    }
    let _ = reader.join();
    // Failure sections span many lines: read them from the whole output.
    outcomes.failures(&text);
    outcomes.binary_ended(&planned, ended.outcome);
    Ok(())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    const OUTPUT: &str = "
running 3 tests
test checks::philosophers::forks_are_taken_in_one_global_order ... FAILED
test checks::word_count::any_number_of_workers ... ok
test checks::philosophers::everyone_gets_to_eat ... FAILED

failures:

---- checks::philosophers::everyone_gets_to_eat stdout ----

thread 'checks::philosophers::everyone_gets_to_eat' (12) panicked at tests/checks/mod.rs:55:13:
did not finish within 5 s: likely a deadlock
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- checks::philosophers::forks_are_taken_in_one_global_order stdout ----

thread 'x' (13) panicked at tests/checks/philosophers.rs:26:13:
assertion `left == right` failed: philosopher 0
  left: 1
 right: 2

failures:
    checks::philosophers::everyone_gets_to_eat

test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 5.00s
";

    #[test]
    fn reads_libtest_output() {
        let mut outcomes = Outcomes::default();
        let mut seen = Vec::new();
        outcomes.read(OUTPUT, &mut |name, passed| {
            seen.push((name.to_string(), passed));
        });
        assert_eq!(seen.len(), 3);
        let exercises: Vec<_> = ["philosophers", "word_count", "semaphore"]
            .iter()
            .map(|n| super::super::catalog::find(n).unwrap())
            .collect();
        let results = outcomes.results(&exercises);
        assert!(!results[0].passed && results[0].failed == 2 && results[0].tests == 2);
        let message = results[0].message.as_deref().unwrap();
        assert!(
            message.starts_with("checks::philosophers::everyone_gets_to_eat:\ndid not finish"),
            "{message}"
        );
        assert!(!message.contains("RUST_BACKTRACE"), "{message}");
        assert!(results[1].passed && results[1].message.is_none());
        assert!(!results[2].passed, "no test ran: pending");
    }

    /// A fake test binary: lists two philosophers checks, reports the first
    /// as passed, then does `then` (a shell snippet).
    fn fake_binary(dir: &Path, then: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("checks");
        let script = format!(
            "#!/bin/sh\ncase \"$*\" in *--list*) printf 'checks::philosophers::a: test\\nchecks::philosophers::b: test\\n'; exit 0;; esac\necho 'test checks::philosophers::a ... ok'\n{then}\n"
        );
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    /// Runs a script the test just wrote. Another test's fork may hold it
    /// open for writing for an instant (inherited between fork and exec),
    /// and exec then fails with ETXTBSY ("Text file busy"): try again.
    pub(in crate::exercises) fn retrying_busy(mut run: impl FnMut() -> anyhow::Result<()>) {
        for _ in 0..100 {
            match run() {
                Err(e) if format!("{e:#}").contains("Text file busy") => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                other => return other.unwrap(),
            }
        }
        panic!("the script stayed busy (ETXTBSY) for a second");
    }

    fn judge(then: &str) -> CheckResult {
        let dir = tempfile::tempdir().unwrap();
        let binary = fake_binary(dir.path(), then);
        let mut outcomes = Outcomes::default();
        retrying_busy(|| run_binary(dir.path(), &binary, None, &mut outcomes, &mut |_, _| {}));
        let philosophers = super::super::catalog::find("philosophers").unwrap();
        outcomes.results(&[philosophers]).remove(0)
    }

    #[test]
    fn every_planned_test_reporting_ok_with_exit_0_passes() {
        let result = judge("echo 'test checks::philosophers::b ... ok'; exit 0");
        assert!(result.passed, "{result:?}");
    }

    #[test]
    fn a_binary_that_exits_0_before_every_test_reported_is_not_done() {
        let result = judge("exit 0");
        assert!(!result.passed && result.failed == 1, "{result:?}");
        let message = result.message.unwrap();
        assert!(
            message.contains("the test binary exited with code 0 before this check reported"),
            "{message}"
        );
    }

    #[test]
    fn a_binary_that_aborts_is_not_done() {
        let result = judge("kill -ABRT $$");
        assert!(!result.passed, "{result:?}");
        let message = result.message.unwrap();
        assert!(
            message.contains("was killed by signal 6 (SIGABRT)"),
            "{message}"
        );
    }

    #[test]
    fn an_exit_status_that_contradicts_the_reports_fails_them() {
        let result = judge("echo 'test checks::philosophers::b ... ok'; exit 3");
        assert!(!result.passed && result.failed == 2, "{result:?}");
        let message = result.message.unwrap();
        assert!(
            message.contains("reported a pass, but the test binary then exited with code 3"),
            "{message}"
        );
    }

    #[test]
    fn test_names_map_to_exercises() {
        assert_eq!(
            exercise_of("checks::pool_lock::jobs_run_at_the_same_time"),
            Some("pool_lock")
        );
        assert_eq!(
            exercise_of("models::lost_update::two_increments_make_two"),
            Some("lost_update")
        );
        assert_eq!(exercise_of("checks::within"), None);
    }

    #[test]
    fn finds_the_first_compile_error() {
        let stdout = [
            r#"{"reason":"compiler-message","message":{"level":"warning","rendered":"warning: unused\n","spans":[]}}"#,
            r#"{"reason":"compiler-message","message":{"level":"error","rendered":"error[E0308]: mismatched types\n  --> exercises/04_semaphore.rs:40:9\n   |\n40 |         1\n","spans":[{"file_name":"exercises/04_semaphore.rs","is_primary":true}]}}"#,
            r#"{"reason":"compiler-message","message":{"level":"error","rendered":"error: aborting due to 1 previous error\n","spans":[]}}"#,
        ];
        let first = stdout
            .iter()
            .find_map(|line| match crate::cargo_json::parse(line) {
                Some(Message::CompilerMessage { message }) if message.level == "error" => {
                    Some(message)
                }
                _ => None,
            });
        let failure = build_failure(first, "   Compiling exercises v0.1.0\n");
        assert!(
            failure.message.starts_with("error[E0308]"),
            "{}",
            failure.message
        );
        assert_eq!(failure.file.as_deref(), Some("exercises/04_semaphore.rs"));
        // No diagnostic: cargo's own words.
        let failure = build_failure(None, "error: failed to parse manifest\n");
        assert_eq!(
            failure.message,
            "cargo failed:\nerror: failed to parse manifest"
        );
        assert_eq!(failure.file, None);
    }
}
