//! WRONG: chunks of lines.len() / workers lines: fine for big inputs, but fewer lines than workers gives a chunk size of 0 and a panic; the checks must try more workers than lines.
use std::collections::HashMap;
use std::thread;

/// How often each word appears in `lines`, counted on `workers` threads.
pub fn word_count(lines: &[&str], workers: usize) -> HashMap<String, usize> {
    let chunk_len = lines.len() / workers;
    thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(chunk_len)
            .map(|chunk| scope.spawn(move || count(chunk)))
            .collect();
        let mut total = HashMap::new();
        for handle in handles {
            for (word, n) in handle.join().expect("a counting thread panicked") {
                *total.entry(word).or_insert(0) += n;
            }
        }
        total
    })
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
