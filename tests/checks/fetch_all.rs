use super::{assert_about, paused};
use crate::ex::fetch_all::{fetch_all, fetch_all_spawned};
use std::time::Duration;
use tokio::time::{Instant, sleep};

const URLS: [&str; 10] = ["/0", "/1", "/2", "/3", "/4", "/5", "/6", "/7", "/8", "/9"];

/// A fake client: "/i" answers after 1 s, except that "/3" fails.
async fn fetch(url: String) -> Result<String, String> {
    sleep(Duration::from_secs(1)).await;
    if url == "/3" {
        Err("503".into())
    } else {
        Ok(format!("body of {url}"))
    }
}

fn expected() -> Vec<Result<String, String>> {
    URLS.iter()
        .map(|u| {
            if *u == "/3" {
                Err("503".into())
            } else {
                Ok(format!("body of {u}"))
            }
        })
        .collect()
}

#[test]
fn all_at_once_in_order() {
    isolated!();
    let (results, took) = paused("fetch_all never returned", || async {
        let start = Instant::now();
        (fetch_all(&URLS, fetch).await, start.elapsed())
    });
    assert_eq!(results, expected(), "one result per URL, in URL order");
    assert_about(
        took,
        Duration::from_secs(1),
        "ten 1 s fetches at once should take 1 s",
    );
}

#[test]
fn spawned_all_at_once_in_order() {
    isolated!();
    let (results, took, tasks) = paused("fetch_all_spawned never returned", || async {
        let tasks = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = tasks.clone();
        let start = Instant::now();
        let results = fetch_all_spawned(&URLS, move |url| {
            let seen = seen.clone();
            async move {
                // Which task polls this fetch: None outside any spawned task.
                seen.lock().unwrap().push(tokio::task::try_id());
                fetch(url).await
            }
        })
        .await;
        let tasks = tasks.lock().unwrap().clone();
        (results, start.elapsed(), tasks)
    });
    assert_eq!(results, expected(), "one result per URL, in URL order");
    assert_about(
        took,
        Duration::from_secs(1),
        "ten 1 s fetches at once should take 1 s",
    );
    let distinct: std::collections::HashSet<_> = tasks.iter().flatten().collect();
    assert!(
        tasks.iter().all(Option::is_some) && distinct.len() == URLS.len(),
        "each fetch should run in its own task: tokio::spawn one per URL"
    );
}
