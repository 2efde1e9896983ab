//! Lesson 06 run as a binary: every demo ends by itself with code 0 (talking
//! only to its own server on 127.0.0.1), the demos match the notes, and each
//! prints the measured facts it is there to show.
mod support;

use std::time::Duration;

fn run_demo(name: &str) -> String {
    support::run_demo(lesson(), name, LIMIT)
}

fn listed_demos() -> Vec<String> {
    support::listed_demos(lesson())
}

fn lesson() -> &'static str {
    support::lesson("06_practical_examples")
}
/// Generous: the machine running the tests may be busy compiling.
const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn every_demo_exits_zero_on_its_own() {
    let demos = listed_demos();
    assert_eq!(demos.len(), 5);
    for name in demos {
        run_demo(&name);
    }
}

#[test]
fn the_scraper_reports_titles_links_and_broken_pages() {
    let out = run_demo("scraper");
    assert!(out.contains("site serving on http://127.0.0.1:"), "{out}");
    assert!(out.contains("Page 0: threads"), "{out}");
    assert!(out.contains("/page/13   error: HTTP 404"), "{out}");
    assert!(out.contains("/page/16   error: HTTP 500"), "{out}");
    assert!(out.contains("18 pages on 6 threads"), "{out}");
}

#[test]
fn threads_and_async_find_the_same_pages() {
    let out = run_demo("threads_vs_async");
    assert_eq!(out.matches("same results").count(), 3, "{out}");
    assert!(!out.contains("DIFFERENT"), "{out}");
}

#[test]
fn parallel_filters_match_the_sequential_ones() {
    let out = run_demo("image_filters");
    assert!(
        out.contains("outputs identical to the sequential ones: yes"),
        "{out}"
    );
    assert!(out.contains("speedup:"), "{out}");
}

#[test]
fn the_polite_client_is_never_refused() {
    let out = run_demo("rate_limited_client");
    let most: u32 = out
        .split("server saw at most ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no in-flight count in:\n{out}"));
    assert!(
        (1..=4).contains(&most),
        "the client allows 4 in flight:\n{out}"
    );
    assert!(out.contains("refused 0 with 429"), "{out}");
    assert!(
        out.contains("item  7: failed: HTTP 404 (not retried)"),
        "{out}"
    );
    assert!(out.contains("22/24 items"), "{out}");
}

#[test]
fn crunching_gives_the_same_answer_every_way() {
    let out = run_demo("data_processing");
    assert!(out.contains("same total every way: true"), "{out}");
    assert!(out.contains("same: true"), "{out}");
}
