//! RIGHT: render runs on a std thread of its own that sends the response on a tokio oneshot channel, which the task awaits: the worker thread is free meanwhile.
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
                let (reply_tx, reply_rx) = tokio::sync::oneshot::channel();
                std::thread::spawn(move || {
                    let _ = reply_tx.send(render(request));
                });
                reply_rx.await.expect("render panicked")
            })
        })
        .collect();
    let mut responses = Vec::with_capacity(tasks.len());
    for task in tasks {
        responses.push(task.await.expect("a request task panicked"));
    }
    responses
}
