//! RIGHT: the renders go to rayon's thread pool (`rayon::spawn`), each sending (index, response) back on a tokio unbounded channel that the async side awaits; no tokio blocking pool and no thread per request, and the executor's thread only ever waits on `recv().await`.
use std::sync::Arc;
use tokio::sync::mpsc;

pub type Render = Arc<dyn Fn(u64) -> u64 + Send + Sync>;

pub async fn handle_all(requests: Vec<u64>, render: Render) -> Vec<u64> {
    let count = requests.len();
    let (done_tx, mut done) = mpsc::unbounded_channel();
    for (index, request) in requests.into_iter().enumerate() {
        let render = Arc::clone(&render);
        let done_tx = done_tx.clone();
        rayon::spawn(move || {
            // The receiver outlives every send: handle_all waits for all.
            let _ = done_tx.send((index, render(request)));
        });
    }
    // Only the renders hold senders now: recv ends once each has sent.
    // (A panic inside rayon::spawn aborts the process: rayon's default.)
    drop(done_tx);
    let mut responses = vec![None; count];
    while let Some((index, response)) = done.recv().await {
        responses[index] = Some(response);
    }
    responses
        .into_iter()
        .map(|response| response.expect("render panicked"))
        .collect()
}
