//! How the chart is looked at (zoom, pan, folds, selection, the replay
//! cursor) and what keys and clicks do to it.
use crate::timeline::{Lane, LaneId, LaneKind, Timeline};
use crate::tui::layout::ChartLayout;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use std::collections::HashSet;

/// A span picked out on the chart, found again by where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selected {
    pub lane: LaneId,
    pub start: u64,
    pub depth: u16,
}

/// How the chart is looked at: zoom, pan, folds, selection. Input changes
/// it; drawing only reads it.
#[derive(Debug, Clone)]
pub struct ChartView {
    /// `(from, width)` in ns; `None` fits the whole run.
    pub window: Option<(u64, u64)>,
    /// Keep the right edge on the newest events.
    pub follow: bool,
    pub collapsed: HashSet<LaneId>,
    /// The selected row among the rows shown.
    pub row: usize,
    pub selected: Option<Selected>,
    /// Replay: the time being looked at; later events are not drawn.
    pub cursor: Option<u64>,
    /// Columns the lanes had when last drawn (set from the layout).
    pub columns: u16,
}

impl Default for ChartView {
    fn default() -> Self {
        ChartView {
            window: None,
            follow: true,
            collapsed: HashSet::new(),
            row: 0,
            selected: None,
            cursor: None,
            columns: 80,
        }
    }
}

/// The lanes shown, in order: folded processes hide what they contain.
pub fn rows<'a>(timeline: &'a Timeline, collapsed: &HashSet<LaneId>) -> Vec<&'a Lane> {
    let lanes = timeline.lanes();
    timeline
        .ordered_lanes()
        .into_iter()
        .filter(|lane| {
            let mut parent = lane.parent;
            while let Some(p) = parent {
                if collapsed.contains(&p) {
                    return false;
                }
                parent = lanes.get(p).and_then(|l| l.parent);
            }
            true
        })
        .collect()
}

impl ChartView {
    /// The time range on screen, `[from, to)`, given the run's latest time.
    pub fn range(&self, edge: u64) -> (u64, u64) {
        let edge = edge.max(1_000_000);
        match self.window {
            None => (0, edge + edge / 50),
            Some((_, width)) if self.follow => {
                let to = edge.max(width);
                (to - width, to)
            }
            Some((from, width)) => (from, from + width),
        }
    }

    fn set_window(&mut self, from: u64, width: u64) {
        let width = width.max(u64::from(self.columns.max(1)) * 10);
        self.window = Some((from, width));
    }

    fn zoom(&mut self, edge: u64, factor: f64) {
        let (from, to) = self.range(edge);
        let width = to - from;
        let focus = self
            .cursor
            .or(self.selected.map(|s| s.start))
            .filter(|t| (from..to).contains(t))
            .unwrap_or(from + width / 2);
        let new_width = ((width as f64) * factor).max(1.0) as u64;
        let left = (focus - from) as f64 / width as f64;
        let new_from = focus.saturating_sub((new_width as f64 * left) as u64);
        if self.window.is_none() {
            // Zooming into the whole run looks at a place, not the edge.
            self.follow = false;
        }
        self.set_window(new_from, new_width);
    }

    fn pan(&mut self, edge: u64, eighths: i64) {
        let (from, to) = self.range(edge);
        let width = to - from;
        let step = (width / 8).max(1) as i64 * eighths;
        self.follow = false;
        self.set_window(from.saturating_add_signed(step), width);
    }

    pub fn key(&mut self, key: KeyEvent, timeline: &Timeline, edge: u64) {
        let rows = rows(timeline, &self.collapsed);
        let scrub = |view: &mut ChartView, columns: i64| {
            let (from, to) = view.range(edge);
            let step = ((to - from) / u64::from(view.columns.max(1))).max(1) as i64;
            let at = view
                .cursor
                .unwrap_or(edge)
                .saturating_add_signed(step * columns)
                .min(edge);
            view.cursor = Some(at);
            if at < from || at >= to {
                view.set_window(at.saturating_sub((to - from) / 2), to - from);
                view.follow = false;
            }
        };
        match key.code {
            KeyCode::Left | KeyCode::Char('h') if self.cursor.is_some() => scrub(self, -1),
            KeyCode::Right | KeyCode::Char('l') if self.cursor.is_some() => scrub(self, 1),
            KeyCode::Char('H') if self.cursor.is_some() => scrub(self, -10),
            KeyCode::Char('L') if self.cursor.is_some() => scrub(self, 10),
            KeyCode::Left | KeyCode::Char('h') => self.pan(edge, -1),
            KeyCode::Right | KeyCode::Char('l') => self.pan(edge, 1),
            KeyCode::Char('H') => self.pan(edge, -8),
            KeyCode::Char('L') => self.pan(edge, 8),
            KeyCode::Char('+' | '=') => self.zoom(edge, 0.5),
            KeyCode::Char('-' | '_') => self.zoom(edge, 2.0),
            KeyCode::Char('0') => {
                self.window = None;
                self.follow = true;
            }
            KeyCode::Char('f') => {
                self.follow = true;
                if self.cursor.is_some() {
                    self.cursor = Some(edge);
                }
            }
            KeyCode::Down | KeyCode::Char('j') => {
                self.row = (self.row + 1).min(rows.len().saturating_sub(1));
                self.selected = None;
            }
            KeyCode::Up | KeyCode::Char('k') => {
                self.row = self.row.saturating_sub(1);
                self.selected = None;
            }
            KeyCode::Char('g') | KeyCode::Home => self.row = 0,
            KeyCode::Char('G') | KeyCode::End => self.row = rows.len().saturating_sub(1),
            KeyCode::Enter | KeyCode::Char(' ') => {
                if let Some(lane) = rows.get(self.row).filter(|l| l.kind == LaneKind::Process) {
                    if !self.collapsed.remove(&lane.id) {
                        self.collapsed.insert(lane.id);
                    }
                }
            }
            KeyCode::Char(']') => self.step_span(timeline, edge, &rows, true),
            KeyCode::Char('[') => self.step_span(timeline, edge, &rows, false),
            KeyCode::Esc => self.selected = None,
            _ => {}
        }
    }

