//! The command line: parsing, dispatch, and turning errors into messages and
//! exit codes.
pub use crate::cli_args::{LessonArgs, RunArgs, TraceArgs};
use crate::{bench, catalog, cli_run, exercises, tui};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::process::ExitCode;

/// An interactive workbook for learning concurrency in Rust.
///
/// With no command it opens the terminal app: pick a lesson, read its source,
/// run it and watch its threads, tasks and processes on a live timeline.
#[derive(Debug, Parser)]
#[command(name = "workbook", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Use the lesson binaries as built; do not run cargo before a lesson
    /// runs (the terminal app, run, trace and compare).
    #[arg(long, global = true)]
    pub no_build: bool,
}

const AFTER_HELP: &str = "\
Lessons are named by number (01 or 1), by a word of their name (threading), or in full.

Examples:
  workbook                       open the terminal app
  workbook list                  the lessons and their demos
  workbook run 01 --demo scoped  run one demo, then draw its timeline
  workbook trace 03 -o t.json    write a trace that ui.perfetto.dev opens
  workbook check                 check your exercises
  workbook --no-build            the terminal app, running the lessons as built

Runs from run, trace and the terminal app are kept in $XDG_DATA_HOME/workbook/runs
(or ~/.local/share/workbook/runs); the terminal app's past runs (o) replays them.";

const FREEZE_HELP: &str = "\
Ctrl-Z freezes the run: the lesson and every process it started are stopped
(SIGSTOP), then the workbook stops as any program does and the shell takes
the terminal back. `fg` (or `bg`) continues the workbook, which resumes them
(SIGCONT). The timeline marks the frozen stretch, and its kernel rows show
that nothing ran. --timeout counts running time only: time frozen is not
counted. While cargo is still building, Ctrl-Z stops only the workbook.";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the lessons and their demos, with the curriculum ids each covers.
    #[command(after_help = catalog::IDS_LEGEND)]
    List,
    /// Run a lesson (or one demo), stream its output, then draw its timeline.
    #[command(after_help = FREEZE_HELP)]
    Run(RunArgs),
    /// Run a lesson and write its timeline as Chrome trace JSON for Perfetto.
    #[command(after_help = FREEZE_HELP)]
    Trace(TraceArgs),
    /// Measure on this machine: concurrency models, or the cost of tracing.
    Bench(bench::BenchArgs),
    /// Run a demo and its Python twin and draw both, with the kernel's verdict.
    Compare(crate::compare::CompareArgs),
    /// Print a workshop plan from the minutes the lesson notes give each demo.
    Schedule(tui::schedule::ScheduleArgs),
    #[command(flatten)]
    Exercises(exercises::Command),
}

pub fn main() -> ExitCode {
    quiet_on_broken_pipe();
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            if let Some(unknown) = err.downcast_ref::<catalog::UnknownLesson>() {
                eprintln!("error: {unknown}");
                return ExitCode::from(2);
            }
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

/// `workbook list | head -1` closes our stdout early; `println!` then
/// panics. Like other command-line tools, end quietly and successfully.
fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        // Any other failure to print (a full disk, /dev/full): say so and
        // fail, without a panic's trace.
        if let Some(why) = message.strip_prefix("failed printing to stdout: ") {
            eprintln!("error: cannot write to standard output: {why}");
            std::process::exit(1);
        }
        default(info);
    }));
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    if matches!(
        cli.command,
        Some(Command::Run(_) | Command::Trace(_) | Command::Bench(_) | Command::Exercises(_))
    ) {
        // These start processes: a signal stops their whole trees and exits
        // with 128 + signal. The TUI handles signals itself.
        supervisor::stop_all_on_signals();
    }
    let build = !cli.no_build;
    match cli.command {
        None => open_tui(build),
        Some(Command::List) => {
            list()?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Run(args)) => cli_run::run(&args, build),
        Some(Command::Trace(args)) => cli_run::trace(&args, build),
        Some(Command::Bench(args)) => bench::run(&args),
        Some(Command::Compare(args)) => crate::compare::run(&args, build),
        Some(Command::Schedule(args)) => tui::schedule::run(&args),
        Some(Command::Exercises(command)) => exercises::run(&command),
    }
}

fn open_tui(build: bool) -> anyhow::Result<ExitCode> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!(
            "workbook: the terminal app needs an interactive terminal, and this is not one.\n\
             Without one, try:\n  \
             cargo run -- list             the lessons and their demos\n  \
             cargo run -- run 01           run lesson 01 and print its timeline\n  \
             cargo run -- check            check your exercises\n  \
             cargo run -- --help           everything else"
        );
        return Ok(ExitCode::from(2));
    }
    tui::run(build)
}

fn list() -> anyhow::Result<()> {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let mut text = String::new();
    for lesson in catalog::lessons() {
        let _ = writeln!(
            text,
            "{:02}  {}  ({})",
            lesson.number, lesson.title, lesson.bin
        );
        if !lesson.summary.is_empty() {
            let _ = writeln!(text, "    {}", lesson.summary);
        }
        for demo in &lesson.demos {
            let _ = writeln!(text, "      --demo {:<22} {}", demo.name, demo.covers);
        }
    }
    text.push('\n');
    // The legend, wrapped to a terminal's 80 columns.
    let mut line = String::new();
    for word in catalog::IDS_LEGEND.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > 78 {
            let _ = writeln!(text, "{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    let _ = writeln!(text, "{line}");
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| anyhow::Error::new(e).context("cannot write to standard output"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use std::time::Duration;

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{args:?}: {e}"))
    }

    /// One way to skip the build, anywhere on the line, the app too; one
    /// run timeout by default.
    #[test]
    fn no_build_goes_with_any_command_and_the_timeout_is_the_runners() {
        let app = parse(&["workbook", "--no-build"]);
        assert!(app.no_build && app.command.is_none());
        assert!(!parse(&["workbook"]).no_build);
        for args in [
            &["workbook", "run", "01", "--no-build"][..],
            &["workbook", "--no-build", "trace", "01", "-o", "x.json"],
            &["workbook", "compare", "01", "cpu_bound", "--no-build"],
        ] {
            assert!(parse(args).no_build, "{args:?}");
        }
        let Some(Command::Run(run)) = parse(&["workbook", "run", "04"]).command else {
            panic!("not a run");
        };
        assert_eq!(
            Duration::from_secs(run.lesson.timeout),
            crate::runner::RUN_TIMEOUT
        );
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("--no-build"), "{help}");
    }
}
