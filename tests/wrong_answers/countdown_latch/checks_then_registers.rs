//! WRONG: keeps the count in an atomic and the wakers under a separate lock, so a count-down on another thread between poll's look at the count and its storing of the waker wakes nobody (a lost wake-up): the loom model must find that schedule.
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Arc, Mutex};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

#[derive(Clone)]
pub struct Latch {
    shared: Arc<Shared>,
}

struct Shared {
    remaining: AtomicUsize,
    waiting: Mutex<Vec<Waker>>,
}

impl Latch {
    pub fn new(count: usize) -> Self {
        Self {
            shared: Arc::new(Shared {
                remaining: AtomicUsize::new(count),
                waiting: Mutex::new(Vec::new()),
            }),
        }
    }
    pub fn remaining(&self) -> usize {
        self.shared.remaining.load(Ordering::SeqCst)
    }
    pub fn count_down(&self) {
        let before = self
            .shared
            .remaining
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        if before == Ok(1) {
            let waiting = std::mem::take(&mut *self.shared.waiting.lock().unwrap());
            waiting.into_iter().for_each(Waker::wake);
        }
    }
    pub fn wait(&self) -> Wait {
        Wait {
            shared: Arc::clone(&self.shared),
        }
    }
}

pub struct Wait {
    shared: Arc<Shared>,
}

impl Future for Wait {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.shared.remaining.load(Ordering::SeqCst) == 0 {
            return Poll::Ready(());
        }
        let mut waiting = self.shared.waiting.lock().unwrap();
        if !waiting.iter().any(|w| w.will_wake(cx.waker())) {
            waiting.push(cx.waker().clone());
        }
        Poll::Pending
    }
}
