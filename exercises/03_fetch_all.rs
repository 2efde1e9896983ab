//! # fetch_all · lesson 03 · many requests at once (A2, A3)
//!
//! `fetch` stands for an HTTP client: it takes a URL and, some time later,
//! gives a body or an error. Fetch every URL at once, not one after another,
//! and return the results in the order of `urls` (like `asyncio.gather`).
//!
//! 1. [`fetch_all`]: build one future per URL and await them together with
//!    `futures::future::join_all`. All of them run inside the calling task.
//! 2. [`fetch_all_spawned`]: the same with one tokio task per URL
//!    (`tokio::spawn`, like `asyncio.create_task`), then await each
//!    `JoinHandle` in order. Spawned tasks must be `Send + 'static`, which
//!    is why this version needs the stricter bounds. A fetch that panics
//!    ends its task, not yours: its URL gets an `Err`, the others their
//!    results.
//!
//! Ten URLs that take up to one second each should take one second in all.
//!
//! Check it: `cargo run -- check fetch_all`
use std::sync::Arc;

/// Every URL's result, fetched concurrently in this task, in `urls` order.
pub async fn fetch_all<F, Fut>(urls: &[&str], fetch: F) -> Vec<Result<String, String>>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<String, String>>,
{
    // TODO: one future per URL, awaited together with `join_all`.
    todo!("fetch every URL at once")
}

/// Every URL's result, each fetched in its own tokio task, in `urls` order.
pub async fn fetch_all_spawned<F, Fut>(urls: &[&str], fetch: F) -> Vec<Result<String, String>>
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, String>> + Send + 'static,
{
    // TODO: `tokio::spawn` one task per URL (share `fetch` with an `Arc`),
    // then await the `JoinHandle`s in order.
    todo!("fetch every URL in its own task")
}
