//! WRONG: fetch_all_spawned unwraps each JoinHandle: a fetch that panics takes the whole call down instead of giving Err for its URL; the checks must make one fetch panic.
use std::sync::Arc;

/// Every URL's result, fetched concurrently in this task, in `urls` order.
pub async fn fetch_all<F, Fut>(urls: &[&str], fetch: F) -> Vec<Result<String, String>>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<String, String>>,
{
    futures::future::join_all(urls.iter().map(|url| fetch(url.to_string()))).await
}

/// Every URL's result, each fetched in its own tokio task, in `urls` order.
pub async fn fetch_all_spawned<F, Fut>(urls: &[&str], fetch: F) -> Vec<Result<String, String>>
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, String>> + Send + 'static,
{
    let fetch = Arc::new(fetch);
    let handles: Vec<_> = urls
        .iter()
        .map(|url| tokio::spawn(fetch(url.to_string())))
        .collect();
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(
            handle.await.unwrap(),
        );
    }
    results
}
