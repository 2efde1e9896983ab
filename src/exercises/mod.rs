//! Exercises: listing, checking, hints, reset and solutions (`workbook check`
//! and friends). Being written.
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check your exercises (all, or one by name).
    Check {
        /// An exercise name; all when omitted.
        name: Option<String>,
    },
}

pub fn run(command: &Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Check { .. } => anyhow::bail!("exercises are not written yet"),
    }
}
