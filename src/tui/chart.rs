//! The live timeline: one row a lane, time mapped to columns, written
//! straight into the buffer. Running and waiting differ in glyph as well as
//! colour (`█` and `░`), so the chart reads with `NO_COLOR` too.
mod kernel;
mod status;
mod view;

pub use view::{ChartView, Selected, rows};
use view::{first_row, heights};

use crate::timeline::{Lane, LaneKind, Span, State, Timeline};
use crate::views::coverage::{Cell, Ink, Part, ink, paint};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span as TextSpan};
use ratatui::widgets::Widget;

use super::layout::ChartLayout;
use crate::views::duration::human;
use crate::views::glyphs::{ALIVE, AWAITING, Glyph, MARK, POLLING, RUNNING, WAITING};
/// No new events for this long while lanes sit waiting: the chart says the
/// run looks stuck (the session decides when, the chart says so).
pub const QUIET_HINT: std::time::Duration = std::time::Duration::from_secs(2);
const LEFT_EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

const RUNNING_STYLE: Style = Style::new().fg(Color::Green);
const WAITING_STYLE: Style = Style::new().fg(Color::LightRed);
const POLLING_STYLE: Style = Style::new().fg(Color::LightBlue);
const MARK_STYLE: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
const DIM: Style = Style::new().fg(Color::DarkGray);

/// How the chart colours a glyph of the legend.
fn glyph_style(glyph: Glyph) -> Style {
    match glyph.ch {
        RUNNING => RUNNING_STYLE,
        WAITING => WAITING_STYLE,
        POLLING => POLLING_STYLE,
        MARK => MARK_STYLE,
        _ => DIM,
    }
}

/// The chart widget over a model and a view, drawn inside a pane's block.
pub struct Chart<'a> {
    pub timeline: &'a Timeline,
    pub view: &'a ChartView,
    /// The run's latest time: open spans reach it.
    pub edge: u64,
    pub focused: bool,
    /// Lanes waiting while the run made no progress, and on what.
    pub hang: Option<&'a [(String, String)]>,
    /// What to say while there are no lanes.
    pub empty: &'a str,
}

impl Widget for Chart<'_> {
    fn render(self, inner: Rect, buf: &mut Buffer) {
        if inner.height < 4 || inner.width < 30 {
            return;
        }
        let layout = ChartLayout::of(inner);
        let (from, to) = self.view.range(self.edge);
        let rows = rows(self.timeline, &self.view.collapsed);
        let columns = layout.bars.width as usize;
        let dt = (to - from) as f64 / columns.max(1) as f64;
        let clip = self.view.cursor.unwrap_or(u64::MAX);
        if !rows.is_empty() {
            self.axis(&layout, from, dt, buf);
        }
        let heights = heights(self.timeline, &rows);
        let first = first_row(&heights, self.view.row, layout.lanes.height as usize);
        let mut cells: Vec<Cell> = vec![Cell::default(); columns];
        let mut next_y = layout.lanes.y;
        for (i, lane) in rows.iter().enumerate().skip(first) {
            let y = next_y;
            if y >= layout.lanes.bottom() {
                break;
            }
            next_y += heights[i];
            if kernel::has_kernel_row(self.timeline, lane) {
                let spanless = kernel::spanless(self.timeline, lane);
                let ky = if spanless { y } else { y + 1 };
                if ky < layout.lanes.bottom() {
                    let row = Rect::new(layout.bars.x, ky, layout.bars.width, 1);
                    kernel::draw(self.timeline, lane, from, dt, clip, row, buf);
                    if !spanless {
                        buf.set_string(layout.lanes.x, ky, "   ⤷ kernel", DIM);
                        buf[(layout.bars.x - 1, ky)].set_char('│').set_style(DIM);
                    }
                }
            }
            self.label(
                lane,
                i == self.view.row,
                Rect::new(layout.lanes.x, y, layout.labels_width, 1),
                buf,
            );
            buf[(layout.bars.x - 1, y)].set_char('│').set_style(DIM);
            cells.fill(Cell::default());
            let mut polled = (u64::MAX, 0);
            for span in self
                .timeline
                .spans_in(lane.id, from, to.min(clip.saturating_add(1)))
            {
                if span.start > clip {
                    continue;
                }
                let end = span.end.unwrap_or(self.edge).min(clip).max(span.start + 1);
                let ink = ink(lane, span);
                paint(&mut cells, ink, span.depth, span.start, end, from, dt);
                polled = (polled.0.min(span.start), polled.1.max(end));
            }
            let row = Rect::new(layout.bars.x, y, layout.bars.width, 1);
            // Between its polls a task is not gone: it awaits something.
            let awaiting = if lane.kind == LaneKind::Task && polled.0 < polled.1 {
                let c0 = (polled.0.saturating_sub(from) as f64 / dt) as usize;
                let c1 = (polled.1.saturating_sub(from) as f64 / dt) as usize;
                c0..c1.min(cells.len())
            } else {
                0..0
            };
            for (c, cell) in cells.iter().enumerate() {
                if let Some((ink, part)) = cell.resolve() {
                    let (ch, style) = glyph(ink, part);
                    buf[(row.x + c as u16, y)].set_char(ch).set_style(style);
                } else if awaiting.contains(&c) {
                    buf[(row.x + c as u16, y)].set_char(AWAITING).set_style(DIM);
                }
            }
            for mark in self
                .timeline
                .marks_in(lane.id, from, to.min(clip.saturating_add(1)))
            {
                let c = ((mark.ts - from) as f64 / dt) as u16;
                if c < row.width {
                    buf[(row.x + c, y)].set_char(MARK).set_style(MARK_STYLE);
                }
            }
            if let Some(sel) = self.view.selected.filter(|s| s.lane == lane.id)
                && let Some(span) = find(self.timeline, sel)
            {
                let end = span.end.unwrap_or(self.edge).min(clip).max(span.start + 1);
                let c0 = ((span.start.max(from) - from) as f64 / dt) as u16;
                let c1 = (((end.min(to).max(from) - from) as f64 / dt).ceil() as u16).max(c0 + 1);
                let sel_area = Rect::new(
                    row.x + c0.min(row.width),
                    y,
                    c1.min(row.width).saturating_sub(c0),
                    1,
                );
                buf.set_style(sel_area, Style::new().add_modifier(Modifier::REVERSED));
            }
        }
        if let Some(cursor) = self.view.cursor
            && (from..to).contains(&cursor)
        {
            let x = layout.bars.x + ((cursor - from) as f64 / dt) as u16;
            buf[(x, layout.axis.y)].set_char('▼').set_style(MARK_STYLE);
            for y in layout.lanes.y..layout.lanes.bottom() {
                let cell = &mut buf[(x, y)];
                if cell.symbol() == " " {
                    cell.set_char('┊').set_style(DIM);
                } else {
                    cell.modifier.insert(Modifier::UNDERLINED);
                }
            }
        }
        if rows.is_empty() {
            Line::styled(self.empty, DIM).render(layout.lanes, buf);
        }
        self.detail(&layout, buf);
        self.status(&layout, rows.len(), from, to, buf);
    }
}