    pub fn scroll_lanes(&mut self, delta: isize) {
        self.row = self.row.saturating_add_signed(delta);
    }

    /// Selects the next (or previous) span on the selected lane, counting
    /// from the selection or the left edge, and brings it into view.
    fn step_span(&mut self, timeline: &Timeline, edge: u64, rows: &[&Lane], forward: bool) {
        let Some(lane) = rows.get(self.row) else {
            return;
        };
        let (from, to) = self.range(edge);
        let after = match self.selected {
            Some(sel) if sel.lane == lane.id => sel.start,
            _ if forward => from.saturating_sub(1),
            _ => to,
        };
        let spans = timeline
            .spans_in(lane.id, 0, u64::MAX)
            .filter(|s| self.cursor.is_none_or(|c| s.start <= c));
        let pick = if forward {
            spans
                .filter(|s| s.start > after)
                .min_by_key(|s| (s.start, s.depth))
        } else {
            spans
                .filter(|s| s.start < after)
                .max_by_key(|s| (s.start, std::cmp::Reverse(s.depth)))
        };
        if let Some(span) = pick {
            self.selected = Some(Selected {
                lane: lane.id,
                start: span.start,
                depth: span.depth,
            });
            if span.start < from || span.start >= to {
                self.follow = false;
                let width = to - from;
                self.set_window(span.start.saturating_sub(width / 4), width);
            }
        }
    }

    /// A click on the chart drawn in `area` (the pane, border included).
    pub fn click(&mut self, area: Rect, at: Position, timeline: &Timeline, edge: u64) {
        let inner = Rect::new(
            area.x + 1,
            area.y + 1,
            area.width.saturating_sub(2),
            area.height.saturating_sub(2),
        );
        let layout = ChartLayout::of(inner);
        if at.y <= layout.lanes.y || at.y >= layout.lanes.bottom() {
            return;
        }
        let rows = rows(timeline, &self.collapsed);
        let heights = heights(timeline, &rows);
        let first = first_row(&heights, self.row, layout.lanes.height as usize);
        let mut y = layout.lanes.y;
        let mut row = first;
        while row < rows.len() && y + heights[row] <= at.y {
            y += heights[row];
            row += 1;
        }
        let Some(lane) = rows.get(row) else { return };
        self.row = row;
        self.selected = None;
        if at.x < layout.bars.x {
            return;
        }
        let (from, to) = self.range(edge);
        let dt = (to - from) as f64 / f64::from(layout.bars.width.max(1));
        let ts = from + (f64::from(at.x - layout.bars.x) * dt) as u64;
        if self.cursor.is_some() {
            self.cursor = Some(ts.min(edge));
        }
        let slack = dt as u64;
        if let Some(span) = timeline
            .spans_in(lane.id, ts.saturating_sub(slack), ts + slack + 1)
            .filter(|s| self.cursor.is_none_or(|c| s.start <= c))
            .max_by_key(|s| s.depth)
        {
            self.selected = Some(Selected {
                lane: lane.id,
                start: span.start,
                depth: span.depth,
            });
        }
    }
}

/// The first lane row on screen, keeping the selected row in view, when
/// the rows take `heights` screen lines each (a thread with a kernel row
/// takes two).
pub(super) fn first_row(heights: &[u16], row: usize, height: usize) -> usize {
    let mut used = 0;
    let mut first = row.min(heights.len());
    while first > 0 {
        let next = used + usize::from(heights.get(first).copied().unwrap_or(1));
        if next + usize::from(heights[first - 1]) > height.max(1) {
            break;
        }
        used = next;
        first -= 1;
    }
    first
}

/// The screen lines of each row shown.
pub(super) fn heights(timeline: &Timeline, rows: &[&Lane]) -> Vec<u16> {
    rows.iter()
        .map(|lane| super::kernel::lane_height(timeline, lane))
        .collect()
}
