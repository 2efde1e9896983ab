//! RIGHT: a plain Vec of wakers; a poll adds its waker unless one that `will_wake` the same task is there already, so a moved task is woken (the stale waker gets a harmless extra wake) and a re-poll adds nothing.
use std::future::Future;
use std::pin::Pin;
use crate::sync::{Arc, Mutex};
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
        let waiting = {
            let mut state = self.state.lock().unwrap();
            if state.remaining == 0 {
                return;
            }
            state.remaining -= 1;
            if state.remaining > 0 {
                return;
            }
            std::mem::take(&mut state.waiting)
        };
        waiting.into_iter().for_each(Waker::wake);
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
        if !state.waiting.iter().any(|w| w.will_wake(cx.waker())) {
            state.waiting.push(cx.waker().clone());
        }
        Poll::Pending
    }
}
