//! WRONG: each thread takes the lock before it loads its document, so the slow loads run one at a time: the checks must see that they never overlap.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread;

#[derive(Debug, Clone, Default)]
pub struct Tally {
    counts: Arc<Mutex<HashMap<String, u64>>>,
}

impl Tally {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&self, word: &str) {
        *self
            .counts
            .lock()
            .unwrap()
            .entry(word.to_string())
            .or_insert(0) += 1;
    }
    pub fn count(&self, word: &str) -> u64 {
        self.counts.lock().unwrap().get(word).copied().unwrap_or(0)
    }
    pub fn total(&self) -> u64 {
        self.counts.lock().unwrap().values().sum()
    }
}

pub fn tally_documents(documents: usize, load: impl Fn(usize) -> String + Sync, tally: &Tally) {
    let load = &load;
    thread::scope(|s| {
        for index in 0..documents {
            s.spawn(move || {
                let mut counts = tally.counts.lock().unwrap();
                for word in load(index).split_whitespace() {
                    *counts.entry(word.to_string()).or_insert(0) += 1;
                }
            });
        }
    });
}
