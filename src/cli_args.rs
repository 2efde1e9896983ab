//! The arguments of the commands that run a lesson (`run`, `trace`), apart
//! from the parser in `cli.rs` so that the code running them (`cli_run.rs`,
//! `cli_ask.rs`) does not depend on the dispatcher that calls it.
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct LessonArgs {
    /// The lesson: `01`, `1`, `threading` or `01_threading_basics`.
    pub lesson: String,
    /// Run only this demo (see `workbook list`).
    #[arg(long)]
    pub demo: Option<String>,
    /// Stop the lesson if it runs longer than this many seconds (the build
    /// and time frozen with Ctrl-Z are not counted). The default is the
    /// workbook's one run timeout, the terminal app's too.
    #[arg(long, default_value_t = crate::runner::RUN_TIMEOUT.as_secs())]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub lesson: LessonArgs,
    /// Timeline width in columns (default: the terminal's).
    #[arg(long)]
    pub width: Option<usize>,
    /// Ask the demo's question before it runs, then show what the run
    /// measured beside your answer (needs --demo).
    #[arg(long)]
    pub ask: bool,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    #[command(flatten)]
    pub lesson: LessonArgs,
    /// Where to write the JSON.
    #[arg(short, long)]
    pub output: PathBuf,
}