fn glyph(ink: Ink, part: Part) -> (char, Style) {
    match ink {
        Ink::Alive => (ALIVE, DIM),
        // Waits and polls keep their shade whatever part of the cell they
        // cover: eighth blocks would make them look like running.
        Ink::Waiting => (WAITING, WAITING_STYLE),
        Ink::Polling => (POLLING, POLLING_STYLE),
        Ink::Running => {
            let ch = match part {
                Part::Full => RUNNING,
                Part::Left(f) => LEFT_EIGHTHS[((f * 8.0).round() as usize).clamp(1, 7)],
                Part::Right(f) if f >= 0.375 => '▐',
                Part::Right(_) => '▕',
                Part::Inner => '▌',
            };
            (ch, RUNNING_STYLE)
        }
    }
}

/// Cuts a label to `width`, keeping a trailing `[pid]` that tells apart
/// processes of the same name.
fn fit_label(text: &str, width: usize) -> String {
    let len = text.chars().count();
    if len <= width {
        return text.to_string();
    }
    let tail = match text.rfind(" [") {
        Some(at) if text.ends_with(']') => &text[at..],
        _ => "",
    };
    let keep = width.saturating_sub(tail.chars().count() + 1);
    let head: String = text.chars().take(keep).collect();
    format!("{head}…{tail}").chars().take(width).collect()
}

fn find(timeline: &Timeline, sel: Selected) -> Option<&Span> {
    timeline
        .spans_in(sel.lane, sel.start, sel.start + 1)
        .find(|s| s.start == sel.start && s.depth == sel.depth)
}

/// A round step between axis labels, at least `min` ns.
fn tick_step(min: f64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if (step * m) as f64 >= min {
                return step * m;
            }
        }
        step *= 10;
    }
}

