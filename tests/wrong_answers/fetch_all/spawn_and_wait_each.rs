//! WRONG: fetch_all_spawned spawns a task per URL but awaits each right after spawning it: a task per URL, one at a time; the checks must measure the time taken.
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
    let mut results = Vec::with_capacity(urls.len());
    for url in urls {
        let result = tokio::spawn(fetch(url.to_string()))
            .await
            .unwrap_or_else(|e| Err(format!("the task failed: {e}")));
        results.push(result);
    }
    results
}
