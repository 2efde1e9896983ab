//! WRONG: the threads share an enumerating iterator behind a Mutex and take items with `while let Some(..) = queue.lock().unwrap().next()`; the guard is a temporary of the `while let` condition, so it lives through the loop body and the work runs under the lock, one item at a time: the checks must see no overlap.
use std::sync::Mutex;
use std::thread;

/// `work` applied to every item on at most `threads` threads; results in
/// item order.
pub fn map_bounded<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.max(1).min(items.len());
    let queue = Mutex::new(items.iter().enumerate());
    let (queue, work) = (&queue, &work);
    let mut done: Vec<(usize, R)> = thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let mut mine = Vec::new();
                    while let Some((index, item)) = queue.lock().unwrap().next() {
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