impl Chart<'_> {
    fn axis(&self, layout: &ChartLayout, from: u64, dt: f64, buf: &mut Buffer) {
        let mode = match (self.view.cursor, self.view.window, self.view.follow) {
            (Some(_), ..) => "replay",
            (None, None, _) => "whole run",
            (None, Some(_), true) => "following",
            (None, Some(_), false) => "",
        };
        Line::styled(format!(" {mode}"), DIM).render(
            Rect::new(layout.axis.x, layout.axis.y, layout.labels_width, 1),
            buf,
        );
        let bars = Rect::new(layout.bars.x, layout.axis.y, layout.bars.width, 1);
        let step = tick_step(dt * 12.0);
        let mut tick = from.div_ceil(step) * step;
        let mut free = 0u16;
        loop {
            let c = ((tick - from) as f64 / dt).round() as u16;
            if c >= bars.width {
                break;
            }
            let label = format!("╷{}", crate::views::duration::tick(tick, step));
            if c >= free && c + label.chars().count() as u16 <= bars.width {
                Line::styled(label.clone(), DIM)
                    .render(Rect::new(bars.x + c, bars.y, bars.width - c, 1), buf);
                free = c + label.chars().count() as u16 + 1;
            }
            tick += step;
        }
        self.freezes(bars, from, dt, buf);
    }

    /// The stretches when the run was frozen, over the axis: `‖` and the
    /// word where it fits, so the pause reads without colour too.
    fn freezes(&self, bars: Rect, from: u64, dt: f64, buf: &mut Buffer) {
        let style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
        for &(start, end) in self.timeline.freezes() {
            let end = end.unwrap_or(self.edge).max(start);
            let column = |ts: u64| (ts.saturating_sub(from) as f64 / dt) as u64;
            if end < from {
                continue;
            }
            let first = column(start).min(u64::from(bars.width)) as u16;
            let last = column(end).min(u64::from(bars.width.saturating_sub(1))) as u16;
            if first >= bars.width {
                continue;
            }
            for c in first..=last {
                buf[(bars.x + c, bars.y)]
                    .set_char(kernel::STOPPED)
                    .set_style(style);
            }
            if last - first >= 8 {
                buf.set_string(bars.x + first + 1, bars.y, " frozen ", style);
            }
        }
    }

    fn label(&self, lane: &Lane, selected: bool, area: Rect, buf: &mut Buffer) {
        let lanes = self.timeline.lanes();
        let mut indent = 0;
        let mut parent = lane.parent;
        while let Some(p) = parent {
            indent += 1;
            parent = lanes.get(p).and_then(|l| l.parent);
        }
        let (lead, indent) = match lane.kind {
            LaneKind::Process if self.view.collapsed.contains(&lane.id) => ("▸ ", indent),
            LaneKind::Process => ("▾ ", indent),
            LaneKind::Thread => ("", indent),
            LaneKind::Task => ("↻ ", indent),
        };
        let text = format!("{}{lead}{}", "  ".repeat(indent.min(4)), lane.name);
        let mut style = if lane.kind == LaneKind::Process {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        if selected {
            style = style.add_modifier(if self.focused {
                Modifier::REVERSED
            } else {
                Modifier::UNDERLINED
            });
        }
        let text = fit_label(&text, area.width as usize);
        Line::styled(text, style).render(area, buf);
    }

    fn detail(&self, layout: &ChartLayout, buf: &mut Buffer) {
        let Some(span) = self.view.selected.and_then(|sel| find(self.timeline, sel)) else {
            let hint = " [ ] pick a span · +/- zoom · ←/→ pan · 0 whole run · f follow · ⏎ fold";
            Line::styled(hint, DIM).render(layout.detail, buf);
            return;
        };
        let def = self.timeline.def(span);
        let lanes = self.timeline.lanes();
        let lane = &lanes[span.lane];
        let mut parts = vec![TextSpan::styled(
            format!(" {} ", def.name),
            Style::new().add_modifier(Modifier::BOLD),
        )];
        let (state, style) = match span.state {
            State::Running => (format!("{RUNNING} running"), RUNNING_STYLE),
            State::Waiting => (
                format!(
                    "{WAITING} waiting on {}",
                    def.waiting_on.as_deref().unwrap_or("?")
                ),
                WAITING_STYLE,
            ),
        };
        parts.push(TextSpan::styled(state, style));
        let on = match span.other_lane {
            Some(other) if lane.kind == LaneKind::Task => {
                format!(" · task {} polled by {}", lane.name, lanes[other].name)
            }
            Some(other) => format!(" · on {} polling task {}", lane.name, lanes[other].name),
            None => format!(" · on {}", lane.name),
        };
        parts.push(TextSpan::raw(on));
        let duration = match span.end {
            Some(end) => human(end - span.start),
            None => format!("{} so far", human(self.edge.saturating_sub(span.start))),
        };
        parts.push(TextSpan::raw(format!(
            " · at {} · for {duration}",
            human(span.start)
        )));
        let fields: Vec<String> = def
            .fields
            .iter()
            .filter(|(k, _)| k != crate::wire::WAITING_FIELD)
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !fields.is_empty() {
            parts.push(TextSpan::styled(format!(" · {}", fields.join(" ")), DIM));
        }
        Line::from(parts).render(layout.detail, buf);
    }
}

#[cfg(test)]
pub(crate) mod tests;
