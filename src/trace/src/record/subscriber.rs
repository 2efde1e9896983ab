//! The `tracing` subscriber itself: what happens on every span enter and
//! exit, kept to a thread-local borrow, a clock read and three words
//! written to this thread's ring.
use super::ring::{FIRST_WORDS, Full, Producer, Ring};
use super::totals::own_totals;
use super::{Shared, lock};
use crate::wire::{self, Record};
use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record as SpanValues};
use tracing::{Event, Metadata, Subscriber};

thread_local! {
    /// This thread's index within the process; `u32::MAX` until first use.
    /// A plain cell, so it outlives `LOCAL` when the thread ends.
    static THREAD_INDEX: Cell<u32> = const { Cell::new(u32::MAX) };
    /// This thread's ring and span stack, made on its first record.
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

/// What a recording thread keeps to itself.
struct Local {
    producer: Producer,
    thread: u32,
    /// The spans this thread is inside, innermost last: the parent of a new
    /// span and the span a mark belongs to.
    stack: Vec<u64>,
    /// A mark's frame is built here before it goes into the ring.
    scratch: Vec<u8>,
    /// The ring's read position when the writer last failed to read within
    /// [`super::STALL`]; `None` once it has read since.
    stalled_at: Option<usize>,
    /// Where this thread's totals go when it ends (see [`Drop`]).
    shared: Arc<Shared>,
}

impl Drop for Local {
    /// The thread is ending (its thread-locals are dropped, on the thread
    /// itself): what the kernel saw of it over its life goes out after its
    /// last records, however short it lived.
    fn drop(&mut self) {
        if let Some(totals) = own_totals(self.thread, self.shared.now()) {
            self.shared.push_late_before_end(&totals);
        }
    }
}

pub(super) struct Recorder {
    pub(super) shared: Arc<Shared>,
}

impl Recorder {
    /// Announces this thread (name, OS thread id) and gives it a ring.
    fn register(&self) -> Local {
        let thread = self.shared.next_thread.fetch_add(1, Ordering::Relaxed);
        THREAD_INDEX.with(|cell| cell.set(thread));
        let current = std::thread::current();
        let name = current
            .name()
            .map_or_else(|| format!("{:?}", current.id()), str::to_string);
        self.shared.push_early(&Record::Thread { thread, name });
        // Joins this thread's spans to what the runner's sampler reads
        // from /proc for the same OS thread.
        self.shared.push_early(&Record::ThreadId {
            thread,
            tid: nix::unistd::gettid().as_raw() as u32,
        });
        // Its totals now and when it ends make one kernel reading of its
        // life, even if the sampler never sees it.
        if let Some(totals) = own_totals(thread, self.shared.now()) {
            self.shared.push_early(&totals);
        }
        let ring = Ring::new(FIRST_WORDS);
        lock(&self.shared.rings).push(ring.clone());
        Local {
            producer: Producer::new(ring),
            thread,
            stack: Vec::new(),
            scratch: Vec::new(),
            stalled_at: None,
            shared: self.shared.clone(),
        }
    }

    /// Runs `f` on this thread's own state. Late in a thread's exit, when
    /// its thread-locals are gone, returns `None`.
    fn with_local<T>(&self, f: impl FnOnce(&mut Local) -> T) -> Option<T> {
        LOCAL
            .try_with(|cell| {
                let mut slot = cell.try_borrow_mut().ok()?;
                Some(f(slot.get_or_insert_with(|| self.register())))
            })
            .ok()
            .flatten()
    }

    /// Puts a record in the ring; when the ring is full at its largest,
    /// waits while the writer makes progress (see [`super::STALL`]). After a stall,
    /// drops at once until the writer has read again: a stuck reader costs
    /// the lesson one wait, not one per record.
    fn put(&self, local: &mut Local, mut push: impl FnMut(&mut Producer) -> Result<(), Full>) {
        while let Err(Full::AtMax) = push(&mut local.producer) {
            let read = local.producer.consumed();
            let producer = &local.producer;
            let still_stuck = local.stalled_at == Some(read);
            if still_stuck || !self.shared.wait_for_writer(|| producer.consumed() != read) {
                local.stalled_at = Some(local.producer.consumed());
                self.shared.dropped.fetch_add(1, Ordering::Relaxed);
                return;
            }
            local.stalled_at = None;
        }
    }

    fn switch(&self, tag: u8, span: u64, raw: u64) {
        let done = self.with_local(|local| {
            if tag == wire::ENTER {
                local.stack.push(span);
            } else if let Some(pos) = local.stack.iter().rposition(|&x| x == span) {
                local.stack.remove(pos);
            }
            let thread = local.thread;
            self.put(local, |p| p.push_switch(tag, thread, span, raw));
        });
        if done.is_none() {
            // The thread is ending: no ring left, so the shared buffer.
            let thread = THREAD_INDEX.with(Cell::get);
            let ts = self.shared.nanos(raw);
            self.shared.append(&self.shared.late, |buffer| {
                wire::encode_switch(buffer, tag, span, thread, ts);
            });
        }
    }
}

fn current_span() -> u64 {
    LOCAL
        .try_with(|cell| {
            cell.try_borrow()
                .ok()
                .and_then(|local| local.as_ref()?.stack.last().copied())
        })
        .ok()
        .flatten()
        .unwrap_or(0)
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let span = self.shared.next_span.fetch_add(1, Ordering::Relaxed);
        let parent = if let Some(parent) = attrs.parent() {
            parent.into_u64()
        } else if attrs.is_contextual() {
            current_span()
        } else {
            0
        };
        let mut fields = FieldText::default();
        attrs.record(&mut fields);
        if fields.0.iter().any(|(k, _)| k == wire::WAITING_FIELD) {
            self.shared.lock_waiting().insert(span, 1);
            self.shared.waiting_alive.fetch_add(1, Ordering::Relaxed);
        }
        self.shared.push_early(&Record::Span {
            span,
            parent,
            name: attrs.metadata().name().to_string(),
            target: attrs.metadata().target().to_string(),
            fields: fields.0,
        });
        Id::from_u64(span)
    }

    fn record(&self, _: &Id, _: &SpanValues<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn clone_span(&self, id: &Id) -> Id {
        if self.shared.waiting_alive.load(Ordering::Relaxed) > 0
            && let Some(count) = self.shared.lock_waiting().get_mut(&id.into_u64())
        {
            *count += 1;
        }
        id.clone()
    }

    fn try_close(&self, id: Id) -> bool {
        if self.shared.waiting_alive.load(Ordering::Relaxed) == 0 {
            return false;
        }
        let span = id.into_u64();
        let mut waiting = self.shared.lock_waiting();
        let Some(count) = waiting.get_mut(&span) else {
            return false;
        };
        *count -= 1;
        if *count > 0 {
            return false;
        }
        waiting.remove(&span);
        drop(waiting);
        self.shared.waiting_alive.fetch_sub(1, Ordering::Relaxed);
        self.shared.push_late(&Record::Close {
            span,
            ts: self.shared.now(),
        });
        true
    }

    fn event(&self, event: &Event<'_>) {
        let mut fields = FieldText::default();
        event.record(&mut fields);
        let mut name = String::new();
        fields.0.retain(|(k, v)| {
            if k == "message" {
                name.clone_from(v);
                false
            } else {
                true
            }
        });
        if name.is_empty() {
            name = event.metadata().name().to_string();
        }
        let ts = self.shared.now();
        let explicit = event.parent().map(Id::into_u64);
        let mut record = Record::Mark {
            thread: 0,
            ts,
            span: 0,
            name,
            fields: fields.0,
        };
        let done = self.with_local(|local| {
            if let Record::Mark { thread, span, .. } = &mut record {
                *thread = local.thread;
                *span = explicit.unwrap_or_else(|| local.stack.last().copied().unwrap_or(0));
            }
            let mut frame = std::mem::take(&mut local.scratch);
            frame.clear();
            wire::encode(&record, &mut frame);
            let thread = local.thread;
            self.put(local, |p| p.push_bytes(thread, &frame));
            local.scratch = frame;
        });
        if done.is_none() {
            if let Record::Mark { thread, .. } = &mut record {
                *thread = THREAD_INDEX.with(Cell::get);
            }
            self.shared.push_late(&record);
        }
    }

    fn enter(&self, span: &Id) {
        self.switch(wire::ENTER, span.into_u64(), self.shared.clock.raw());
    }

    fn exit(&self, span: &Id) {
        self.switch(wire::EXIT, span.into_u64(), self.shared.clock.raw());
    }
}

/// Field values as text, in the order the span declared them.
#[derive(Default)]
struct FieldText(Vec<(String, String)>);

impl Visit for FieldText {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_string(), value.to_string()));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .push((field.name().to_string(), format!("{value:?}")));
    }
}
