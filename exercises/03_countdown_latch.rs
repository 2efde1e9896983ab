//! # countdown_latch · lesson 03 · write a future by hand, with a real Waker (A1)
//!
//! `async fn` writes futures for you. Here you write one yourself: a
//! countdown latch. [`Latch::new(n)`](Latch::new) starts at `n`; any thread
//! may call [`Latch::count_down`]; the futures made by [`Latch::wait`]
//! complete once the count has reached zero.
//!
//! How an executor runs a future: it calls `poll`. If the answer is not
//! ready, `poll` returns `Poll::Pending`, and the executor will not poll
//! that future again until someone calls `wake` on the `Waker` it passed
//! in (`cx.waker()`). So a future that is not ready must make sure it is
//! woken when it becomes ready, and only then. The rules the checks hold
//! you to:
//!
//! - `poll` returns `Ready(())` once the count is zero, else `Pending`.
//! - No busy polling: a `Pending` poll does not wake its own task.
//! - The count reaching zero wakes every waiting future, once each; a
//!   count-down that does not reach zero wakes nobody.
//! - A future may be polled again with a different `Waker` (tokio moves
//!   tasks between threads): the one from its latest poll is the one to wake.
//!   Polling again with the same `Waker` must not make it woken twice.
//! - `count_down` at zero stays at zero. A `Latch` clone is the same latch.
//! - No lost wake-up: a count-down on another thread between your check of
//!   the count and your storing of the waker must still wake the future.
//!
//! The checks poll your future by hand with wakers that count their wakes,
//! and run it on tokio with count-downs from other threads.
//!
//! Check it: `cargo run -- check countdown_latch`
use crate::sync::{Arc, Mutex};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A count that futures wait on until it reaches zero.
#[derive(Clone)]
pub struct Latch {
    state: Arc<Mutex<State>>,
}

struct State {
    remaining: usize,
    // TODO: what must the latch keep, to wake the futures waiting on it?
}

impl Latch {
    pub fn new(count: usize) -> Self {
        Self {
            state: Arc::new(Mutex::new(State { remaining: count })),
        }
    }

    /// The count now.
    pub fn remaining(&self) -> usize {
        self.state.lock().unwrap().remaining
    }

    /// Counts one down; at zero, wakes every future waiting.
    pub fn count_down(&self) {
        // TODO: count down (not below zero); when it reaches zero, wake the waiters.
        todo!("count down")
    }

    /// A future that completes when the count is zero.
    pub fn wait(&self) -> Wait {
        Wait {
            state: Arc::clone(&self.state),
        }
    }
}

/// The future returned by [`Latch::wait`].
pub struct Wait {
    state: Arc<Mutex<State>>,
    // TODO: does a waiting future need to remember anything between polls?
}

impl Future for Wait {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // TODO: Ready at zero; otherwise make sure `cx.waker()` is woken at zero.
        todo!("poll the latch")
    }
}
