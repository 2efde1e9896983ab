//! WRONG: in_completion_order starts one thread per job but joins them in index order and collects the indexes as it joins: the jobs overlap, the order is the start order; the checks must use jobs of shuffled lengths.
use rayon::prelude::*;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// `f` applied to every item in parallel, results in the order of `items`.
pub fn map_in_order<T, U, F>(items: &[T], f: F) -> Vec<U>
where
    T: Sync,
    U: Send,
    F: Fn(&T) -> U + Sync + Send,
{
    items.par_iter().map(f).collect()
}

/// The indexes of the jobs in the order they finished.
pub fn in_completion_order(delays: &[Duration]) -> Vec<usize> {
    let handles: Vec<_> = delays
        .iter()
        .enumerate()
        .map(|(index, &delay)| {
            thread::spawn(move || {
                thread::sleep(delay);
                index
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}
