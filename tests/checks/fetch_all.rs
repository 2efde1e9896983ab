use super::{assert_about, paused};
use crate::ex::fetch_all::{fetch_all, fetch_all_spawned};
use std::time::Duration;
use tokio::time::{Instant, sleep};

const URLS: [&str; 10] = ["/0", "/1", "/2", "/3", "/4", "/5", "/6", "/7", "/8", "/9"];

/// How long each URL takes, shuffled, so the fetches finish out of URL
/// order: 900 ms at once, 4,050 ms one after another.
const MILLIS: [u64; 10] = [300, 100, 400, 150, 500, 900, 200, 600, 550, 350];

/// A fake client: "/i" answers after `MILLIS[i]`, except that "/3" fails.
async fn fetch(url: String) -> Result<String, String> {
    let index: usize = url[1..].parse().unwrap();
    sleep(Duration::from_millis(MILLIS[index])).await;
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

const AT_ONCE: &str = "ten fetches of 100 to 900 ms, all at once, take 900 ms";

#[test]
fn all_at_once_in_order() {
    isolated!();
    let (results, took) = paused("fetch_all never returned", || async {
        let start = Instant::now();
        (fetch_all(&URLS, fetch).await, start.elapsed())
    });
    assert_eq!(
        results,
        expected(),
        "one result per URL, in URL order (the fetches finish in another order)"
    );
    assert_about(took, Duration::from_millis(900), AT_ONCE);
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
    assert_eq!(
        results,
        expected(),
        "one result per URL, in URL order (the fetches finish in another order)"
    );
    assert_about(took, Duration::from_millis(900), AT_ONCE);
    let distinct: std::collections::HashSet<_> = tasks.iter().flatten().collect();
    assert!(
        tasks.iter().all(Option::is_some) && distinct.len() == URLS.len(),
        "the 10 fetches were polled by {} distinct spawned tasks{}",
        distinct.len(),
        if tasks.iter().any(Option::is_none) {
            " (some outside any spawned task)"
        } else {
            ""
        }
    );
}

#[test]
fn spawned_a_panicking_fetch_is_an_error() {
    isolated!();
    let results = paused("fetch_all_spawned never returned", || async {
        fetch_all_spawned(&URLS, |url: String| async move {
            if url == "/7" {
                panic!("the client broke on /7");
            }
            fetch(url).await
        })
        .await
    });
    assert_eq!(results.len(), URLS.len(), "one result per URL");
    assert!(
        results[7].is_err(),
        "the fetch of /7 panicked, yet its result is {:?}",
        results[7]
    );
    let mut others = expected();
    others[7] = results[7].clone();
    assert_eq!(
        results, others,
        "the other URLs' results, in URL order, beside the panicked one"
    );
}
