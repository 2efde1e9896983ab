//! # bounded_pool · lesson 01 · stretch: a pool of N threads, built by hand (T4, T10)
//!
//! Reference answer. The threads share one counter, the index of the next
//! item nobody has started: `fetch_add` hands each index to exactly one
//! thread, so a thread that finishes early just takes more items. Each
//! thread keeps `(index, result)` pairs; at the end they are put in order.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// `work` applied to every item on at most `threads` threads; results in
/// item order.
pub fn map_bounded<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.max(1).min(items.len());
    let next = AtomicUsize::new(0);
    let (next, work) = (&next, &work);
    let mut done: Vec<(usize, R)> = thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break };
                        mine.push((index, work(item)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker panicked"))
            .collect()
    });
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}
