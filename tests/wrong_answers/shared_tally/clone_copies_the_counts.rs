//! WRONG: Tally is Send and Sync, but a clone copies the counts, and each thread counts into its own clone: the checks must see the counts vanish and a clone not sharing them.
use std::collections::HashMap;
use std::sync::Mutex;
use std::thread;

#[derive(Debug, Default)]
pub struct Tally {
    counts: Mutex<HashMap<String, u64>>,
}

impl Clone for Tally {
    fn clone(&self) -> Self {
        Self {
            counts: Mutex::new(self.counts.lock().unwrap().clone()),
        }
    }
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
            let mine = tally.clone();
            s.spawn(move || {
                for word in load(index).split_whitespace() {
                    mine.add(word);
                }
            });
        }
    });
}
