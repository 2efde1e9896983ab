//! RIGHT: map_in_order tags each result with its index (par_iter().enumerate()) and sorts by it, so the order does not rest on how rayon collects; in_completion_order has each scoped thread push its index into a shared Mutex<Vec> when done (the push order is the finishing order).
use rayon::prelude::*;
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

/// `f` applied to every item in parallel, results in the order of `items`.
pub fn map_in_order<T, U, F>(items: &[T], f: F) -> Vec<U>
where
    T: Sync,
    U: Send,
    F: Fn(&T) -> U + Sync + Send,
{
    let mut tagged: Vec<(usize, U)> = items
        .par_iter()
        .enumerate()
        .map(|(index, item)| (index, f(item)))
        .collect();
    tagged.sort_by_key(|(index, _)| *index);
    tagged.into_iter().map(|(_, result)| result).collect()
}

/// The indexes of the jobs in the order they finished.
pub fn in_completion_order(delays: &[Duration]) -> Vec<usize> {
    let finished = Mutex::new(Vec::with_capacity(delays.len()));
    thread::scope(|scope| {
        for (index, &delay) in delays.iter().enumerate() {
            let finished = &finished;
            scope.spawn(move || {
                thread::sleep(delay);
                finished.lock().unwrap().push(index);
            });
        }
    });
    finished.into_inner().unwrap()
}
