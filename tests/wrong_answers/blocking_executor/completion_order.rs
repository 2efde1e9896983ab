//! WRONG: spawn_blocking for render, but the responses are gathered from a JoinSet as they finish: request order is lost when renders take different times; the checks must give them different lengths.
use std::sync::Arc;

/// A slow, synchronous function that makes a response.
pub type Render = Arc<dyn Fn(u64) -> u64 + Send + Sync>;

/// Handles every request in its own task; the responses in request order.
pub async fn handle_all(requests: Vec<u64>, render: Render) -> Vec<u64> {
    let mut tasks = tokio::task::JoinSet::new();
    for request in requests {
        let render = Arc::clone(&render);
        tasks.spawn_blocking(move || render(request));
    }
    let mut responses = Vec::new();
    while let Some(response) = tasks.join_next().await {
        responses.push(response.expect("render panicked"));
    }
    responses
}
