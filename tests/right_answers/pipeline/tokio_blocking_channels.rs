//! RIGHT: tokio's bounded mpsc channels used from plain threads with blocking_send / blocking_recv; the sink counts with an iterator over the last receiver.
//! # pipeline · lesson 05 · a bounded pipeline without sentinels (V1, V7)
use std::thread;
use tokio::sync::mpsc;

/// Runs `source` through `transform` into `sink`; the number of items sunk.
pub fn pipeline<I, F, S>(source: I, bound: usize, transform: F, mut sink: S) -> usize
where
    I: IntoIterator<Item = u64>,
    I::IntoIter: Send,
    F: Fn(u64) -> u64 + Sync,
    S: FnMut(u64),
{
    let items = source.into_iter();
    // tokio's channel needs room for at least one item.
    let (raw_tx, mut raw_rx) = mpsc::channel::<u64>(bound.max(1));
    let (done_tx, mut done_rx) = mpsc::channel::<u64>(bound.max(1));
    let transform = &transform;
    thread::scope(|scope| {
        scope.spawn(move || {
            for item in items {
                // blocking_send waits while the channel is full: backpressure.
                if raw_tx.blocking_send(item).is_err() {
                    break;
                }
            }
        });
        scope.spawn(move || {
            // None once the source thread has ended and dropped raw_tx.
            while let Some(item) = raw_rx.blocking_recv() {
                if done_tx.blocking_send(transform(item)).is_err() {
                    break;
                }
            }
        });
        std::iter::from_fn(|| done_rx.blocking_recv())
            .inspect(|&result| sink(result))
            .count()
    })
}
