//! WRONG: fetch_all_spawned awaits the fetches together with join_all inside the calling task instead of spawning tasks: the right results at the right time, but no task per URL; the checks must see which task polls each fetch.
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
    futures::future::join_all(urls.iter().map(|url| fetch(url.to_string()))).await
}
