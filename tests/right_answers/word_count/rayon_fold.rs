//! RIGHT: rayon on a pool of `workers` threads: par_iter over the lines, fold a map per rayon job, reduce the maps; no hand-made chunks or threads.
use std::collections::HashMap;
use std::thread;

/// How often each word appears in `lines`, counted on `workers` threads.
pub fn word_count(lines: &[&str], workers: usize) -> HashMap<String, usize> {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers.max(1))
        .build()
        .expect("cannot start a pool");
    pool.install(|| {
    lines
        .par_iter()
        .fold(HashMap::new, |mut total: HashMap<String, usize>, line| {
            for (word, n) in count(std::slice::from_ref(line)) {
                *total.entry(word).or_insert(0) += n;
            }
            total
        })
        .reduce(HashMap::new, |mut a, b| {
            for (word, n) in b {
                *a.entry(word).or_insert(0) += n;
            }
            a
        })
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
