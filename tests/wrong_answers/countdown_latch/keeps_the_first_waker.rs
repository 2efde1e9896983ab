//! WRONG: stores a waiter's waker only at its first poll and ignores the waker of later polls, so a task that moved (polled with a new waker) is never woken: the checks must see the latest waker not woken.
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
        if state.remaining == 0 {
            return;
        }
        state.remaining -= 1;
        if state.remaining == 0 {
            state.waiting.drain(..).for_each(Waker::wake);
        }
    }
    pub fn wait(&self) -> Wait {
        Wait {
            state: Arc::clone(&self.state),
            registered: false,
        }
    }
}

pub struct Wait {
    state: Arc<Mutex<State>>,
    registered: bool,
}

impl Future for Wait {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let state = Arc::clone(&self.state);
        let mut state = state.lock().unwrap();
        if state.remaining == 0 {
            return Poll::Ready(());
        }
        if !self.registered {
            state.waiting.push(cx.waker().clone());
            self.registered = true;
        }
        Poll::Pending
    }
}
