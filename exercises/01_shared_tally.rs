//! # shared_tally · lesson 01 · one tally shared by many threads (T5)
//!
//! [`tally_documents`] loads documents, each on its own thread so that the
//! slow loads (a disk, a network) overlap, and counts every word of every
//! document into one [`Tally`] that the caller owns.
//!
//! The symptom: after `tally_documents` returns, the caller's tally is
//! empty, though every document has words. No error, no panic: the counts
//! made on the threads just vanish. Try, too, to hand a `Tally` to a thread
//! (`std::thread::spawn(move || tally.add("x"))`) and read what the compiler
//! says.
//!
//! Why do the threads' counts never reach the caller's tally, and what
//! would let all the threads share that one tally? Change `Tally` and
//! `tally_documents` so that they do; keep the public API. A clone of a
//! `Tally` is another handle to the same counts, as it is now.
//!
//! The checks count many documents at once, check that the loads overlap,
//! that a clone shares the counts, and that `Tally` is `Send` and `Sync`.
//!
//! Check it: `cargo run -- check shared_tally`
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::thread;

/// Word counts. Cloning gives another handle to the same counts.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    // TODO: can these counts be reached from another thread?
    counts: Rc<RefCell<HashMap<String, u64>>>,
}

impl Tally {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one more `word`.
    pub fn add(&self, word: &str) {
        *self
            .counts
            .borrow_mut()
            .entry(word.to_string())
            .or_insert(0) += 1;
    }

    /// How many times `word` was counted.
    pub fn count(&self, word: &str) -> u64 {
        self.counts.borrow().get(word).copied().unwrap_or(0)
    }

    /// How many words were counted in all.
    pub fn total(&self) -> u64 {
        self.counts.borrow().values().sum()
    }
}

/// Loads documents `0..documents` with `load`, each on its own thread, all
/// at once, and adds every word (split on whitespace) to `tally`.
pub fn tally_documents(documents: usize, load: impl Fn(usize) -> String + Sync, tally: &Tally) {
    // TODO: the threads count, but the caller's tally never sees it.
    let counts_so_far: HashMap<String, u64> = tally.counts.borrow().clone();
    let load = &load;
    thread::scope(|s| {
        for index in 0..documents {
            let mut counts = counts_so_far.clone();
            s.spawn(move || {
                for word in load(index).split_whitespace() {
                    *counts.entry(word.to_string()).or_insert(0) += 1;
                }
            });
        }
    });
}
