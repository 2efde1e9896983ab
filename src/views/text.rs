//! The text timeline `workbook run` prints after a lesson ends: a row per
//! lane, time across, running and waiting told apart by glyph (and by colour
//! when colour is on), marks, and a time axis.
use super::coverage::{Cell, Ink, KernelInk, cores_summary, cores_used, ink, kernel_cells, paint};
use crate::timeline::{KernelStatus, Lane, LaneKind, Timeline};
use std::fmt::Write;

use super::duration::human;
use super::glyphs::{
    ALIVE, AWAITING, BLOCKED, KERNEL, LANE, LEVELS, MARK, ON_CORE, POLLING, QUEUED, RUNNING,
    STOPPED, WAITING, legend,
};

const LABEL_WIDTH: usize = 26;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Total width in columns, label included.
    pub width: usize,
    pub color: bool,
}

/// The timeline of the whole run as text, one line per lane plus axis and
/// legend.
pub fn render(timeline: &Timeline, style: Style) -> String {
    let mut out = String::new();
    let lanes = timeline.ordered_lanes();
    if lanes.is_empty() {
        out.push_str("(no trace recorded: did the lesson call workbook_trace::record::init()?)\n");
        return out;
    }
    let columns = style.width.saturating_sub(LABEL_WIDTH + 3).max(10);
    let end = timeline.end().max(1);
    let per_column = end.div_ceil(columns as u64).max(1);
    for lane in lanes {
        let indent = match lane.kind {
            LaneKind::Process => "",
            LaneKind::Thread => "  ",
            LaneKind::Task => "  ⟳ ",
        };
        if lane.kind == LaneKind::Process && left_nothing(timeline, lane) {
            continue;
        }
        let label = fit(&format!("{indent}{}", lane.name), LABEL_WIDTH);
        let kernel = kernel_row(timeline, lane, columns, per_column);
        let spanless = timeline.spans_in(lane.id, 0, u64::MAX).next().is_none()
            && timeline.marks_in(lane.id, 0, u64::MAX).next().is_none();
        // A thread only the kernel saw: its kernel row is its lane.
        if !(spanless && kernel.is_some()) {
            let cells = lane_cells(timeline, lane, columns, per_column);
            row(&mut out, &label, &cells, style.color);
        }
        if let Some(kernel) = kernel {
            let label = if spanless {
                label
            } else {
                fit(&format!("{indent}  ⤷ kernel"), LABEL_WIDTH)
            };
            row(&mut out, &label, &kernel, style.color);
        }
        if lane.kind == LaneKind::Process {
            cores_row(&mut out, timeline, lane, columns, per_column, style.color);
        }
    }
    if let Some(frozen) = frozen_row(timeline, columns, per_column) {
        row(
            &mut out,
            &fit("run frozen (SIGSTOP)", LABEL_WIDTH),
            &frozen,
            style.color,
        );
    }
    let _ = writeln!(out, "{} └{}", " ".repeat(LABEL_WIDTH), "─".repeat(columns));
    let _ = writeln!(
        out,
        "{}  {}",
        " ".repeat(LABEL_WIDTH),
        axis(columns, per_column)
    );
    let _ = writeln!(
        out,
        "{}   (one column = {})",
        legend(&LANE, "   "),
        human(per_column)
    );
    match timeline.kernel_status() {
        KernelStatus::Sampling { interval, .. } => {
            let _ = writeln!(
                out,
                "kernel: {}   (sampled every {}+)",
                legend(&KERNEL, "   "),
                human(*interval)
            );
        }
        KernelStatus::Unavailable(why) => {
            let _ = writeln!(out, "kernel: not sampled, spans only ({why})");
        }
        KernelStatus::Unknown => {}
    }
    if timeline.kernel_dropped() > 0 {
        let _ = writeln!(
            out,
            "kernel: {} samples not kept (memory bound)",
            timeline.kernel_dropped()
        );
    }
    if timeline.errors().count > 0 || timeline.dropped() > 0 || timeline.not_kept() > 0 {
        let _ = writeln!(
            out,
            "trace problems: {} malformed or out-of-order records, {} records dropped by the lesson, {} spans or marks past the model's limit ({} spans) counted, not kept",
            timeline.errors().count,
            timeline.dropped(),
            timeline.not_kept(),
            crate::timeline::MAX_SPANS
        );
        for sample in &timeline.errors().samples {
            let _ = writeln!(out, "  {sample}");
        }
    }
    out
}

