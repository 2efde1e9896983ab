//! WRONG: starts `threads` items, waits for all of them, then starts the next batch; each batch waits for its longest item while the other thread is idle: the checks must see the time that takes.
use std::thread;

pub fn map_bounded<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let work = &work;
    let mut results = Vec::with_capacity(items.len());
    for batch in items.chunks(threads.max(1)) {
        thread::scope(|s| {
            let handles: Vec<_> = batch
                .iter()
                .map(|item| s.spawn(move || work(item)))
                .collect();
            results.extend(handles.into_iter().map(|h| h.join().unwrap()));
        });
    }
    results
}
