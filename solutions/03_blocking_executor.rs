//! # blocking_executor · lesson 03 · fix a task that blocks the executor (A4, A7)
//!
//! [`handle_all`] handles each request in its own tokio task. Making the
//! response calls `render`, which is slow, synchronous, CPU-heavy code.
//!
//! The bug: the task calls `render` directly. A tokio worker thread runs one
//! task at a time and only switches at an `.await`, so while `render` runs,
//! every other task on that thread waits: timers are late, other requests
//! stall, and on a single-threaded runtime everything stops.
//!
//! Fix it so that `render` runs on tokio's pool of blocking threads
//! (`tokio::task::spawn_blocking`), which the task awaits. The responses must
//! still come back in request order.
//!
//! Check it: `cargo run -- check blocking_executor`
use std::sync::Arc;

/// A slow, synchronous function that makes a response.
pub type Render = Arc<dyn Fn(u64) -> u64 + Send + Sync>;

/// Handles every request in its own task; the responses in request order.
pub async fn handle_all(requests: Vec<u64>, render: Render) -> Vec<u64> {
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let render = Arc::clone(&render);
            tokio::spawn(async move {
                tokio::task::spawn_blocking(move || render(request))
                    .await
                    .expect("render panicked")
            })
        })
        .collect();
    let mut responses = Vec::with_capacity(tasks.len());
    for task in tasks {
        responses.push(task.await.expect("a request task panicked"));
    }
    responses
}