/// One character per column: what the lane mostly did in that slice of
/// time, the innermost span winning (see [`super::coverage`]).
fn lane_cells(timeline: &Timeline, lane: &Lane, columns: usize, per_column: u64) -> Vec<char> {
    let mut cells = vec![Cell::default(); columns];
    let (mut first_start, mut last_end) = (u64::MAX, 0);
    for span in timeline.spans_in(lane.id, 0, u64::MAX) {
        let end = span.end.unwrap_or(timeline.end()).max(span.start + 1);
        first_start = first_start.min(span.start);
        last_end = last_end.max(end);
        paint(
            &mut cells,
            ink(lane, span),
            span.depth,
            span.start,
            end,
            0,
            per_column as f64,
        );
    }
    // A task between its first and last poll is awaiting something.
    let is_task = lane.kind == LaneKind::Task && first_start < last_end;
    let awaiting = |column: usize| {
        is_task
            && (first_start / per_column) as usize <= column
            && column <= (last_end / per_column) as usize
    };
    let mut chars: Vec<char> = cells
        .iter()
        .enumerate()
        .map(|(column, cell)| match cell.resolve() {
            Some((Ink::Alive, _)) => ALIVE,
            Some((Ink::Running, _)) => RUNNING,
            Some((Ink::Waiting, _)) => WAITING,
            Some((Ink::Polling, _)) => POLLING,
            None if awaiting(column) => AWAITING,
            None => ' ',
        })
        .collect();
    for mark in timeline.marks_in(lane.id, 0, u64::MAX) {
        let column = ((mark.ts / per_column) as usize).min(columns - 1);
        chars[column] = MARK;
    }
    chars
}

/// A process found by the sampler that lived less than two samples (a
/// launcher script's helpers, say): nothing to draw, so no rows.
fn left_nothing(timeline: &Timeline, process: &Lane) -> bool {
    timeline.spans_in(process.id, 0, u64::MAX).next().is_none()
        && timeline.threads_of(process.id).all(|t| {
            timeline.kernel_slices(t).is_empty()
                && timeline.spans_in(t, 0, u64::MAX).next().is_none()
        })
}

fn row(out: &mut String, label: &str, cells: &[char], color: bool) {
    let _ = write!(out, "{label} │");
    for &cell in cells {
        out.push_str(&colour(cell, color));
    }
    out.push('\n');
}

/// The kernel's view of a thread lane, if the sampler saw it.
fn kernel_row(
    timeline: &Timeline,
    lane: &Lane,
    columns: usize,
    per_column: u64,
) -> Option<Vec<char>> {
    let slices = timeline.kernel_slices(lane.id);
    if lane.kind != LaneKind::Thread || slices.is_empty() {
        return None;
    }
    let dt = per_column as f64;
    let cells = kernel_cells(slices, 0, dt, columns);
    Some(
        cells
            .iter()
            .map(|cell| match cell.resolve(dt) {
                Some(KernelInk::OnCore) => ON_CORE,
                Some(KernelInk::Queued) => QUEUED,
                Some(KernelInk::Blocked) => BLOCKED,
                Some(KernelInk::Stopped) => STOPPED,
                None => ' ',
            })
            .collect(),
    )
}

/// Under a process: the cores its threads used, column by column, and the
/// average while its threads ran.
fn cores_row(
    out: &mut String,
    timeline: &Timeline,
    lane: &Lane,
    columns: usize,
    per_column: u64,
    color: bool,
) {
    let Some(summary) = cores_summary(timeline, lane.id) else {
        return;
    };
    let cpus = f64::from(timeline.cpus().unwrap_or(1).max(1));
    let cores = cores_used(timeline, lane.id, 0, per_column as f64, columns);
    let cells: Vec<char> = cores
        .iter()
        .map(|&c| LEVELS[((c / cpus * 8.0).round() as usize).min(8)])
        .collect();
    let label = fit(
        &format!("  cores used: {:.1} of {cpus}", summary.average),
        LABEL_WIDTH,
    );
    row(out, &label, &cells, color);
}

fn frozen_row(timeline: &Timeline, columns: usize, per_column: u64) -> Option<Vec<char>> {
    if timeline.freezes().is_empty() {
        return None;
    }
    let mut cells = vec![' '; columns];
    for &(start, end) in timeline.freezes() {
        let end = end.unwrap_or(timeline.end());
        let first = (start / per_column) as usize;
        let last = (end / per_column) as usize;
        for cell in cells.iter_mut().take(last.min(columns - 1) + 1).skip(first) {
            *cell = STOPPED;
        }
    }
    Some(cells)
}

fn colour(cell: char, color: bool) -> String {
    let code = match cell {
        RUNNING | ALIVE | ON_CORE => "32",
        QUEUED => "31",
        BLOCKED => "2",
        STOPPED => "36",
        c if LEVELS[1..].contains(&c) => "32",
        POLLING => "34",
        WAITING => "33",
        AWAITING => "2",
        MARK => "35",
        _ => return cell.to_string(),
    };
    if color {
        format!("\x1b[{code}m{cell}\x1b[0m")
    } else {
        cell.to_string()
    }
}

