//! RIGHT: spawns the mirrors into a JoinSet (dropping it aborts every task still running) and bounds the wait with tokio::time::timeout.
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use std::pin::Pin;
use std::time::Duration;

/// One mirror's answer to the question, or why it failed.
pub type Mirror = Pin<Box<dyn Future<Output = Result<String, String>> + Send>>;

/// The first successful answer and its mirror's index, or `None`.
pub async fn first_answer(mirrors: Vec<Mirror>, deadline: Duration) -> Option<(usize, String)> {
    let mut set = tokio::task::JoinSet::new();
    for (index, mirror) in mirrors.into_iter().enumerate() {
        set.spawn(async move { (index, mirror.await) });
    }
    let first_ok = async {
        while let Some(done) = set.join_next().await {
            if let Ok((index, Ok(answer))) = done {
                return Some((index, answer));
            }
        }
        None
    };
    tokio::time::timeout(deadline, first_ok).await.ok().flatten()
    // `set` is dropped on return: every mirror still running is aborted.
}
