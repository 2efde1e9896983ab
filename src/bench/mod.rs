//! `workbook bench`: figures measured on this machine.
use clap::{Args, ValueEnum};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// What to measure.
    #[arg(value_enum, default_value_t = Suite::Models)]
    pub suite: Suite,
    /// Print the figures as JSON, for scripts.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Suite {
    /// Threads, rayon, processes and tokio on I/O-bound and CPU-bound jobs.
    Models,
    /// The cost of recording spans for the timeline.
    Trace,
}

pub fn run(args: &BenchArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the {:?} benchmark is not written yet", args.suite)
}
