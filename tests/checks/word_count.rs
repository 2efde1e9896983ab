use super::probe::busy_threads_tries;
use super::{LIMIT, within};
use crate::ex::word_count::{count, word_count};
use std::collections::HashMap;
use std::time::Duration;

fn text() -> Vec<String> {
    (0..500)
        .map(|i| format!("The cat {} sat; the DOG, number {}, did not!", i % 7, i % 3))
        .collect()
}

#[test]
fn counts_like_one_thread() {
    isolated!();
    let counts = within(
        LIMIT,
        "word_count never returned: is a thread not joined?",
        || {
            let lines = text();
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            (word_count(&lines, 4), count(&lines))
        },
    );
    assert_eq!(
        counts.0, counts.1,
        "word_count with 4 workers gave other counts than counting on one thread"
    );
    assert_eq!(counts.0["the"], 1000, "\"The\" and \"the\" are one word");
}

#[test]
fn any_number_of_workers() {
    isolated!();
    let lines = ["a b", "b c", "c"];
    let expected: HashMap<String, usize> =
        [("a".into(), 1), ("b".into(), 2), ("c".into(), 2)].into();
    for workers in [1, 2, 3, 7] {
        assert_eq!(
            word_count(&lines, workers),
            expected,
            "with {workers} workers"
        );
    }
    assert!(word_count(&[], 3).is_empty(), "no lines, no words");
}

/// A text long enough that each of 4 chunks takes a while to count.
fn long_text() -> Vec<String> {
    (0..20_000)
        .map(|i| format!("line {i} of the long text: some words {} repeat", i % 13))
        .collect()
}

#[test]
fn the_chunks_are_counted_at_the_same_time() {
    isolated!();
    let (same, most) = within(
        Duration::from_secs(12),
        "word_count never returned: is a thread not joined?",
        || {
            let lines = long_text();
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            let expected = count(&lines);
            // Up to 3 runs: one run on a busy machine can miss the overlap.
            let (same, most) = busy_threads_tries(3, 2, || word_count(&lines, 4) == expected);
            (same.iter().all(|&same| same), most)
        },
    );
    assert!(
        same,
        "word_count with 4 workers gave other counts than counting on one thread"
    );
    assert!(
        most >= 2,
        "with 4 workers, never more than {most} thread was counting at any moment (in up to 3 runs): \
         the chunks were counted one after another"
    );
}
