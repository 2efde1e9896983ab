//! WRONG: wraps render in tokio::task::block_in_place: fine on a multi-threaded runtime, a panic on the single-threaded one, where the other tasks still cannot run; the checks must use a current-thread runtime.
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
                tokio::task::block_in_place(|| render(request))
            })
        })
        .collect();
    let mut responses = Vec::with_capacity(tasks.len());
    for task in tasks {
        responses.push(task.await.expect("a request task panicked"));
    }
    responses
}
