//! Reading the model: window queries for drawing, lane order, open waits.
use super::{Lane, LaneId, LaneKind, Mark, Span, State, Timeline};

impl Timeline {
    /// The spans of `lane` that overlap `[from, to)`, depth by depth.
    pub fn spans_in(&self, lane: LaneId, from: u64, to: u64) -> impl Iterator<Item = &Span> {
        let levels = self.by_lane.get(lane).map_or(&[][..], Vec::as_slice);
        levels.iter().flat_map(move |level| {
            // Ends ascend within a level (an open span is last and ends at +inf).
            let first = level
                .partition_point(|&i| self.spans[i as usize].end.is_some_and(|end| end < from));
            level[first..]
                .iter()
                .map(|&i| &self.spans[i as usize])
                .take_while(move |span| span.start < to)
        })
    }

    /// The marks of `lane` in `[from, to)`.
    pub fn marks_in(&self, lane: LaneId, from: u64, to: u64) -> impl Iterator<Item = &Mark> {
        let marks = self.marks.get(lane).map_or(&[][..], Vec::as_slice);
        // Marks of one lane come from one thread, so they arrive in order.
        let first = marks.partition_point(|m| m.ts < from);
        marks[first..].iter().take_while(move |m| m.ts < to)
    }

    /// The innermost span of `lane` covering `ts`, if any.
    pub fn span_at(&self, lane: LaneId, ts: u64) -> Option<&Span> {
        self.spans_in(lane, ts, ts + 1)
            .filter(|s| s.start <= ts && s.end.is_none_or(|end| end > ts))
            .max_by_key(|s| s.depth)
    }

    /// Lanes sitting in a waiting span right now, with that span: what a hang
    /// looks like.
    pub fn open_waits(&self) -> Vec<(LaneId, &Span)> {
        self.open
            .iter()
            .enumerate()
            .filter_map(|(lane, open)| {
                let span = &self.spans[*open.last()? as usize];
                (span.state == State::Waiting).then_some((lane, span))
            })
            .collect()
    }

    /// Lanes in display order: each process, then its threads, then its
    /// tasks, then its child processes the same way.
    pub fn ordered_lanes(&self) -> Vec<&Lane> {
        let mut order = Vec::with_capacity(self.lanes.len());
        let roots = self
            .lanes
            .iter()
            .filter(|l| l.kind == LaneKind::Process && l.parent.is_none());
        for root in roots {
            self.push_process(root, &mut order);
        }
        order
    }

    fn push_process<'a>(&'a self, process: &'a Lane, order: &mut Vec<&'a Lane>) {
        order.push(process);
        for kind in [LaneKind::Thread, LaneKind::Task, LaneKind::Process] {
            for lane in self
                .lanes
                .iter()
                .filter(|l| l.parent == Some(process.id) && l.kind == kind)
            {
                if kind == LaneKind::Process {
                    self.push_process(lane, order);
                } else {
                    order.push(lane);
                }
            }
        }
    }
}
