//! WRONG: map_in_order runs the items on rayon with for_each and pushes each result into a shared Vec as it is done: parallel, but in completion order; the checks must give the items different lengths.
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
    let results = std::sync::Mutex::new(Vec::with_capacity(items.len()));
    items.par_iter().for_each(|item| {
        let value = f(item);
        results.lock().unwrap().push(value);
    });
    results.into_inner().unwrap()
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
