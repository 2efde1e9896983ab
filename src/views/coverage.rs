//! How the spans of a lane fill a row of cells, one cell a slice of time:
//! the state that covers most of each cell, counting for each instant the
//! innermost span. The text timeline and the TUI's chart both draw from it,
//! so they agree on what a lane was doing.
use crate::timeline::{KernelSlice, Lane, LaneId, LaneKind, Span, State, Timeline};

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

/// What the kernel saw of a thread in one cell, in nanoseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct KernelCell {
    pub on_cpu: f64,
    pub queued: f64,
    pub blocked: f64,
    /// Blocked because the run was frozen (SIGSTOP).
    pub stopped: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KernelInk {
    OnCore,
    Queued,
    Blocked,
    Stopped,
}

impl KernelCell {
    /// The state that took most of the cell's time; `None` when the
    /// sampler saw the thread for less than a fifth of the cell.
    pub fn resolve(&self, dt: f64) -> Option<KernelInk> {
        let total = self.on_cpu + self.queued + self.blocked + self.stopped;
        if total <= 0.0 || total < 0.2 * dt {
            return None;
        }
        // Ties go to queueing: the state a learner looks for.
        let mut best = (KernelInk::Queued, self.queued);
        for candidate in [
            (KernelInk::OnCore, self.on_cpu),
            (KernelInk::Blocked, self.blocked),
            (KernelInk::Stopped, self.stopped),
        ] {
            if candidate.1 > best.1 {
                best = candidate;
            }
        }
        Some(best.0)
    }
}

/// Spreads the sampler's slices over `n` cells of `dt` ns from `from`; within
/// a slice, time is taken as evenly spread (that is all a sample can say).
pub fn kernel_cells(slices: &[KernelSlice], from: u64, dt: f64, n: usize) -> Vec<KernelCell> {
    let mut cells = vec![KernelCell::default(); n];
    for slice in slices {
        let len = f64::from(slice.len.max(1));
        let parts = [
            f64::from(slice.on_cpu) / len,
            f64::from(slice.queued) / len,
            f64::from(slice.blocked()) / len,
        ];
        let stopped = slice.state == b'T';
        let x0 = slice.start.saturating_sub(from) as f64 / dt;
        let x1 = slice.end().saturating_sub(from) as f64 / dt;
        if x1 <= 0.0 || x0 >= n as f64 {
            continue;
        }
        let c0 = x0.floor().max(0.0) as usize;
        let c1 = (x1.ceil() as usize).min(n);
        for (c, cell) in (c0..c1).zip(&mut cells[c0..c1]) {
            let overlap = (x1.min(c as f64 + 1.0) - x0.max(c as f64)).max(0.0) * dt;
            cell.on_cpu += parts[0] * overlap;
            cell.queued += parts[1] * overlap;
            if stopped {
                cell.stopped += parts[2] * overlap;
            } else {
                cell.blocked += parts[2] * overlap;
            }
        }
    }
    cells
}

/// Cores the threads of `process` used in each of `n` cells: their time on
/// a core divided by the cell's length.
pub fn cores_used(timeline: &Timeline, process: LaneId, from: u64, dt: f64, n: usize) -> Vec<f64> {
    let mut cores = vec![0.0; n];
    let to = from + (dt * n as f64) as u64;
    for thread in timeline.threads_of(process) {
        let cells = kernel_cells(timeline.kernel_slices_in(thread, from, to), from, dt, n);
        for (total, cell) in cores.iter_mut().zip(cells) {
            *total += cell.on_cpu / dt;
        }
    }
    cores
}

/// A process's threads over the whole run: how many were sampled, and the
/// cores they used on average while more than one of them was alive (for a
/// process that never had two threads: while its one thread was).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoresSummary {
    pub threads: usize,
    pub average: f64,
    /// The window the average is over, ns.
    pub window: (u64, u64),
}

pub fn cores_summary(timeline: &Timeline, process: LaneId) -> Option<CoresSummary> {
    let threads: Vec<&[KernelSlice]> = timeline
        .threads_of(process)
        .map(|lane| timeline.kernel_slices(lane))
        .filter(|slices| !slices.is_empty())
        .collect();
    let span_of = |s: &[KernelSlice]| (s[0].start, s[s.len() - 1].end());
    // Threads other than the longest-lived (the main thread, usually).
    let mut lives: Vec<(u64, u64)> = threads.iter().map(|s| span_of(s)).collect();
    lives.sort_by_key(|(start, end)| std::cmp::Reverse(end - start));
    let window = if lives.len() > 1 {
        let others = &lives[1..];
        (
            others.iter().map(|l| l.0).min()?,
            others.iter().map(|l| l.1).max()?,
        )
    } else {
        *lives.first()?
    };
    if window.1 <= window.0 {
        return None;
    }
    let on_cpu: f64 = threads
        .iter()
        .flat_map(|slices| slices.iter())
        .map(|s| {
            let overlap = s.end().min(window.1).saturating_sub(s.start.max(window.0));
            f64::from(s.on_cpu) * overlap as f64 / f64::from(s.len.max(1))
        })
        .sum();
    Some(CoresSummary {
        threads: lives.len().saturating_sub(1).max(1),
        average: on_cpu / (window.1 - window.0) as f64,
        window,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(start: u64, len: u32, on_cpu: u32, queued: u32, state: u8) -> KernelSlice {
        KernelSlice {
            start,
            len,
            on_cpu,
            queued,
            state,
        }
    }

    #[test]
    fn kernel_time_is_spread_over_the_cells_a_slice_covers() {
        // 40 ns: half on a core, a quarter queued, a quarter blocked, over
        // cells of 20 ns starting at 10: half in each of the first two.
        let cells = kernel_cells(&[slice(10, 40, 20, 10, b'S')], 0, 20.0, 3);
        let near = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(near(cells[0].on_cpu, 5.0), "{cells:?}");
        assert!(near(cells[1].on_cpu, 10.0), "{cells:?}");
        assert!(near(cells[2].queued, 2.5), "{cells:?}");
        assert_eq!(cells[1].resolve(20.0), Some(KernelInk::OnCore));
        let queued = kernel_cells(&[slice(0, 20, 5, 15, b'R')], 0, 20.0, 1);
        assert_eq!(queued[0].resolve(20.0), Some(KernelInk::Queued));
        let stopped = kernel_cells(&[slice(0, 20, 0, 0, b'T')], 0, 20.0, 2);
        assert_eq!(stopped[0].resolve(20.0), Some(KernelInk::Stopped));
        assert_eq!(stopped[1].resolve(20.0), None, "no data after the slice");
    }

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
