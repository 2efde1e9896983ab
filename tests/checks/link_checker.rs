use super::{assert_about, paused};
use crate::ex::link_checker::{check_page, links_in};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::{Instant, sleep};

const PAGE: &str = r#"<a href="/a">A</a> <a href="/b">B</a> <a href="/gone">?</a>
<a href="/a">A again</a> <a href="/c">C</a> <a href="/down">!</a> <a href="/d">D</a>"#;

#[test]
fn finds_links() {
    isolated!();
    assert_eq!(
        links_in(r#"<a href="/x">x</a><link href="style.css">"#),
        ["/x", "style.css"]
    );
}

#[test]
fn checks_each_link_once_with_a_limit() {
    isolated!();
    let (report, took, fetches, most) = paused("check_page never returned", || async {
        let (fetches, running, most) = (
            Arc::new(AtomicUsize::new(0)),
            Arc::new(AtomicUsize::new(0)),
            Arc::new(AtomicUsize::new(0)),
        );
        let fetch = {
            let (fetches, running, most) = (fetches.clone(), running.clone(), most.clone());
            move |url: String| {
                let (fetches, running, most) = (fetches.clone(), running.clone(), most.clone());
                async move {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    sleep(Duration::from_secs(1)).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                    match url.as_str() {
                        "/" => Ok((200, PAGE.to_string())),
                        "/gone" => Ok((404, String::new())),
                        "/down" => Err("connection refused".to_string()),
                        _ => Ok((200, String::new())),
                    }
                }
            }
        };
        let start = Instant::now();
        let report = check_page("/", fetch, 2).await;
        (
            report,
            start.elapsed(),
            fetches.load(Ordering::SeqCst),
            most.load(Ordering::SeqCst),
        )
    });
    let ok = |link: &str| (link.to_string(), Ok(200));
    assert_eq!(
        report.expect("the page itself loads"),
        [
            ok("/a"),
            ok("/b"),
            ok("/c"),
            ok("/d"),
            ("/down".to_string(), Err("connection refused".to_string())),
            ("/gone".to_string(), Ok(404)),
        ],
        "every distinct link with its status, sorted by link"
    );
    assert_eq!(
        fetches, 7,
        "the page and its 6 distinct links: fetch each link once"
    );
    assert_eq!(most, 2, "limit 2: exactly 2 requests in flight at most");
    assert_about(
        took,
        Duration::from_secs(4),
        "1 s for the page, then 6 links 2 at a time",
    );
}

#[test]
fn a_missing_page_is_an_error() {
    isolated!();
    let report = paused("check_page never returned", || async {
        check_page(
            "/",
            |_| async { Err::<(u16, String), _>("no route".to_string()) },
            2,
        )
        .await
    });
    assert_eq!(report, Err("no route".to_string()));
}
