//! WRONG: the chunk size rounds down, so with 10 lines and 3 workers the last line is never counted (the checks must count every line for any worker count).
use std::collections::HashMap;
use std::thread;

pub fn word_count(lines: &[&str], workers: usize) -> HashMap<String, usize> {
    let workers = workers.max(1);
    let chunk_len = (lines.len() / workers).max(1);
    thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .filter_map(|i| lines.get(i * chunk_len..((i + 1) * chunk_len).min(lines.len())))
            .map(|chunk| scope.spawn(move || count(chunk)))
            .collect();
        let mut total = HashMap::new();
        for handle in handles {
            for (word, n) in handle.join().unwrap() {
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
