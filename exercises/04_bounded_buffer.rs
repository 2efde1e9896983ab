//! # bounded_buffer · lesson 04 · fix a bounded buffer that breaks with several consumers (S3)
//!
//! A buffer of at most `capacity` items, shared by producers and consumers:
//! [`BoundedBuffer::push`] waits while it is full, [`BoundedBuffer::pop`]
//! waits while it is empty. Each wait is on a `Condvar`.
//!
//! The symptom: with one producer and one consumer it works. With several
//! consumers, one sometimes panics with "woke up to an empty buffer"; with
//! several producers, the buffer sometimes holds more than `capacity` items.
//! Both waits look right at first sight.
//!
//! Questions to answer before changing anything: a consumer is woken because
//! an item was pushed. Between that `notify_one` and the moment the woken
//! consumer holds the lock again, who else may take the lock? And may a
//! `Condvar` wake a thread that nobody notified?
//!
//! The checks run producers and consumers under stress, and loom models try
//! every interleaving of two consumers and a producer, and of two producers
//! and a consumer.
//!
//! Check it: `cargo run -- check bounded_buffer`
use crate::sync::{Condvar, Mutex};
use std::collections::VecDeque;

/// A first-in first-out buffer holding at most `capacity` items.
pub struct BoundedBuffer<T> {
    items: Mutex<VecDeque<T>>,
    capacity: usize,
    not_empty: Condvar,
    not_full: Condvar,
}

impl<T> BoundedBuffer<T> {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "a buffer needs room for one item");
        Self {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    /// Adds `item` at the back, waiting while the buffer is full.
    pub fn push(&self, item: T) {
        let mut items = self.items.lock().unwrap();
        // TODO: is the buffer still full when the wait returns?
        if items.len() >= self.capacity {
            items = self.not_full.wait(items).unwrap();
        }
        items.push_back(item);
        drop(items);
        self.not_empty.notify_one();
    }

    /// Takes the item at the front, waiting while the buffer is empty.
    pub fn pop(&self) -> T {
        let mut items = self.items.lock().unwrap();
        // TODO: is the buffer still not empty when the wait returns?
        if items.is_empty() {
            items = self.not_empty.wait(items).unwrap();
        }
        let item = items.pop_front().expect("woke up to an empty buffer");
        drop(items);
        self.not_full.notify_one();
        item
    }

    /// How many items are in the buffer now.
    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
