//! `workbook run` and `workbook trace`: run a lesson through the runner into
//! the run model, streaming its output, then show or export the model. The
//! run is recorded in the run store, like a run in the terminal app, whose
//! past-runs list replays it.
use crate::catalog;
use crate::cli_args::{LessonArgs, RunArgs, TraceArgs};
use crate::run::{RunModel, Said};
use crate::runner::{Outcome, Run, RunEvent, RunOptions};
use crate::timeline::Timeline;
use crate::views::{perfetto, text};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

/// Runs the lesson to its end, echoing its output (each stdout line also
/// to `on_line`), recorded, and returns the model's timeline.
fn execute(
    args: &LessonArgs,
    build: bool,
    on_line: &mut dyn FnMut(&str),
) -> anyhow::Result<(Timeline, Outcome)> {
    let lesson = catalog::find(&args.lesson)?;
    if let Some(demo) = &args.demo
        && !lesson.demos.iter().any(|d| &d.name == demo)
    {
        let names: Vec<&str> = lesson.demos.iter().map(|d| d.name.as_str()).collect();
        anyhow::bail!(
            "lesson {} has no demo `{demo}`; its demos are: {}",
            lesson.bin,
            names.join(", ")
        );
    }
    let mut model = RunModel::recorded(lesson.bin, args.demo.clone());
    if let Some(note) = &model.note {
        eprintln!("workbook: {note}");
    }
    let recording = model.recording_dir().map(std::path::Path::to_path_buf);
    let options = RunOptions {
        demo: args.demo.clone(),
        timeout: Some(Duration::from_secs(args.timeout)),
        build,
        trace_limit: None,
    };
    let run = Run::start(lesson, options).inspect_err(|err| {
        model.apply_now(RunEvent::Exited(Outcome::FailedToStart(format!("{err:#}"))));
    })?;
    // Ctrl-Z reaches only the workbook (the lesson runs in a process group
    // of its own): freeze the lesson's tree with it, resume it on `fg`.
    let freezer = run.freezer();
    let _terminal_stop = supervisor::TerminalStop::install(move |stop| {
        match (freezer.set(stop), stop) {
            (true, true) => eprintln!(
                "workbook: froze the lesson and every process it started (SIGSTOP); `fg` resumes them"
            ),
            (true, false) => eprintln!("workbook: resumed the lesson"),
            (false, _) => {}
        }
    })
    .ok();
    let stdout = std::io::stdout();
    let outcome = loop {
        let Ok(event) = run.events().recv() else {
            model.close("the runner stopped without saying how the lesson ended");
            anyhow::bail!("the runner stopped without saying how the lesson ended");
        };
        match model.apply_now(event) {
            Some((_, Said::Build(line))) => eprintln!("  {line}"),
            Some((_, Said::BuildErrors(report))) => eprintln!("{report}"),
            Some((_, Said::Stdout(line))) => {
                on_line(&line);
                writeln!(stdout.lock(), "{line}")?;
            }
            Some((_, Said::Stderr(line) | Said::Note(line))) => eprintln!("{line}"),
            // The ending is said below the timeline.
            Some((_, Said::Milestone(_))) | None => {}
        }
        if let Some(outcome) = model.outcome.clone() {
            break outcome;
        }
    };
    // The recording ended with the run (meta.json says how); older runs
    // past the store's limits go now.
    if let Some(pruned) = recording.and_then(|dir| crate::run::store::prune_now(&dir)) {
        eprintln!("workbook: {pruned}");
    }
    Ok((std::mem::take(&mut model.timeline), outcome))
}

fn finish(lesson: &str, outcome: &Outcome) -> ExitCode {
    if outcome.success() {
        ExitCode::SUCCESS
    } else {
        eprintln!("workbook: lesson {lesson} {outcome}");
        ExitCode::FAILURE
    }
}

/// The text timeline's width, in columns: the rows are built in memory
/// (`--width 100000000` once allocated 4 GB), so wider is clamped.
const WIDTHS: std::ops::RangeInclusive<usize> = 40..=1000;

/// `--width`, or the terminal's, within [`WIDTHS`]; says so when clamped.
fn timeline_width(asked: Option<usize>) -> usize {
    let width =
        asked.unwrap_or_else(|| crossterm::terminal::size().map_or(100, |(w, _)| w as usize));
    let clamped = width.clamp(*WIDTHS.start(), *WIDTHS.end());
    if clamped != width {
        eprintln!(
            "workbook: a timeline {width} columns wide is outside {}..={}; using {clamped}",
            WIDTHS.start(),
            WIDTHS.end()
        );
    }
    clamped
}

pub fn run(args: &RunArgs, build: bool) -> anyhow::Result<ExitCode> {
    let width = timeline_width(args.width);
    let asked = if args.ask {
        Some(crate::cli_ask::ask(&args.lesson)?)
    } else {
        None
    };
    let mut measured = None;
    let (timeline, outcome) = execute(&args.lesson, build, &mut |line| {
        if let Some(asked) = &asked
            && measured.is_none()
        {
            measured = asked.question.measure([line]);
        }
    })?;
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    println!("\n── timeline · {outcome} ──");
    print!("{}", text::render(&timeline, text::Style { width, color }));
    if let Some(asked) = asked {
        crate::cli_ask::answer(&asked, measured.as_ref());
    }
    Ok(finish(&args.lesson.lesson, &outcome))
}

pub fn trace(args: &TraceArgs, build: bool) -> anyhow::Result<ExitCode> {
    // Created first, so a path that cannot be written fails before the
    // lesson runs, not after.
    let file = std::fs::File::create(&args.output)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", args.output.display()))?;
    let (timeline, outcome) = execute(&args.lesson, build, &mut |_| {})?;
    let json = perfetto::export(&timeline);
    let events = json["traceEvents"].as_array().map_or(0, Vec::len);
    let cannot_write =
        |e: &dyn std::fmt::Display| anyhow::anyhow!("cannot write {}: {e}", args.output.display());
    let mut writer = std::io::BufWriter::new(file);
    serde_json::to_writer(&mut writer, &json).map_err(|e| cannot_write(&e))?;
    // A full disk shows only here: the buffer's last bytes, then the data
    // reaching the file.
    let file = writer.into_inner().map_err(|e| cannot_write(e.error()))?;
    file.sync_all()
        .or_else(|e| match e.raw_os_error() {
            // Not a file that can be synced (a pipe, /dev/null): fine.
            Some(nix::libc::EINVAL | nix::libc::EROFS) => Ok(()),
            _ => Err(e),
        })
        .map_err(|e| cannot_write(&e))?;
    eprintln!(
        "wrote {events} trace events ({} lanes) to {}; open it at https://ui.perfetto.dev",
        timeline.lanes().len(),
        args.output.display()
    );
    Ok(finish(&args.lesson.lesson, &outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_clamped() {
        assert_eq!(timeline_width(Some(100_000_000)), 1000);
        assert_eq!(timeline_width(Some(3)), 40);
        assert_eq!(timeline_width(Some(120)), 120);
    }
}
