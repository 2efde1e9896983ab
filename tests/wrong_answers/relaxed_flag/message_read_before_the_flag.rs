//! WRONG: Release/Acquire on the flag, but the reader loads the message before it looks at the flag: a message read before the flag went up can be the old 0 (loom must find it).
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
        let message = self.message.load(Ordering::Relaxed);
        if self.full.load(Ordering::Acquire) {
            Some(message)
        } else {
            None
        }
    }
}
