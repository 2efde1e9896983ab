//! The terminal app: lesson list, highlighted source, live timeline.
//! Being written; see `workbook --help` for what works today.
use std::process::ExitCode;

pub fn run() -> anyhow::Result<ExitCode> {
    eprintln!("The TUI is not written yet. Try `workbook list` or `workbook run 01`.");
    Ok(ExitCode::from(2))
}
