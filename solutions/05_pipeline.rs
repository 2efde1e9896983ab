//! # pipeline · lesson 05 · a bounded pipeline without sentinels (V1, V7)
//!
//! Connect three stages with channels:
//!
//! ```text
//! source thread ──sync_channel(bound)──▶ transform thread ──sync_channel(bound)──▶ sink (this thread)
//! ```
//!
//! - The source thread sends every item of `source`.
//! - The transform thread receives items, applies `transform`, sends them on.
//! - The calling thread receives the results in order and gives each to
//!   `sink`. Return how many items reached the sink.
//!
//! Two things to get right:
//!
//! - **Backpressure.** Use `std::sync::mpsc::sync_channel(bound)`: a sender
//!   blocks while its channel is full, so a fast source cannot run ahead of a
//!   slow sink and fill memory. (`channel()` has no bound.)
//! - **Ending without sentinels.** Python pipelines send a special "stop"
//!   value. In Rust, a receiver's loop ends when every sender is dropped: when
//!   the source runs out, its thread ends and drops its sender, the transform
//!   loop ends and drops its sender, and the sink loop ends. A stage keeping
//!   a sender alive by mistake keeps the next one waiting forever.
//!
//! Use `std::thread::scope` so the threads may borrow `transform`.
//!
//! Check it: `cargo run -- check pipeline`
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
    let items = source.into_iter();
    let (raw_tx, raw_rx) = mpsc::sync_channel(bound);
    let (done_tx, done_rx) = mpsc::sync_channel(bound);
    let transform = &transform;
    thread::scope(|scope| {
        scope.spawn(move || {
            for item in items {
                if raw_tx.send(item).is_err() {
                    break;
                }
            }
        });
        scope.spawn(move || {
            for item in raw_rx {
                if done_tx.send(transform(item)).is_err() {
                    break;
                }
            }
        });
        let mut sunk = 0;
        for result in done_rx {
            sink(result);
            sunk += 1;
        }
        sunk
    })
}
