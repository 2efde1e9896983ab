use super::within;
use crate::ex::bounded_pool::map_bounded;
use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// What a run saw: results, most items at once, distinct threads, time.
struct Seen {
    results: Vec<u64>,
    peak: usize,
    threads: usize,
    took: Duration,
}

/// Runs `map_bounded` over items that sleep the given milliseconds.
fn run(sleeps: Vec<u64>, threads: usize) -> Seen {
    within(
        Duration::from_secs(8),
        "map_bounded did not return",
        move || {
            let in_flight = AtomicUsize::new(0);
            let peak = AtomicUsize::new(0);
            let ids: Mutex<HashSet<ThreadId>> = Mutex::new(HashSet::new());
            let started = Instant::now();
            let results = map_bounded(&sleeps, threads, |&ms| {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                ids.lock().unwrap().insert(std::thread::current().id());
                std::thread::sleep(Duration::from_millis(ms));
                in_flight.fetch_sub(1, Ordering::SeqCst);
                ms * 10
            });
            Seen {
                results,
                peak: peak.into_inner(),
                threads: ids.into_inner().unwrap().len(),
                took: started.elapsed(),
            }
        },
    )
}

#[test]
fn results_in_item_order() {
    isolated!();
    let sleeps = vec![90, 10, 60, 0, 40, 80, 20, 30, 70, 50];
    let seen = run(sleeps.clone(), 3);
    let expected: Vec<u64> = sleeps.iter().map(|ms| ms * 10).collect();
    assert_eq!(
        seen.results, expected,
        "results of items of distinct lengths, in item order"
    );
}

#[test]
fn never_more_than_n_at_once_and_all_n_used() {
    isolated!();
    let seen = run(vec![30; 24], 4);
    assert!(
        seen.peak <= 4,
        "{} items were in progress at once with threads = 4",
        seen.peak
    );
    assert!(
        seen.threads <= 4,
        "the items ran on {} different threads with threads = 4",
        seen.threads
    );
    assert!(
        seen.peak >= 3,
        "at most {} of 24 items (30 ms each) ran at once with threads = 4: the pool is not used",
        seen.peak
    );
}

#[test]
fn zero_threads_counts_as_one_and_no_items_is_fine() {
    isolated!();
    let seen = run(vec![5, 1, 3], 0);
    assert_eq!(seen.results, vec![50, 10, 30]);
    assert_eq!(seen.peak, 1, "items at once with threads = 0 (counts as 1)");
    let seen = run(vec![], 4);
    assert!(seen.results.is_empty());
    let seen = run(vec![20, 20], 8);
    assert!(seen.threads <= 2, "2 items ran on {} threads", seen.threads);
}

/// Two threads; `sleeps` total 1,240 ms of work, so keeping both threads busy
/// takes about 620 ms, and leaving one idle about 1,200 ms.
fn assert_both_kept_busy(sleeps: Vec<u64>, layout: &str) {
    let seen = run(sleeps, 2);
    assert!(
        seen.took < Duration::from_millis(1000),
        "8 items ({layout}) on 2 threads took {:?}; with both threads kept busy they take \
         about 620 ms: a thread sat idle while items were waiting",
        seen.took
    );
}

#[test]
fn a_free_thread_takes_the_next_item_long_items_first() {
    isolated!();
    assert_both_kept_busy(
        vec![300, 300, 300, 300, 10, 10, 10, 10],
        "four of 300 ms, then four of 10 ms",
    );
}

#[test]
fn a_free_thread_takes_the_next_item_long_and_short_mixed() {
    isolated!();
    assert_both_kept_busy(
        vec![300, 10, 300, 10, 300, 10, 300, 10],
        "300 ms and 10 ms in turn",
    );
}
