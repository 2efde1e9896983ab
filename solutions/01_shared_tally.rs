//! # shared_tally · lesson 01 · one tally shared by many threads (T5)
//!
//! Reference answer. `Rc<RefCell<_>>` is neither `Send` (its count is not
//! atomic) nor `Sync` (`RefCell`'s borrow flag is not), so a `Tally` could not
//! reach the threads, and the old code gave each thread a copy that was then
//! dropped. `Arc<Mutex<_>>` is both: `Arc` shares ownership with an atomic
//! count, `Mutex` lets one thread at a time change the map.
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
        *self.lock().entry(word.to_string()).or_insert(0) += 1;
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
