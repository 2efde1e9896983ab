//! RIGHT: each waiting future owns a `futures::task::AtomicWaker` slot (re-registered on every poll, so the latest waker wins and a same-waker re-poll changes nothing); the latch keeps Weak links to the slots, so a dropped future needs no Drop clean-up.
use crate::sync::{Arc, Mutex, MutexGuard};
use futures::task::AtomicWaker;
use std::future::Future;
use std::pin::Pin;
use std::sync::Weak;
use std::task::{Context, Poll};

#[derive(Clone)]
pub struct Latch {
    state: Arc<Mutex<State>>,
}

struct State {
    remaining: usize,
    waiting: Vec<Weak<AtomicWaker>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Latch {
    pub fn new(count: usize) -> Self {
        Self {
            state: Arc::new(Mutex::new(State {
                remaining: count,
                waiting: Vec::new(),
            })),
        }
    }

    pub fn remaining(&self) -> usize {
        lock(&self.state).remaining
    }

    pub fn count_down(&self) {
        let slots = {
            let mut state = lock(&self.state);
            if state.remaining == 0 {
                return;
            }
            state.remaining -= 1;
            if state.remaining > 0 {
                return;
            }
            std::mem::take(&mut state.waiting)
        };
        for slot in slots.iter().filter_map(Weak::upgrade) {
            slot.wake();
        }
    }

    pub fn wait(&self) -> Wait {
        Wait {
            state: Arc::clone(&self.state),
            slot: None,
        }
    }
}

pub struct Wait {
    state: Arc<Mutex<State>>,
    /// Made at the first `Pending`; the latch holds only a Weak to it.
    slot: Option<std::sync::Arc<AtomicWaker>>,
}

impl Future for Wait {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        // The count is looked at and the waker stored under one lock, so a
        // count-down cannot reach zero in between.
        let mut state = lock(&this.state);
        if state.remaining == 0 {
            return Poll::Ready(());
        }
        match &this.slot {
            Some(slot) => slot.register(cx.waker()),
            None => {
                let slot = std::sync::Arc::new(AtomicWaker::new());
                slot.register(cx.waker());
                state.waiting.retain(|weak| weak.strong_count() > 0);
                state.waiting.push(std::sync::Arc::downgrade(&slot));
                this.slot = Some(slot);
            }
        }
        Poll::Pending
    }
}
