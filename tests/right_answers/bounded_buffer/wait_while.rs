//! RIGHT: Condvar::wait_while, which loops on the condition itself, instead of a hand-written while loop.
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
        let capacity = self.capacity;
        items = self
            .not_full
            .wait_while(items, |items| items.len() >= capacity)
            .unwrap();
        items.push_back(item);
        drop(items);
        self.not_empty.notify_one();
    }

    /// Takes the item at the front, waiting while the buffer is empty.
    pub fn pop(&self) -> T {
        let mut items = self.items.lock().unwrap();
        items = self
            .not_empty
            .wait_while(items, |items| items.is_empty())
            .unwrap();
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
