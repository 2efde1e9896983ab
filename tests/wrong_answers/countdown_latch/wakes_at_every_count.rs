//! WRONG: every count-down wakes every waiter, not only the one that reaches zero (and a waiter polled again adds its waker again), so waiters are woken early and more than once: the checks must count the extra wakes.
use crate::sync::{Arc, Mutex};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

#[derive(Clone)]
pub struct Latch {
    state: Arc<Mutex<State>>,
}

struct State {
    remaining: usize,
    waiting: Vec<Waker>,
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
        self.state.lock().unwrap().remaining
    }
    pub fn count_down(&self) {
        let mut state = self.state.lock().unwrap();
        state.remaining = state.remaining.saturating_sub(1);
        // Let every waiter look for itself.
        state.waiting.drain(..).for_each(Waker::wake);
    }
    pub fn wait(&self) -> Wait {
        Wait {
            state: Arc::clone(&self.state),
        }
    }
}

pub struct Wait {
    state: Arc<Mutex<State>>,
}

impl Future for Wait {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state.lock().unwrap();
        if state.remaining == 0 {
            return Poll::Ready(());
        }
        state.waiting.push(cx.waker().clone());
        Poll::Pending
    }
}
