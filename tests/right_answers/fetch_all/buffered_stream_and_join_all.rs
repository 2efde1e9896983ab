//! RIGHT: fetch_all runs a stream of the fetches with buffered(n) (n at once, results in input order); fetch_all_spawned spawns every fetch and join_all's the JoinHandles, a failed task becoming that URL's Err.
use futures::StreamExt;
use std::sync::Arc;

/// Every URL's result, fetched concurrently in this task, in `urls` order.
pub async fn fetch_all<F, Fut>(urls: &[&str], fetch: F) -> Vec<Result<String, String>>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<String, String>>,
{
    futures::stream::iter(urls.iter().map(|url| fetch(url.to_string())))
        .buffered(urls.len().max(1))
        .collect()
        .await
}

/// Every URL's result, each fetched in its own tokio task, in `urls` order.
pub async fn fetch_all_spawned<F, Fut>(urls: &[&str], fetch: F) -> Vec<Result<String, String>>
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, String>> + Send + 'static,
{
    let fetch = Arc::new(fetch);
    let handles = urls.iter().map(|url| tokio::spawn(fetch(url.to_string())));
    futures::future::join_all(handles)
        .await
        .into_iter()
        .map(|joined| joined.unwrap_or_else(|e| Err(format!("the task failed: {e}"))))
        .collect()
}
