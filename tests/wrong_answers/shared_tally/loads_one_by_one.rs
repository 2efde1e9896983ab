//! WRONG: the Tally is shareable, but the documents are loaded one after another on the caller's thread: the checks must see that the loads never overlap.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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
    for index in 0..documents {
        for word in load(index).split_whitespace() {
            tally.add(word);
        }
    }
}
