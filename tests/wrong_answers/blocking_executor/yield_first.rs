//! WRONG: yields to the executor once (tokio::task::yield_now) and then calls render on the worker thread: the yield lets others run before, not during, render; the checks must see other tasks stall.
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
                tokio::task::yield_now().await;
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
