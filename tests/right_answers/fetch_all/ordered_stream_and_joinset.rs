//! RIGHT: fetch_all collects a FuturesOrdered (concurrent, yields in input order); fetch_all_spawned spawns into a JoinSet and puts each result in the slot of its URL, found by task id.
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
        .collect::<futures::stream::FuturesOrdered<_>>()
        .collect()
        .await
}

/// Every URL's result, each fetched in its own tokio task, in `urls` order.
pub async fn fetch_all_spawned<F, Fut>(urls: &[&str], fetch: F) -> Vec<Result<String, String>>
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, String>> + Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    let mut slot_of = std::collections::HashMap::new();
    for (index, url) in urls.iter().enumerate() {
        let handle = set.spawn(fetch(url.to_string()));
        slot_of.insert(handle.id(), index);
    }
    let mut results: Vec<Result<String, String>> = vec![Err("never ran".into()); urls.len()];
    while let Some(done) = set.join_next_with_id().await {
        let (id, result) = match done {
            Ok((id, result)) => (id, result),
            Err(e) => (e.id(), Err(format!("the task failed: {e}"))),
        };
        results[slot_of[&id]] = result;
    }
    results
}
