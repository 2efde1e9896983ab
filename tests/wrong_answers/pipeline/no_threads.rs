//! WRONG: no threads at all: each item goes through transform and into the sink before the next is taken: the right items in order, never more than one in flight, and no stage runs beside another; the checks must see where each stage runs.
use std::sync::mpsc;
use std::thread;

/// Runs `source` through `transform` into `sink`; the number of items sunk.
pub fn pipeline<I, F, S>(source: I, bound: usize, transform: F, mut sink: S) -> usize
where
    I: IntoIterator<Item = u64>,
    I::IntoIter: Send,
    F: Fn(u64) -> u64 + Sync,
    S: FnMut(u64),
{
    let _ = bound;
    let mut sunk = 0;
    for item in source {
        sink(transform(item));
        sunk += 1;
    }
    sunk
}
