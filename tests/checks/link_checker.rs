use super::paused;
use crate::ex::link_checker::{check_page, links_in};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
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

/// How long each URL takes to answer, in ms: the links take different
/// times, so a slot that frees while another link is still running shows.
fn millis(url: &str) -> u64 {
    match url {
        "/b" => 3000,
        "/d" | "/down" => 2000,
        _ => 1000,
    }
}

#[test]
fn checks_each_link_once_with_a_limit() {
    isolated!();
    let (report, fetches, events) = paused("check_page never returned", || async {
        let start = Instant::now();
        let fetches = Arc::new(AtomicUsize::new(0));
        // (when, +1 for a link fetch starting or -1 for one ending)
        let events = Arc::new(Mutex::new(Vec::new()));
        let fetch = {
            let (fetches, events) = (fetches.clone(), events.clone());
            move |url: String| {
                let (fetches, events) = (fetches.clone(), events.clone());
                async move {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    let link = url != "/";
                    if link {
                        events.lock().unwrap().push((start.elapsed(), 1));
                    }
                    sleep(Duration::from_millis(millis(&url))).await;
                    if link {
                        events.lock().unwrap().push((start.elapsed(), -1));
                    }
                    match url.as_str() {
                        "/" => Ok((200, PAGE.to_string())),
                        "/gone" => Ok((404, String::new())),
                        "/down" => Err("connection refused".to_string()),
                        _ => Ok((200, String::new())),
                    }
                }
            }
        };
        let report = check_page("/", fetch, 2).await;
        let events = events.lock().unwrap().clone();
        (report, fetches.load(Ordering::SeqCst), events)
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
        "{fetches} fetches for the page and its 6 distinct links (/a is on the page twice)"
    );
    in_flight_is_always_the_limit(&events, 6, 2);
}

/// From the moment the page is in until the last link is done, `limit`
/// links are in flight, or every link not yet done when fewer are left: a
/// slot that frees is filled at once (virtual time does not move meanwhile).
fn in_flight_is_always_the_limit(events: &[(Duration, i32)], links: usize, limit: usize) {
    let mut events = events.to_vec();
    events.sort_by_key(|&(at, change)| (at, change));
    let (mut running, mut done, mut most) = (0i32, 0usize, 0i32);
    let mut at = 0;
    while at < events.len() {
        let now = events[at].0;
        while at < events.len() && events[at].0 == now {
            running += events[at].1;
            done += usize::from(events[at].1 < 0);
            at += 1;
        }
        most = most.max(running);
        let expected = limit.min(links - done) as i32;
        assert!(
            running <= limit as i32,
            "{running} links were in flight at once {now:?} after the start, with limit {limit}"
        );
        assert!(
            running == expected,
            "{now:?} after the start, {running} link(s) in flight while {} were still waiting \
             or running, with limit {limit}: a free slot stayed empty",
            links - done
        );
    }
    assert!(most > 0, "no link was fetched");
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
