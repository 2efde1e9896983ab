//! The one timeline model. Every view (the text timeline, the TUI, the
//! Perfetto export) reads this and nothing else; only [`Timeline::ingest`]
//! reads wire records.
//!
//! A run has lanes: one per process, one per thread of each process, and one
//! per async task (a span with a `task` field). Spans are intervals on a lane,
//! running or waiting (a span with a `waiting_on` field), nested by depth.
//! A task's poll appears twice: on the task's lane and on the lane of the
//! worker thread that polled it, each pointing at the other.
mod dense;
#[cfg(test)]
pub(crate) mod fixtures;
mod ingest;
mod kernel;
#[cfg(test)]
mod kernel_tests;
mod query;
#[cfg(test)]
mod tests;

use crate::wire::Fields;
pub use kernel::{KernelSlice, KernelStatus, RECORDER_COMM};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The most spans one run keeps. Past it, spans are counted, not kept
/// ([`Timeline::not_kept`]): a lesson that floods spans cannot drive the
/// workbook out of memory (a span is about 64 bytes, plus its index).
pub const MAX_SPANS: usize = 1_000_000;
/// The most span definitions (names and fields) and marks one run keeps.
pub const MAX_DEFS: usize = 250_000;
pub const MAX_MARKS: usize = 250_000;

/// How much one run's model keeps; [`MAX_SPANS`] and the like by default.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    pub spans: usize,
    pub defs: usize,
    pub marks: usize,
}

impl Default for Caps {
    fn default() -> Self {
        Caps {
            spans: MAX_SPANS,
            defs: MAX_DEFS,
            marks: MAX_MARKS,
        }
    }
}

/// A map keyed by the small integers the recorder hands out (connection,
/// thread and span ids, lane numbers): a multiply spreads them well enough,
/// at a fraction of `SipHash`'s cost per record. The keys come from the run's
/// own processes, so there is no one to defend against.
pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

pub type LaneId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaneKind {
    Process,
    Thread,
    Task,
}

#[derive(Debug, Clone)]
pub struct Lane {
    pub id: LaneId,
    pub kind: LaneKind,
    pub pid: u32,
    pub name: String,
    /// A thread or task: its process's lane. A child process: its parent's.
    pub parent: Option<LaneId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Running,
    Waiting,
}

/// What a span is, as it was created: shared by all its enters.
#[derive(Debug, Clone)]
pub struct SpanDef {
    pub name: String,
    pub target: String,
    pub fields: Fields,
    pub waiting_on: Option<String>,
    pub task: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Span {
    pub lane: LaneId,
    pub def: usize,
    pub state: State,
    /// Nanoseconds since the run started.
    pub start: u64,
    /// `None` while the span is still open.
    pub end: Option<u64>,
    pub depth: u16,
    /// On a task lane: the thread that polled it. On a thread lane, for a
    /// poll: the task's lane.
    pub other_lane: Option<LaneId>,
}

#[derive(Debug, Clone)]
pub struct Mark {
    pub lane: LaneId,
    pub ts: u64,
    pub name: String,
    pub fields: Fields,
}

/// Records the model refused, counted, with the first few kept to show.
#[derive(Debug, Clone, Default)]
pub struct Errors {
    pub count: u64,
    pub samples: Vec<String>,
}

const MAX_ERROR_SAMPLES: usize = 20;

#[derive(Debug, Default)]
pub struct Timeline {
    lanes: Vec<Lane>,
    defs: Vec<SpanDef>,
    spans: Vec<Span>,
    /// Per lane, per depth: indices into `spans`, in start order. At one depth
    /// of one lane spans do not overlap, so starts and ends both ascend and a
    /// window query is a binary search.
    by_lane: Vec<Vec<Vec<u32>>>,
    /// Per lane, the open spans, innermost last.
    open: Vec<Vec<u32>>,
    marks: Vec<Vec<Mark>>,
    conns: IdMap<u32, ingest::Conn>,
    errors: Errors,
    dropped: u64,
    /// Spans, definitions and marks past the caps, counted instead of kept.
    not_kept: u64,
    /// Marks kept, over all lanes.
    mark_count: usize,
    caps: Caps,
    end: u64,
    /// The newest time on a record of the lesson's own processes (the
    /// sampler's readings move `end` but not this).
    traced_end: u64,
    kernel: kernel::KernelState,
}

impl Timeline {
    pub fn new() -> Self {
        Self::default()
    }

    /// A model that keeps at most what `caps` says (tests, benchmarks).
    pub fn with_caps(caps: Caps) -> Self {
        Timeline {
            caps,
            ..Self::default()
        }
    }

    pub fn lanes(&self) -> &[Lane] {
        &self.lanes
    }

    pub fn def(&self, span: &Span) -> &SpanDef {
        &self.defs[span.def]
    }

    /// The latest timestamp seen, in nanoseconds since the run started.
    pub fn end(&self) -> u64 {
        self.end
    }

    /// The newest time the lesson's own records have reached: how far the
    /// model has caught up with the lesson (`end` also follows the sampler,
    /// whose readings are fresh however far behind the lesson's are).
    pub fn traced_end(&self) -> u64 {
        self.traced_end
    }

    pub fn span_count(&self) -> usize {
        self.spans.len()
    }

    pub fn errors(&self) -> &Errors {
        &self.errors
    }

    /// Records the lessons' processes could not send (their buffer was full).
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Spans, span definitions and marks this run recorded past the model's
    /// caps ([`MAX_SPANS`], [`MAX_DEFS`], [`MAX_MARKS`]): counted, not kept.
    pub fn not_kept(&self) -> u64 {
        self.not_kept
    }

    /// A record the wire reader refused before it reached the model.
    pub fn wire_error(&mut self, conn: u32, message: &str) {
        self.error(format!("connection {conn}: {message}"));
    }

    fn error(&mut self, message: String) {
        self.errors.count += 1;
        if self.errors.samples.len() < MAX_ERROR_SAMPLES {
            self.errors.samples.push(message);
        }
    }

    fn add_lane(
        &mut self,
        kind: LaneKind,
        pid: u32,
        name: String,
        parent: Option<LaneId>,
    ) -> LaneId {
        let id = self.lanes.len();
        self.lanes.push(Lane {
            id,
            kind,
            pid,
            name,
            parent,
        });
        self.by_lane.push(Vec::new());
        self.open.push(Vec::new());
        self.marks.push(Vec::new());
        self.kernel.slices.push(Vec::new());
        id
    }
}
