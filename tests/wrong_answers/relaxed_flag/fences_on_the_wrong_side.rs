//! WRONG: a Release fence after the flag store and an Acquire fence before the flag load: each fence is on the wrong side of the access it should order, so the flag may still be seen before the message (loom must find it).
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
        self.full.store(true, Ordering::Relaxed);
        // Publish both stores.
        crate::sync::atomic::fence(Ordering::Release);
    }

    /// The message once it was sent, `None` before.
    pub fn try_receive(&self) -> Option<u64> {
        // See everything the writer published.
        crate::sync::atomic::fence(Ordering::Acquire);
        let full = self.full.load(Ordering::Relaxed);
        if full {
            Some(self.message.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}
