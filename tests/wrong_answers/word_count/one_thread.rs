//! WRONG: counts every line on the calling thread: the right counts with no threads at all; the checks must see that nothing ran at the same time.
use std::collections::HashMap;
use std::thread;

/// How often each word appears in `lines`, counted on `workers` threads.
pub fn word_count(lines: &[&str], workers: usize) -> HashMap<String, usize> {
    count(lines)
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
