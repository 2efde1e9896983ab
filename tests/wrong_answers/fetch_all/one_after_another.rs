//! WRONG: fetch_all awaits each fetch before starting the next: the right results in the right order, one fetch at a time; the checks must measure the time taken.
use std::sync::Arc;

/// Every URL's result, fetched concurrently in this task, in `urls` order.
pub async fn fetch_all<F, Fut>(urls: &[&str], fetch: F) -> Vec<Result<String, String>>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<String, String>>,
{
    let mut results = Vec::new();
    for url in urls {
        results.push(fetch(url.to_string()).await);
    }
    results
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
            handle
                .await
                .unwrap_or_else(|e| Err(format!("the task failed: {e}"))),
        );
    }
    results
}
