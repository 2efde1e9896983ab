//! WRONG: in_completion_order sorts the jobs by delay and runs them one after another: the right order, but no job overlaps another; the checks must see the total time of a sequential run.
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
    let mut order: Vec<usize> = (0..delays.len()).collect();
    order.sort_by_key(|&index| delays[index]);
    for &index in &order {
        thread::sleep(delays[index]);
    }
    order
}
