//! WRONG: busy polling: a Pending poll calls `cx.waker().wake_by_ref()` instead of storing the waker, so the executor polls it again and again: the checks must see the self-wake and the poll count.
use crate::sync::{Arc, Mutex};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

#[derive(Clone)]
pub struct Latch {
    state: Arc<Mutex<usize>>,
}

impl Latch {
    pub fn new(count: usize) -> Self {
        Self {
            state: Arc::new(Mutex::new(count)),
        }
    }
    pub fn remaining(&self) -> usize {
        *self.state.lock().unwrap()
    }
    pub fn count_down(&self) {
        let mut remaining = self.state.lock().unwrap();
        *remaining = remaining.saturating_sub(1);
    }
    pub fn wait(&self) -> Wait {
        Wait {
            state: Arc::clone(&self.state),
        }
    }
}

pub struct Wait {
    state: Arc<Mutex<usize>>,
}

impl Future for Wait {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if *self.state.lock().unwrap() == 0 {
            return Poll::Ready(());
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
