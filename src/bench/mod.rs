//! `workbook bench`: figures measured on this machine.
use clap::{Args, ValueEnum};
use std::process::ExitCode;

pub mod flood;
pub mod models;
pub mod sampler;
pub mod trace;
pub mod tui;

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// What to measure.
    #[arg(value_enum, default_value_t = Suite::Models)]
    pub suite: Suite,
    /// Print the figures as JSON, for scripts.
    #[arg(long)]
    pub json: bool,
    /// Smaller workloads and fewer repeats where the figures stay sound: models
    /// keeps its half-second CPU jobs and drops pool sizes, so it saves less.
    #[arg(long)]
    pub quick: bool,
    /// Internal: run as a worker process of the process model.
    #[arg(long, hide = true)]
    pub worker: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Suite {
    /// Threads, rayon, processes and tokio on I/O-bound and CPU-bound jobs.
    Models,
    /// The cost of recording spans for the timeline.
    Trace,
    /// The terminal app: frame time on a large timeline, start-up, intake.
    Tui,
    /// The kernel sampler: its cost with 100 threads, and how well it reads
    /// spinning, queued and sleeping threads.
    Sampler,
    /// A lesson flooding spans for 10 s into the TUI's intake: peak memory
    /// and how far the view falls behind.
    Flood,
}

pub fn run(args: &BenchArgs) -> anyhow::Result<ExitCode> {
    match args.suite {
        Suite::Models => models::run(args),
        Suite::Tui => tui::bench(args),
        Suite::Trace => trace::run(args),
        Suite::Sampler => sampler::run(args),
        Suite::Flood => flood::run(args),
    }
}
