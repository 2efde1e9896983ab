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
    // TODO: two `sync_channel(bound)`s, a source thread and a transform
    // thread in a `thread::scope`, and the sink loop on this thread.
    todo!("connect the stages with bounded channels")
}
