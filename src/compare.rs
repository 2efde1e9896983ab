//! `workbook compare 01 cpu_bound`: a Rust demo and its Python twin
//! (`lessons/python/<lesson>.py --demo NAME`, standard library only) run one
//! after the other through the same runner, drawn one above the other, and a
//! verdict from what the kernel saw: the cores each one's worker threads
//! used while they ran, counted the same way on both sides ([`verdict`]).
//! The twin has no recorder: the sampler alone gives its lanes.
pub mod live;
pub mod verdict;

use crate::catalog;
use crate::run::{RunModel, Said};
use crate::runner::{Outcome, Run, RunOptions};
use crate::timeline::Timeline;
use crate::views::text;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The lesson: `01`, `threading`, ...
    pub lesson: String,
    /// The demo with a Python twin, e.g. `cpu_bound`.
    pub demo: String,
    /// Timeline width in columns.
    #[arg(long, default_value_t = 100)]
    pub width: usize,
}

/// Runs the twins; `build`: run cargo before the Rust one.
pub fn run(args: &CompareArgs, build: bool) -> anyhow::Result<ExitCode> {
    let lesson = catalog::find(&args.lesson)?;
    anyhow::ensure!(
        lesson.demos.iter().any(|d| d.name == args.demo),
        "lesson {} has no demo `{}`",
        lesson.bin,
        args.demo
    );
    let twin = twin_path(lesson);
    anyhow::ensure!(
        twin.exists(),
        "lesson {} has no Python twin ({} is missing)",
        lesson.bin,
        twin.display()
    );
    if !python_installed() {
        println!("{SKIPPED}");
        return Ok(ExitCode::SUCCESS);
    }
    let options = |build| RunOptions {
        demo: Some(args.demo.clone()),
        timeout: Some(crate::runner::RUN_TIMEOUT),
        build,
        trace_limit: None,
    };
    println!("── Python: {} --demo {} ──", twin.display(), args.demo);
    let python_run = Run::start_program(twin, lesson.bin, options(false));
    let (python, python_outcome) = collect(&python_run, lesson.bin, &args.demo)?;
    println!("── Rust: {} --demo {} ──", lesson.bin, args.demo);
    let rust_run = Run::start(lesson, options(build))?;
    let (rust, rust_outcome) = collect(&rust_run, lesson.bin, &args.demo)?;
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

/// What compare says without python3.
pub const SKIPPED: &str = "compare: skipped, python3 is not installed here";

/// Where a lesson's Python twin is (it may not exist).
pub fn twin_path(lesson: &catalog::Lesson) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("lessons/python")
        .join(format!("{}.py", lesson.bin))
}

/// Whether `demo` of `lesson` has a Python twin: the lesson has the demo,
/// and its twin script names it (in quotes, as its table of demos does).
pub fn has_twin(lesson: &catalog::Lesson, demo: &str) -> bool {
    lesson.demos.iter().any(|d| d.name == demo)
        && std::fs::read_to_string(twin_path(lesson))
            .is_ok_and(|script| script.contains(&format!("\"{demo}\"")))
}

pub fn python_installed() -> bool {
    std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs to the end, echoing output, into a model (not recorded: the two
/// runs belong together, and the store keeps one run per folder).
fn collect(run: &Run, bin: &str, demo: &str) -> anyhow::Result<(Timeline, Outcome)> {
    let mut model = RunModel::new(bin, Some(demo.to_string()));
    loop {
        let Ok(event) = run.events().recv() else {
            anyhow::bail!("the runner stopped without saying how the run ended");
        };
        match model.apply_now(event) {
            Some((_, Said::Stdout(line))) => println!("  {line}"),
            Some((_, Said::Stderr(text) | Said::BuildErrors(text))) => eprintln!("  {text}"),
            _ => {}
        }
        if let Some(outcome) = model.outcome.take() {
            return Ok((std::mem::take(&mut model.timeline), outcome));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demo_has_a_twin_when_its_script_names_it() {
        let first = catalog::find("01").unwrap();
        assert!(has_twin(first, "cpu_bound") && has_twin(first, "io_bound"));
        assert!(!has_twin(first, "spawn_join"), "no twin for spawn_join");
        assert!(!has_twin(first, "nope"), "not a demo of the lesson");
        assert!(has_twin(first, "shared_counter"), "lock contention");
        let second = catalog::find("02").unwrap();
        assert!(!has_twin(second, "process_pool"), "lesson 02 has no script");
        let fifth = catalog::find("05").unwrap();
        assert!(has_twin(fifth, "producer_consumer"));
    }
}
