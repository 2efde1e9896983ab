//! The `tracing` subscriber itself: what happens on every span enter and
//! exit, kept to a thread-local lookup, a clock read and a 21-byte append.
use super::Shared;
use crate::wire::{self, Record};
use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record as SpanValues};
use tracing::{Event, Metadata, Subscriber};

thread_local! {
    /// This thread's index within the process; `u32::MAX` until first use.
    static THREAD_INDEX: Cell<u32> = const { Cell::new(u32::MAX) };
    /// The spans this thread is inside, innermost last: the parent of a new
    /// span and the span a mark belongs to.
    static STACK: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

pub(super) struct Recorder {
    pub(super) shared: Arc<Shared>,
}

impl Recorder {
    fn thread_index(&self) -> u32 {
        THREAD_INDEX.with(|cell| {
            let index = cell.get();
            if index != u32::MAX {
                return index;
            }
            let index = self.shared.next_thread.fetch_add(1, Ordering::Relaxed);
            cell.set(index);
            let current = std::thread::current();
            let name = current
                .name()
                .map_or_else(|| format!("{:?}", current.id()), str::to_string);
            self.shared.push(&Record::Thread {
                thread: index,
                name,
            });
            // Joins this thread's spans to what the runner's sampler reads
            // from /proc for the same OS thread.
            self.shared.push(&Record::ThreadId {
                thread: index,
                tid: nix::unistd::gettid().as_raw() as u32,
            });
            index
        })
    }
}

fn current_span() -> u64 {
    STACK.with(|s| s.borrow().last().copied().unwrap_or(0))
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
        self.shared.push(&Record::Span {
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
        self.shared.push(&Record::Close {
            span,
            ts: self.shared.now(),
        });
        true
    }

    fn event(&self, event: &Event<'_>) {
        let thread = self.thread_index();
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
        let span = event.parent().map_or_else(current_span, Id::into_u64);
        self.shared.push(&Record::Mark {
            thread,
            ts: self.shared.now(),
            span,
            name,
            fields: fields.0,
        });
    }

    fn enter(&self, span: &Id) {
        let thread = self.thread_index();
        let id = span.into_u64();
        STACK.with(|s| s.borrow_mut().push(id));
        self.shared.push_switch(wire::ENTER, id, thread);
    }

    fn exit(&self, span: &Id) {
        let thread = self.thread_index();
        let id = span.into_u64();
        STACK.with(|s| {
            let mut stack = s.borrow_mut();
            if let Some(pos) = stack.iter().rposition(|&x| x == id) {
                stack.remove(pos);
            }
        });
        self.shared.push_switch(wire::EXIT, id, thread);
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
