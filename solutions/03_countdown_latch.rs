//! # countdown_latch · lesson 03 · write a future by hand, with a real Waker (A1)
//!
//! Reference answer. The latch keeps one waker per waiting future, in a map
//! keyed by the future's id, so a future polled again replaces its own waker
//! instead of adding a second one. The count and the wakers sit behind one
//! lock: `poll` checks the count and stores its waker while holding it, so a
//! `count_down` on another thread cannot slip in between and be missed.
use crate::sync::{Arc, Mutex, MutexGuard};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// A count that futures wait on until it reaches zero.
#[derive(Clone)]
pub struct Latch {
    state: Arc<Mutex<State>>,
}

struct State {
    remaining: usize,
    /// The latest waker of each waiting future, by the future's id.
    waiting: HashMap<u64, Waker>,
    next_id: u64,
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
                waiting: HashMap::new(),
                next_id: 0,
            })),
        }
    }

    /// The count now.
    pub fn remaining(&self) -> usize {
        lock(&self.state).remaining
    }

    /// Counts one down; at zero, wakes every future waiting.
    pub fn count_down(&self) {
        let to_wake: Vec<Waker> = {
            let mut state = lock(&self.state);
            if state.remaining == 0 {
                return;
            }
            state.remaining -= 1;
            if state.remaining > 0 {
                return;
            }
            state.waiting.drain().map(|(_, waker)| waker).collect()
        };
        // Woken after the lock is released: a waker may run code that polls
        // (and so locks) right away.
        to_wake.into_iter().for_each(Waker::wake);
    }

    /// A future that completes when the count is zero.
    pub fn wait(&self) -> Wait {
        Wait {
            state: Arc::clone(&self.state),
            id: None,
        }
    }
}

/// The future returned by [`Latch::wait`].
pub struct Wait {
    state: Arc<Mutex<State>>,
    /// Set at the first `Pending`: where this future's waker is kept.
    id: Option<u64>,
}

impl Future for Wait {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let mut state = lock(&this.state);
        if state.remaining == 0 {
            return Poll::Ready(());
        }
        let id = match this.id {
            Some(id) => id,
            None => {
                let id = state.next_id;
                state.next_id += 1;
                this.id = Some(id);
                id
            }
        };
        match state.waiting.get_mut(&id) {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            Some(waker) => waker.clone_from(cx.waker()),
            None => {
                state.waiting.insert(id, cx.waker().clone());
            }
        }
        Poll::Pending
    }
}

impl Drop for Wait {
    /// A future given up on is forgotten, so its waker is not kept.
    fn drop(&mut self) {
        if let Some(id) = self.id {
            lock(&self.state).waiting.remove(&id);
        }
    }
}
