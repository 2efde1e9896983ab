//! # blocking_executor · lesson 03 · fix a task that blocks the executor (A4, A7)
//!
//! [`handle_all`] handles each request in its own tokio task. Making a
//! response calls `render`: slow, synchronous, CPU-heavy code.
//!
//! The symptom: while requests are being rendered, the rest of the program
//! freezes. Timers fire late, other tasks do not run, and on a
//! single-threaded runtime nothing else happens at all until `render`
//! returns. Why does one task calling `render` stop the *other* tasks? (When
//! does a tokio worker thread switch from one task to another?)
//!
//! Fix it so that `render` no longer holds up the executor. The responses
//! must still come back in request order.
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
                // TODO: this runs slow, synchronous code on the executor's thread.
                render(request)
            })
        })
        .collect();
    let mut responses = Vec::with_capacity(tasks.len());
    for task in tasks {
        responses.push(task.await.expect("a request task panicked"));
    }
    responses
}
