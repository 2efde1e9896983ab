//! The Python side: the same kinds of job in `CPython`, where `python3` is
//! installed, so each Rust row can be read beside its Python counterpart.
//! The script is compiled into the binary and written to a temporary file
//! (multiprocessing needs a real file to import in its children).
use serde_json::Value;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
pub fn run(config: &Value, limit: Duration) -> Result<Value, String> {
    let python = interpreter().ok_or("WORKBOOK_PYTHON=off")?;
    let path = std::env::temp_dir().join(format!("workbook-bench-{}.py", std::process::id()));
    std::fs::write(&path, SCRIPT).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let result = run_script(&python, &path, config, limit);
    let _ = std::fs::remove_file(&path);
    result
}

fn run_script(
    python: &str,
    path: &std::path::Path,
    config: &Value,
    limit: Duration,
) -> Result<Value, String> {
    let mut child = Command::new(python)
        .arg(path)
        .arg(config.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("{python} not found"),
            _ => format!("cannot start {python}: {e}"),
        })?;
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the Python workloads took longer than {} s; stopped them",
                    limit.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("waiting for {python}: {e}")),
        }
    };
    let (out, err) = (
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    );
    if !status.success() {
        let last = err.lines().last().unwrap_or("no message");
        return Err(format!("the Python workloads failed ({status}): {last}"));
    }
    serde_json::from_str(out.trim()).map_err(|e| format!("unreadable output from Python: {e}"))
}
