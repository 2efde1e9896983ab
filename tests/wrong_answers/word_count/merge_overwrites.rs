//! WRONG: the totals are merged with `insert`, so a word seen in two chunks keeps only the last chunk's count (the checks must add counts across threads).
use std::collections::HashMap;
use std::thread;

pub fn word_count(lines: &[&str], workers: usize) -> HashMap<String, usize> {
    let chunk_len = lines.len().div_ceil(workers.max(1)).max(1);
    thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(chunk_len)
            .map(|chunk| scope.spawn(move || count(chunk)))
            .collect();
        let mut total = HashMap::new();
        for handle in handles {
            total.extend(handle.join().unwrap());
        }
        total
    })
}

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
