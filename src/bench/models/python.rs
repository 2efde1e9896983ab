//! The Python side: the same kinds of job in `CPython`, where `python3` is
//! installed, so each Rust row can be read beside its Python counterpart.
//! The script is compiled into the binary and written to a temporary file
//! (multiprocessing needs a real file to import in its children).
mod figures;

pub use figures::{Cost, Job, PythonFigures, Row, Startup, parse};
use serde_json::Value;
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::Duration;

const SCRIPT: &str = include_str!("../python/models.py");

/// The interpreter to use: `WORKBOOK_PYTHON` if set (`off` skips Python),
/// else `python3` from `PATH`.
fn interpreter() -> Option<String> {
    match std::env::var("WORKBOOK_PYTHON") {
        Ok(value) if value == "off" || value.is_empty() => None,
        Ok(value) => Some(value),
        Err(_) => Some("python3".to_string()),
    }
}

/// Runs the script with `config`; `Err` says why Python was skipped.
pub fn run(config: &Value, limit: Duration) -> Result<PythonFigures, String> {
    let python = interpreter().ok_or("WORKBOOK_PYTHON=off")?;
    // Removed when it drops.
    let script = tempfile::Builder::new()
        .prefix("workbook-bench-")
        .suffix(".py")
        .tempfile()
        .and_then(|mut file| file.write_all(SCRIPT.as_bytes()).map(|()| file))
        .map_err(|e| format!("cannot write the Python benchmark script: {e}"))?;
    run_script(&python, script.path(), config, limit)
}

fn run_script(
    python: &str,
    path: &std::path::Path,
    config: &Value,
    limit: Duration,
) -> Result<PythonFigures, String> {
    // Supervised: the pool's worker processes end with the script, on a
    // deadline or a Ctrl-C too.
    let output = supervisor::output(
        Command::new(python)
            .arg(path)
            .arg(config.to_string())
            .stdin(Stdio::null()),
        Some(limit),
    )
    .map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{python} not found"),
        _ => format!("cannot start {python}: {e}"),
    })?;
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    match output.ended.outcome {
        supervisor::Outcome::Exited(0) => {}
        supervisor::Outcome::TimedOut(limit) => {
            return Err(format!(
                "the Python workloads took longer than {} s; stopped them",
                limit.as_secs()
            ));
        }
        outcome => {
            let last = err.lines().last().unwrap_or("no message");
            return Err(format!("the Python workloads failed ({outcome}): {last}"));
        }
    }
    parse(out.trim())
        .map_err(|e| format!("the Python script's output does not match what Rust reads: {e}"))
}
