//! RIGHT: a rayon ThreadPool of `threads` threads running `par_iter().map(..).collect()`: rayon's work stealing keeps both threads busy and keeps item order.
use rayon::prelude::*;

pub fn map_bounded<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1).min(items.len().max(1)))
        .build()
        .expect("cannot build a thread pool");
    pool.install(|| items.par_iter().map(&work).collect())
}
