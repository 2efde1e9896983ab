//! WRONG: pop waits in a loop, but push still waits once with `if`: a producer woken for a free slot that another producer took first pushes anyway and overfills; loom must find it.
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
        while items.is_empty() {
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
