//! Building a lesson with cargo before it runs, so the binary matches the
//! source a learner just edited.
use super::{Control, RunEvent};
use crate::cargo_json::Message;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::SyncSender as Sender;

/// Where the lesson binaries live: beside the running `workbook` (or, for a
/// test binary in `target/debug/deps`, one folder up).
fn binary_dir() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let mut dir = exe
        .parent()
        .ok_or_else(|| anyhow::anyhow!("the workbook binary has no folder"))?
        .to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    Ok(dir)
}

pub fn lesson_binary(bin: &str) -> anyhow::Result<PathBuf> {
    Ok(binary_dir()?.join(bin))
}

/// Why a build did not give a binary; the runner turns each into an
/// [`super::Outcome`] without reading any message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    /// The compiler refused the code: its errors went out as
    /// [`RunEvent::BuildFailed`].
    Failed,
    /// [`super::Run::stop`] was asked during the build.
    Stopped,
    /// cargo could not be started (or its folder found): why, in words.
    CannotRun(String),
}

/// The package the lesson binaries belong to (lessons/Cargo.toml).
pub const LESSONS_PACKAGE: &str = "lessons";

/// Runs `cargo build -p lessons --bin <bin>` into the workbook's own target folder.
/// cargo's status lines (stderr) stream as [`RunEvent::Build`] as they are;
/// its JSON messages (stdout, [`crate::cargo_json`]) give the compiler's
/// diagnostics, sent as one [`RunEvent::BuildFailed`] if the build fails.
pub fn build(bin: &str, tx: &Sender<RunEvent>, control: &Control) -> Result<(), BuildError> {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !project.join("Cargo.toml").exists() {
        let _ = tx.send(RunEvent::Build(
            "no project source here; running the lesson as built".into(),
        ));
        return Ok(());
    }
    let dir = binary_dir().map_err(|e| BuildError::CannotRun(e.to_string()))?;
    let profile = dir.file_name().and_then(|n| n.to_str()).unwrap_or("debug");
    let target = dir.parent().unwrap_or(&dir);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(project)
        .args(["build", "--color", "never", "--message-format", "json"])
        .args(["-p", LESSONS_PACKAGE, "--bin", bin, "--target-dir"])
        .arg(target)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if profile != "debug" {
        command.args([
            "--profile",
            if profile == "release" {
                "release"
            } else {
                profile
            },
        ]);
    }
    let _ = tx.send(RunEvent::Build(format!(
        "cargo build -p {LESSONS_PACKAGE} --bin {bin}"
    )));
    let mut child = supervisor::spawn(&mut command).map_err(|e| {
        BuildError::CannotRun(format!("cannot run cargo: {e} (is Rust installed?)"))
    })?;
    control.supervise(child.stopper());
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    let progress = tx.clone();
    let status = std::thread::spawn(move || {
        let mut said = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = progress.send(RunEvent::Build(line.trim_start().to_string()));
            said.push(line);
        }
        said
    });
    let messages = std::thread::spawn(move || {
        let mut diagnostics = Vec::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(Message::CompilerMessage { message }) = crate::cargo_json::parse(&line)
                && let Some(rendered) = message.rendered
                && (message.level == "error" || message.level == "warning")
            {
                diagnostics.push(rendered);
            }
        }
        diagnostics
    });
    let ended = child.run(None);
    control.supervise_none();
    let said = status.join().unwrap_or_default();
    let diagnostics = messages.join().unwrap_or_default();
    match ended.outcome {
        supervisor::Outcome::Exited(0) => Ok(()),
        supervisor::Outcome::Stopped => Err(BuildError::Stopped),
        _ => {
            // No diagnostics: cargo itself failed (a broken manifest, a
            // missing target), and said why on stderr.
            let report = if diagnostics.is_empty() {
                said.join("\n")
            } else {
                diagnostics.concat().trim_end().to_string()
            };
            let _ = tx.send(RunEvent::BuildFailed(report));
            Err(BuildError::Failed)
        }
    }
}
