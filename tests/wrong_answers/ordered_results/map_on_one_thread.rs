//! WRONG: map_in_order maps the items on the calling thread with a plain iterator: the right results in the right order, with nothing in parallel; the checks must see that only one thread ran the items.
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
    items.iter().map(f).collect()
}

/// The indexes of the jobs in the order they finished.
pub fn in_completion_order(delays: &[Duration]) -> Vec<usize> {
    let (done_tx, done_rx) = mpsc::channel();
    thread::scope(|scope| {
        for (index, &delay) in delays.iter().enumerate() {
            let done_tx = done_tx.clone();
            scope.spawn(move || {
                thread::sleep(delay);
                done_tx.send(index).expect("the collector hung up");
            });
        }
        // Only the threads' clones remain: the loop below ends when the
        // last job has sent its index and dropped its sender.
        drop(done_tx);
        done_rx.iter().collect()
    })
}
