//! Building a lesson with cargo before it runs, so the binary matches the
//! source a learner just edited.
use super::{Control, RunEvent};
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

/// Runs `cargo build --bin <bin>` into the workbook's own target folder,
/// streaming progress lines. Err carries a one-line reason; the compiler's
/// full message went out as [`RunEvent::BuildFailed`].
pub fn build(bin: &str, tx: &Sender<RunEvent>, control: &Control) -> Result<(), String> {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !project.join("Cargo.toml").exists() {
        let _ = tx.send(RunEvent::Build(
            "no project source here; running the lesson as built".into(),
        ));
        return Ok(());
    }
    let dir = binary_dir().map_err(|e| e.to_string())?;
    let profile = dir.file_name().and_then(|n| n.to_str()).unwrap_or("debug");
    let target = dir.parent().unwrap_or(&dir);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(project)
        .args(["build", "--color", "never", "--bin", bin, "--target-dir"])
        .arg(target)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
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
    let _ = tx.send(RunEvent::Build(format!("cargo build --bin {bin}")));
    let mut child = supervisor::spawn(&mut command)
        .map_err(|e| format!("cannot run cargo: {e} (is Rust installed?)"))?;
    control.supervise(child.stopper());
    let stderr = child.stderr.take().expect("piped");
    let progress = tx.clone();
    let reader = std::thread::spawn(move || {
        let mut report = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let trimmed = line.trim_start();
            if trimmed.starts_with("Compiling")
                || trimmed.starts_with("Blocking")
                || trimmed.starts_with("Finished")
                || trimmed.starts_with("Building")
            {
                let _ = progress.send(RunEvent::Build(trimmed.to_string()));
            } else {
                report.push(line);
            }
        }
        report
    });
    let ended = child.run(None);
    control.supervise_none();
    let report = reader.join().unwrap_or_default();
    match ended.outcome {
        supervisor::Outcome::Exited(0) => Ok(()),
        supervisor::Outcome::Stopped => Err("build stopped".into()),
        _ => {
            let _ = tx.send(RunEvent::BuildFailed(report.join("\n")));
            Err(format!("{bin} did not compile"))
        }
    }
}
