//! Lesson 06 run as a binary: every demo ends by itself with code 0 (talking
//! only to its own server on 127.0.0.1), the demos match the notes, and each
//! prints the measured facts it is there to show.
mod support;

use support::figures::{
    assert_conditions_printed, assert_ratio, assert_summarizes, figure, per_run,
};

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
    // One run: printed with what it shows and how busy the machine was.
    assert!(
        out.contains("(mostly waiting for the server; one run, load average"),
        "{out}"
    );
    assert_conditions_printed(&out);
}

#[test]
fn threads_and_async_find_the_same_pages() {
    let out = run_demo("threads_vs_async");
    assert_eq!(out.matches("same results").count(), 3, "{out}");
    assert!(!out.contains("DIFFERENT"), "{out}");
    // Each round prints the four ways' ms in order; each way's line is
    // their median and spread (all printed to 1 ms).
    let rounds: Vec<Vec<f64>> = out
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("round "))
        .map(|l| {
            let times = l.split_once("(ms): ").expect("round times").1;
            times.split(", ").map(|t| t.parse().expect("ms")).collect()
        })
        .collect();
    assert!(rounds.len() >= 3, "{out}");
    for (way, label) in [
        "threads, pool of 8",
        "threads, one per page",
        "tasks, 8 in flight",
        "tasks, all at once",
    ]
    .iter()
    .enumerate()
    {
        let values: Vec<f64> = rounds.iter().map(|r| r[way]).collect();
        assert_summarizes(figure(&out, label), &values, 0.51, &out);
    }
    assert_conditions_printed(&out);
}

/// A CPU speedup on `n` threads read above `n` is not shown as extra speed.
fn above_cores_is_explained(out: &str, speedup_max: f64, n: f64) {
    if speedup_max > n {
        assert!(out.contains(support::figures::ABOVE_CORES), "{out}");
    }
}

#[test]
fn parallel_filters_match_the_sequential_ones() {
    let out = run_demo("image_filters");
    assert!(
        out.contains("outputs identical to the sequential ones: yes"),
        "{out}"
    );
    // The speedup is the median of the rounds' one-thread over rayon times.
    let one = per_run(&out, "round ", "one thread ");
    let pooled = per_run(&out, "round ", " threads ");
    let speedup = figure(&out, "one per core:");
    assert_ratio(speedup, &one, &pooled, 0.005, &out);
    let n = per_run(&out, "6 images", "rayon's ")[0];
    above_cores_is_explained(&out, speedup.max, n);
    assert_conditions_printed(&out);
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
    assert!(
        out.contains("one run, paced at 15 a second; load average"),
        "{out}"
    );
    assert_conditions_printed(&out);
}

#[test]
fn crunching_gives_the_same_answer_every_way() {
    let out = run_demo("data_processing");
    assert!(out.contains("same total every way: true"), "{out}");
    assert!(out.contains("same: true"), "{out}");
    let cores: f64 = out
        .split_once(" cores,")
        .and_then(|(head, _)| head.rsplit(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("no core count in:\n{out}"));
    // Rounds are printed to 0.01 ms, speedups to 0.01.
    let one = per_run(&out, "squares round", "one thread ");
    let threads = per_run(&out, "squares round", " threads ");
    let rayon = per_run(&out, "squares round", "rayon ");
    let by_threads = figure(&out, "threads: speedup");
    assert_ratio(by_threads, &one, &threads, 0.005, &out);
    let by_rayon = figure(&out, "rayon:     speedup");
    assert_ratio(by_rayon, &one, &rayon, 0.005, &out);
    let one = per_run(&out, "stations round", "one thread ");
    let rayon = per_run(&out, "stations round", "rayon ");
    let stations = figure(&out, "split-and-merge: speedup");
    assert_ratio(stations, &one, &rayon, 0.005, &out);
    for figure in [by_threads, by_rayon, stations] {
        above_cores_is_explained(&out, figure.max, cores);
    }
    assert_conditions_printed(&out);
}
