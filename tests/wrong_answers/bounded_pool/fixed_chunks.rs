//! WRONG: splits the items into `threads` contiguous chunks up front; a thread whose chunk is short sits idle while the other works through long items: the checks must see the time that takes.
use std::thread;

pub fn map_bounded<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if items.is_empty() {
        return Vec::new();
    }
    let size = items.len().div_ceil(threads.max(1));
    let work = &work;
    thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(size)
            .map(|chunk| s.spawn(move || chunk.iter().map(work).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}
