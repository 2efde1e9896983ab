//! `workbook compare 01 cpu_bound`: a Rust demo and its Python twin
//! (`lessons/python/<lesson>.py --demo NAME`, standard library only) run one
//! after the other through the same runner, drawn one above the other, and a
//! verdict from what the kernel saw: the cores each one's worker threads
//! used while they ran, counted the same way on both sides ([`verdict`]).
//! The twin has no recorder: the sampler alone gives its lanes.
pub mod verdict;

use crate::catalog;
use crate::runner::{Outcome, Run, RunEvent, RunOptions};
use crate::timeline::Timeline;
use crate::views::text;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The lesson: `01`, `threading`, ...
    pub lesson: String,
    /// The demo with a Python twin, e.g. `cpu_bound`.
    pub demo: String,
    /// Timeline width in columns.
    #[arg(long, default_value_t = 100)]
    pub width: usize,
    /// Use the lesson binary as built; do not run cargo first.
    #[arg(long)]
    pub no_build: bool,
}

pub fn run(args: &CompareArgs) -> anyhow::Result<ExitCode> {
    let lesson = catalog::find(&args.lesson)?;
    anyhow::ensure!(
        lesson.demos.iter().any(|d| d.name == args.demo),
        "lesson {} has no demo `{}`",
        lesson.bin,
        args.demo
    );
    let twin = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("lessons/python")
        .join(format!("{}.py", lesson.bin));
    anyhow::ensure!(
        twin.exists(),
        "lesson {} has no Python twin ({} is missing)",
        lesson.bin,
        twin.display()
    );
    let python_here = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !python_here {
        println!("compare: skipped, python3 is not installed here");
        return Ok(ExitCode::SUCCESS);
    }
    let options = |build| RunOptions {
        demo: Some(args.demo.clone()),
        timeout: Some(Duration::from_secs(120)),
        build,
        trace_limit: None,
    };
    println!("── Python: {} --demo {} ──", twin.display(), args.demo);
    let (python, python_outcome) = collect(&Run::start_program(twin, lesson.bin, options(false)))?;
    println!("── Rust: {} --demo {} ──", lesson.bin, args.demo);
    let (rust, rust_outcome) = collect(&Run::start(lesson, options(!args.no_build))?)?;
    let style = text::Style {
        width: args.width,
        color: false,
    };
    println!("\n── Python · {python_outcome} ──");
    print!("{}", text::render(&python, style));
    println!("\n── Rust · {rust_outcome} ──");
    print!("{}", text::render(&rust, style));
    match (verdict::workers(&python), verdict::workers(&rust)) {
        (Some(p), Some(r)) => {
            println!("\nverdict (kernel's figures): Python: {p}; Rust: {r}");
            println!("({})", verdict::COUNTED);
        }
        _ => println!(
            "\nverdict: no kernel figures (the sampler could not read this machine's threads, \
             or saw no worker threads)"
        ),
    }
    let ok = python_outcome.success() && rust_outcome.success();
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Runs to the end, echoing output, into a model.
fn collect(run: &Run) -> anyhow::Result<(Timeline, Outcome)> {
    let mut timeline = Timeline::new();
    loop {
        let Ok(event) = run.events().recv() else {
            anyhow::bail!("the runner stopped without saying how the run ended");
        };
        match event {
            RunEvent::Stdout(line) => println!("  {line}"),
            RunEvent::Stderr(line) | RunEvent::BuildFailed(line) => eprintln!("  {line}"),
            RunEvent::Trace { conn, records } => {
                for record in records {
                    timeline.ingest(conn, record);
                }
            }
            RunEvent::Disconnected { conn } => timeline.disconnected(conn),
            RunEvent::WireError { conn, message } => timeline.wire_error(conn, &message),
            RunEvent::Exited(outcome) => return Ok((timeline, outcome)),
            _ => {}
        }
    }
}
