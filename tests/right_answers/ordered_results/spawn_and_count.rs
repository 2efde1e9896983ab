//! RIGHT: in_completion_order with plain thread::spawn (the senders moved into detached threads) and a collector that takes exactly as many indexes as there are jobs, then joins the threads.
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
    let (done_tx, done_rx) = mpsc::channel();
    let handles: Vec<_> = delays
        .iter()
        .enumerate()
        .map(|(index, &delay)| {
            let done_tx = done_tx.clone();
            thread::spawn(move || {
                thread::sleep(delay);
                let _ = done_tx.send(index);
            })
        })
        .collect();
    let order: Vec<usize> = done_rx.iter().take(delays.len()).collect();
    for handle in handles {
        handle.join().expect("a job panicked");
    }
    order
}
