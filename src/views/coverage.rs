//! How the spans of a lane fill a row of cells, one cell a slice of time:
//! the state that covers most of each cell, counting for each instant the
//! innermost span. The text timeline and the TUI's chart both draw from it,
//! so they agree on what a lane was doing.
use crate::timeline::{Lane, LaneKind, Span, State};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Part {
    Full,
    /// Covers the left fraction of the cell (a span ends in it).
    Left(f64),
    /// Covers the right fraction (a span starts in it).
    Right(f64),
    /// Starts and ends inside the cell.
    Inner,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ink {
    Alive = 0,
    Running = 1,
    Waiting = 2,
    Polling = 3,
}

/// What the spans of one lane leave in one cell: the state that covers
/// most of the cell's time, counting for each instant the innermost span.
/// So a thread that waits for most of a cell shows waiting, however many
/// spans share the cell and in whatever order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cell {
    /// Time covered, in cells, by ink.
    pub cover: [f32; 4],
    pub spans: u32,
    /// The part of the cell the last span covered (used when it is alone).
    pub part: Option<Part>,
}

impl Cell {
    /// Adds a span's share of the cell. Spans arrive level by level, outer
    /// first, and a nested span lies inside its parent: its time is taken
    /// from what the outer levels put here.
    pub fn add(&mut self, depth: u16, ink: Ink, cover: f64, part: Part) {
        let cover = cover.clamp(0.0, 1.0) as f32;
        if depth > 0 {
            let total: f32 = self.cover.iter().sum();
            if total > 0.0 {
                let keep = (total - cover).max(0.0) / total;
                for c in &mut self.cover {
                    *c *= keep;
                }
            }
        }
        self.cover[ink as usize] += cover;
        self.spans += 1;
        self.part = Some(part);
    }

    pub fn resolve(&self) -> Option<(Ink, Part)> {
        if self.spans == 0 {
            return None;
        }
        // Ties go to waiting, then polling: the states a learner looks for.
        let mut ink = Ink::Waiting;
        for candidate in [Ink::Polling, Ink::Running, Ink::Alive] {
            if self.cover[candidate as usize] > self.cover[ink as usize] {
                ink = candidate;
            }
        }
        let total: f32 = self.cover.iter().sum();
        let part = match self.part {
            Some(part) if self.spans == 1 => part,
            _ if total >= 0.99 => Part::Full,
            _ => Part::Inner,
        };
        Some((ink, part))
    }
}

/// A waiting span inside a task's poll, on the worker thread's lane, that
/// ends sooner than this is an instrumented await being polled (the thread
/// is busy polling, not blocked); a longer one is a blocking call inside a
/// task, which holds the worker: that one is drawn as waiting.
const BLOCKING_POLL_NS: u64 = 1_000_000;

pub fn ink(lane: &Lane, span: &Span) -> Ink {
    let in_poll = lane.kind == LaneKind::Thread && span.other_lane.is_some();
    match (lane.kind, span.state) {
        (LaneKind::Process, _) if span.depth == 0 => Ink::Alive,
        (_, State::Waiting)
            if in_poll
                && span
                    .end
                    .is_some_and(|end| end - span.start < BLOCKING_POLL_NS) =>
        {
            Ink::Polling
        }
        (_, State::Waiting) => Ink::Waiting,
        (_, State::Running) if in_poll => Ink::Polling,
        (_, State::Running) => Ink::Running,
    }
}

/// Adds the span `[start, end)` at `depth` to the cells it covers.
pub fn paint(cells: &mut [Cell], ink: Ink, depth: u16, start: u64, end: u64, from: u64, dt: f64) {
    let n = cells.len();
    let x0 = (start.saturating_sub(from)) as f64 / dt;
    let x1 = (end.saturating_sub(from)) as f64 / dt;
    if x1 <= 0.0 || x0 >= n as f64 {
        return;
    }
    let c0 = x0.floor() as usize;
    // The common case when zoomed out: a span inside one cell.
    if x1 <= (c0 + 1) as f64 && x0 > c0 as f64 + 0.01 {
        let cell = &mut cells[c0];
        if depth == 0 {
            // Written out: this runs once per span, 100,000 times a frame
            // on a big run, and a dev build does not inline.
            cell.cover[ink as usize] += (x1 - x0) as f32;
            cell.spans += 1;
            cell.part = Some(Part::Inner);
        } else {
            cell.add(depth, ink, x1 - x0, Part::Inner);
        }
        return;
    }
    let c1 = ((x1.ceil() as usize).max(c0 + 1) - 1).min(n - 1);
    for (c, cell) in (c0..=c1).zip(&mut cells[c0..=c1]) {
        let left = x0 - c as f64; // > 0: starts inside this cell
        let right = x1 - c as f64; // < 1: ends inside this cell
        let part = match (left > 0.01, right < 0.99) {
            (false, false) => Part::Full,
            (true, true) => Part::Inner,
            (true, false) => Part::Right(1.0 - left),
            (false, true) => Part::Left(right),
        };
        cell.add(depth, ink, right.min(1.0) - left.max(0.0), part);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(state: State, start: u64, end: Option<u64>, in_task: bool) -> Span {
        Span {
            lane: 1,
            def: 0,
            state,
            start,
            end,
            depth: 1,
            other_lane: in_task.then_some(2),
        }
    }

    #[test]
    fn a_short_wait_inside_a_poll_is_polling_and_a_long_one_blocks() {
        let thread = Lane {
            id: 1,
            kind: LaneKind::Thread,
            pid: 1,
            name: "tokio-1".into(),
            parent: Some(0),
        };
        let ms = 1_000_000;
        assert_eq!(
            ink(&thread, &span(State::Waiting, 0, Some(ms / 10), true)),
            Ink::Polling
        );
        assert_eq!(
            ink(&thread, &span(State::Waiting, 0, Some(300 * ms), true)),
            Ink::Waiting
        );
        assert_eq!(
            ink(&thread, &span(State::Waiting, 0, None, true)),
            Ink::Waiting
        );
        assert_eq!(
            ink(&thread, &span(State::Waiting, 0, Some(ms / 10), false)),
            Ink::Waiting
        );
        assert_eq!(
            ink(&thread, &span(State::Running, 0, Some(ms), true)),
            Ink::Polling
        );
    }
}
