//! WRONG: add reads the count under the lock, lets go, and writes count + 1 under the lock again: two threads can read the same count and one increment is lost (the checks must see counts lost under contention).
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread;

/// Word counts. Cloning gives another handle to the same counts.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    counts: Arc<Mutex<HashMap<String, u64>>>,
}

impl Tally {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one more `word`.
    pub fn add(&self, word: &str) {
        let now = self.count(word);
        self.lock().insert(word.to_string(), now + 1);
    }

    /// How many times `word` was counted.
    pub fn count(&self, word: &str) -> u64 {
        self.lock().get(word).copied().unwrap_or(0)
    }

    /// How many words were counted in all.
    pub fn total(&self) -> u64 {
        self.lock().values().sum()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        // A thread that panicked while counting leaves whole counts behind.
        self.counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Loads documents `0..documents` with `load`, each on its own thread, all
/// at once, and adds every word (split on whitespace) to `tally`.
pub fn tally_documents(documents: usize, load: impl Fn(usize) -> String + Sync, tally: &Tally) {
    let load = &load;
    thread::scope(|s| {
        for index in 0..documents {
            // The load runs without the lock, so the loads overlap.
            s.spawn(move || {
                for word in load(index).split_whitespace() {
                    tally.add(word);
                }
            });
        }
    });
}
