//! # relaxed_flag · lesson 04 · fix a message read before it was written (S9)
//!
//! A [`Mailbox`] carries one message from a writer thread to a reader
//! thread without a lock: the writer stores the message, then raises the
//! `full` flag; the reader looks at the flag, and once it is up, reads the
//! message. Messages are never 0.
//!
//! The symptom: now and then the reader sees the flag up and reads the
//! message as **0**, the value from before the writer stored it. Running
//! the program a million times on your laptop may never show it; the loom
//! model in the check finds the schedule at once. The code runs the steps
//! in the right order on the page: how can the reader see the flag before
//! the message?
//!
//! Fix it so the reader either sees no message yet or the whole message.
//!
//! Check it: `cargo run -- check relaxed_flag`
use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// One message, handed from one thread to another.
pub struct Mailbox {
    message: AtomicU64,
    full: AtomicBool,
}

impl Default for Mailbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Mailbox {
    pub fn new() -> Self {
        Self {
            message: AtomicU64::new(0),
            full: AtomicBool::new(false),
        }
    }

    /// Called once, by the writer.
    pub fn send(&self, message: u64) {
        self.message.store(message, Ordering::Relaxed);
        // Release: every write before this store is visible to a thread
        // whose Acquire load reads `true` here.
        self.full.store(true, Ordering::Release);
    }

    /// The message once it was sent, `None` before.
    pub fn try_receive(&self) -> Option<u64> {
        // Acquire pairs with the writer's Release store of the flag.
        if self.full.load(Ordering::Acquire) {
            Some(self.message.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}
