//! WRONG: fetch_all runs the fetches at once in a FuturesUnordered and collects what it yields: all at once, but in the order the fetches finish; the checks must give the fetches different lengths.
use std::sync::Arc;

/// Every URL's result, fetched concurrently in this task, in `urls` order.
pub async fn fetch_all<F, Fut>(urls: &[&str], fetch: F) -> Vec<Result<String, String>>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<String, String>>,
{
    use futures::StreamExt;
    urls.iter()
        .map(|url| fetch(url.to_string()))
        .collect::<futures::stream::FuturesUnordered<_>>()
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
