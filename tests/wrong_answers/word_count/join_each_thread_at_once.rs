//! WRONG: starts a scoped thread per chunk but joins each one before starting the next, so the chunks are counted one after another; the checks must see no overlap.
use std::collections::HashMap;
use std::thread;

/// How often each word appears in `lines`, counted on `workers` threads.
pub fn word_count(lines: &[&str], workers: usize) -> HashMap<String, usize> {
    let chunk_len = lines.len().div_ceil(workers.max(1)).max(1);
    let mut total = HashMap::new();
    for chunk in lines.chunks(chunk_len) {
        let counts = thread::scope(|scope| scope.spawn(move || count(chunk)).join().unwrap());
        for (word, n) in counts {
            *total.entry(word).or_insert(0) += n;
        }
    }
    total
}

/// Counts the words of some lines on the calling thread. Words are separated
/// by whitespace, lower-cased, and stripped of the punctuation around them.
pub fn count(lines: &[&str]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for line in lines {
        for word in line.split_whitespace() {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            if !word.is_empty() {
                *counts.entry(word.to_lowercase()).or_insert(0) += 1;
            }
        }
    }
    counts
}
