//! RIGHT: the loads run on scoped threads and send each document's text over a channel; the caller's thread alone adds the words (an Arc<RwLock<..>> keeps Tally Send, Sync and shared by its clones).
use std::collections::HashMap;
use std::sync::{Arc, RwLock, mpsc};
use std::thread;

/// Word counts. Cloning gives another handle to the same counts.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    counts: Arc<RwLock<HashMap<String, u64>>>,
}

impl Tally {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one more `word`.
    pub fn add(&self, word: &str) {
        let mut counts = self.counts.write().unwrap_or_else(|p| p.into_inner());
        *counts.entry(word.to_string()).or_insert(0) += 1;
    }

    /// How many times `word` was counted.
    pub fn count(&self, word: &str) -> u64 {
        let counts = self.counts.read().unwrap_or_else(|p| p.into_inner());
        counts.get(word).copied().unwrap_or(0)
    }

    /// How many words were counted in all.
    pub fn total(&self) -> u64 {
        let counts = self.counts.read().unwrap_or_else(|p| p.into_inner());
        counts.values().sum()
    }
}

/// Loads documents `0..documents` with `load`, each on its own thread, all
/// at once, and adds every word (split on whitespace) to `tally`.
pub fn tally_documents(documents: usize, load: impl Fn(usize) -> String + Sync, tally: &Tally) {
    let load = &load;
    let (texts, loaded) = mpsc::channel::<String>();
    thread::scope(|s| {
        for index in 0..documents {
            let texts = texts.clone();
            s.spawn(move || {
                let _ = texts.send(load(index));
            });
        }
        drop(texts); // the loaders hold the only senders
        for text in loaded {
            for word in text.split_whitespace() {
                tally.add(word);
            }
        }
    });
}
