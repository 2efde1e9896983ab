//! # bounded_pool · lesson 01 · stretch: a pool of N threads, built by hand (T4, T10)
//!
//! A thread per item is fine for ten items, not for ten thousand. Write
//! [`map_bounded`]: apply `work` to every item using at most `threads`
//! threads, and return the results in item order. Use std only (no rayon):
//! the point is to see how a pool works inside.
//!
//! - At most `threads` threads (0 counts as 1), never more than there are
//!   items, and never more than `threads` items in progress at once.
//! - Keep every thread busy: a thread that finishes an item takes the next
//!   item that nobody has started. Splitting the items into fixed chunks up
//!   front, or starting `threads` items and waiting for all of them before
//!   the next batch, leaves threads idle when items take different times.
//! - Results in item order, whatever order the items finish in.
//!
//! The checks measure how many items run at once, on how many threads, and
//! how long a mix of long and short items takes.
//!
//! Check it: `cargo run -- check bounded_pool`

/// `work` applied to every item on at most `threads` threads; results in
/// item order.
pub fn map_bounded<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    // TODO: start the threads; each takes the next unstarted item until
    // none is left; put the results in item order.
    todo!("a bounded pool")
}
