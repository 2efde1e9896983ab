//! RIGHT: each thread counts its document into a map of its own and merges it into the shared map under the lock once, at the end (less contention than a lock per word).
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
        self.merge(HashMap::from([(word.to_string(), 1)]));
    }
    pub fn count(&self, word: &str) -> u64 {
        self.counts.lock().unwrap().get(word).copied().unwrap_or(0)
    }
    pub fn total(&self) -> u64 {
        self.counts.lock().unwrap().values().sum()
    }
    fn merge(&self, local: HashMap<String, u64>) {
        let mut counts = self.counts.lock().unwrap();
        for (word, n) in local {
            *counts.entry(word).or_insert(0) += n;
        }
    }
}

pub fn tally_documents(documents: usize, load: impl Fn(usize) -> String + Sync, tally: &Tally) {
    let load = &load;
    let handles: Vec<_> = thread::scope(|s| {
        let handles: Vec<_> = (0..documents)
            .map(|index| {
                s.spawn(move || {
                    let mut local = HashMap::new();
                    for word in load(index).split_whitespace() {
                        *local.entry(word.to_string()).or_insert(0) += 1;
                    }
                    local
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for local in handles {
        tally.merge(local);
    }
}