/// Pads or cuts `text` to exactly `width` characters.
fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        format!("{text}{}", " ".repeat(width - count))
    } else {
        let cut: String = text.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}

/// Tick labels every ~12 columns at round times.
fn axis(columns: usize, per_column: u64) -> String {
    let total = columns as u64 * per_column;
    let step = nice_step(total / (columns as u64 / 12).max(1));
    let mut line = vec![' '; columns + 12];
    let mut t = 0;
    while t <= total {
        let column = (t / per_column) as usize;
        let label = format!("┴{}", human(t));
        if column + label.chars().count() <= line.len()
            && line[column..]
                .iter()
                .take(label.chars().count() + 1)
                .all(|&c| c == ' ')
        {
            for (i, ch) in label.chars().enumerate() {
                line[column + i] = ch;
            }
        }
        t += step;
    }
    line.into_iter().collect::<String>().trim_end().to_string()
}

/// The smallest of 1, 2, 5 × 10ⁿ nanoseconds at least `at_least`.
fn nice_step(at_least: u64) -> u64 {
    let mut magnitude = 1u64;
    loop {
        for factor in [1, 2, 5] {
            if factor * magnitude >= at_least {
                return factor * magnitude;
            }
        }
        magnitude *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::fixtures::{hello, model, thread};
    use crate::wire::Record;

    #[test]
    fn a_small_known_trace_renders_exactly() {
        let records = vec![
            hello(7, 1, "demo"),
            thread(0, "main"),
            thread(1, "worker"),
            Record::Span {
                span: 1,
                parent: 0,
                name: "work".into(),
                target: "t".into(),
                fields: vec![],
            },
            Record::Span {
                span: 2,
                parent: 0,
                name: "join".into(),
                target: "t".into(),
                fields: vec![("waiting_on".into(), "worker".into())],
            },
            Record::Enter {
                span: 2,
                thread: 0,
                ts: 0,
            },
            Record::Enter {
                span: 1,
                thread: 1,
                ts: 0,
            },
            Record::Mark {
                thread: 1,
                ts: 50,
                span: 1,
                name: "half".into(),
                fields: vec![],
            },
            Record::Exit {
                span: 1,
                thread: 1,
                ts: 100,
            },
            Record::Exit {
                span: 2,
                thread: 0,
                ts: 100,
            },
            Record::End { ts: 100 },
        ];
        let t = model(records);
        let text = render(
            &t,
            Style {
                width: 39,
                color: false,
            },
        );
        let expected = "\
demo [7]                   │──────────
  main                     │░░░░░░░░░░
  worker                   │█████◆████
                           └──────────
                            ┴0        ┴100 ns
█ running   ░ waiting   ▓ polling a task   ◆ mark   · task awaiting   ─ process alive   (one column = 10 ns)
";
        assert_eq!(text, expected);
    }

    #[test]
    fn work_nested_inside_a_wait_reads_as_work() {
        // A thread blocked in `block_on` (waiting) that polls a task inside it
        // for the second half of the wait: the innermost span wins.
        let records = vec![
            hello(7, 1, "demo"),
            thread(0, "main"),
            Record::Span {
                span: 1,
                parent: 0,
                name: "block_on".into(),
                target: "t".into(),
                fields: vec![("waiting_on".into(), "the runtime".into())],
            },
            Record::Span {
                span: 2,
                parent: 1,
                name: "task".into(),
                target: "t".into(),
                fields: vec![("task".into(), "t1".into())],
            },
            Record::Enter {
                span: 1,
                thread: 0,
                ts: 0,
            },
            Record::Enter {
                span: 2,
                thread: 0,
                ts: 50,
            },
            Record::Exit {
                span: 2,
                thread: 0,
                ts: 100,
            },
            Record::Exit {
                span: 1,
                thread: 0,
                ts: 100,
            },
        ];
        let t = model(records);
        let text = render(
            &t,
            Style {
                width: 39,
                color: false,
            },
        );
        let main = text
            .lines()
            .find(|l| l.trim_start().starts_with("main"))
            .unwrap();
        assert!(main.ends_with("│░░░░░▓▓▓▓▓"), "{main}");
        let task = text.lines().find(|l| l.contains("⟳ t1")).unwrap();
        assert!(task.ends_with("│     █████"), "{task}");
    }

    #[test]
    fn an_empty_trace_says_what_may_be_wrong() {
        assert!(
            render(
                &Timeline::new(),
                Style {
                    width: 80,
                    color: false
                }
            )
            .contains("record::init")
        );
    }
}
