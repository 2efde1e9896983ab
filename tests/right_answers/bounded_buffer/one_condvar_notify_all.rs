//! RIGHT: one Condvar for both waits (not full, not empty) and notify_all, under the lock, after every push and pop: more wake-ups than needed, each waiter re-checks its own condition, nobody is left asleep.
use crate::sync::{Condvar, Mutex};
use std::collections::VecDeque;

/// A first-in first-out buffer holding at most `capacity` items.
pub struct BoundedBuffer<T> {
    items: Mutex<VecDeque<T>>,
    capacity: usize,
    /// One condition variable for both waits: "something changed".
    changed: Condvar,
}

impl<T> BoundedBuffer<T> {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "a buffer needs room for one item");
        Self {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            changed: Condvar::new(),
        }
    }

    /// Adds `item` at the back, waiting while the buffer is full.
    pub fn push(&self, item: T) {
        let mut items = self.items.lock().unwrap();
        while items.len() >= self.capacity {
            items = self.changed.wait(items).unwrap();
        }
        items.push_back(item);
        // Producers and consumers wait on the same Condvar, so notify_one
        // could wake another producer; wake them all, each re-checks.
        self.changed.notify_all();
    }

    /// Takes the item at the front, waiting while the buffer is empty.
    pub fn pop(&self) -> T {
        let mut items = self.items.lock().unwrap();
        while items.is_empty() {
            items = self.changed.wait(items).unwrap();
        }
        let item = items.pop_front().expect("woke up to an empty buffer");
        self.changed.notify_all();
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
