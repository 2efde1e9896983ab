//! RIGHT: workers send their partial counts over a channel and the caller merges them as they arrive, instead of joining handles.
use std::collections::HashMap;
use std::sync::mpsc;
use std::thread;

pub fn word_count(lines: &[&str], workers: usize) -> HashMap<String, usize> {
    let chunk_len = lines.len().div_ceil(workers.max(1)).max(1);
    let (tx, rx) = mpsc::channel();
    thread::scope(|scope| {
        for chunk in lines.chunks(chunk_len) {
            let tx = tx.clone();
            scope.spawn(move || tx.send(count(chunk)).unwrap());
        }
        drop(tx);
        let mut total = HashMap::new();
        for partial in rx {
            for (word, n) in partial {
                *total.entry(word).or_insert(0) += n;
            }
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
