//! Lesson 06: practical examples.
//!
//! The earlier lessons, put to work on jobs that look like real ones: a web
//! scraper (with threads, then with async, compared), image filters over a
//! batch of pictures with rayon, an API client that respects a rate limit,
//! and number crunching over large data.
//!
//! Nothing here needs the internet: the lesson starts its own web server on
//! 127.0.0.1 (see `06_practical_examples/site.rs`) with pages that are
//! slow, broken or fine, and a JSON API that refuses clients who go too fast.
//!
//! Every figure printed is measured on this machine, now.
#[path = "06_practical_examples/api.rs"]
mod api;
#[path = "06_practical_examples/crunch.rs"]
mod crunch;
#[path = "06_practical_examples/http.rs"]
mod http;
#[path = "06_practical_examples/image.rs"]
mod image;
#[path = "06_practical_examples/scrape.rs"]
mod scrape;
#[path = "06_practical_examples/site.rs"]
mod site;

use scrape::{PageReport, runtime, scrape_with_tasks, scrape_with_threads, wait_for};
use site::Site;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use workbook_trace::lesson::Demo;

fn main() -> std::process::ExitCode {
    let _recording = workbook_trace::record::init();
    // Name rayon's threads, so the timeline can tell them apart.
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("rayon-{i}"))
        .build_global()
        .expect("the global pool is built once, here");
    workbook_trace::lesson::run_demos(
        "06_practical_examples",
        &[
            Demo {
                name: "scraper",
                covers: "P1, T4",
                run: scraper,
            },
            Demo {
                name: "threads_vs_async",
                covers: "P4, P1, C2",
                run: threads_vs_async,
            },
            Demo {
                name: "image_filters",
                covers: "P2, T6",
                run: image_filters,
            },
            Demo {
                name: "rate_limited_client",
                covers: "P3, A8",
                run: rate_limited_client,
            },
            Demo {
                name: "data_processing",
                covers: "P5, T6",
                run: data_processing,
            },
        ],
    )
}

// ── scraper ──
// A pool of threads fetching pages from our local site: each thread takes
// the next page number from a shared counter, fetches it (the thread blocks
// in the kernel while the server takes its time), and extracts the title and
// the number of links. A broken page is a result, not a crash.
// Timeline: six `scraper` lanes, mostly waiting (on `GET /page/N`); the
// `server` lane handles every request on one thread.
fn scraper() {
    let site = Site::start();
    println!("site serving on http://{}", site.addr());
    let pages: Vec<usize> = (0..18).collect();
    let started = Instant::now();
    let reports = scrape_with_threads(site.addr(), &pages, 6);
    let elapsed = started.elapsed();
    for report in &reports {
        match &report.outcome {
            Ok((title, links)) => println!("  {:<10} {links:>2} links  {title}", report.path),
            Err(error) => println!("  {:<10} error: {error}", report.path),
        }
    }
    let failed = reports.iter().filter(|r| r.outcome.is_err()).count();
    println!(
        "{} pages on 6 threads in {} ms ({failed} failed); the server answered {} requests",
        reports.len(),
        elapsed.as_millis(),
        site.stats.requests.load(Ordering::Relaxed)
    );
}

// ── threads_vs_async ──
// The same scraper with tokio tasks: `fetch_page_async` is `fetch_page` with
// `.await` where the thread used to block. Then both versions fetch 60 pages
// four ways: a pool of 8 threads, a thread per page, 8 tasks in flight (a
// semaphore), a task per page. Measured, not claimed.
// Timeline: with threads, eight `scraper` lanes for the pool, then one lane
// per page, waiting on `GET /page/N`; with tasks, a lane per task waiting on
// `a permit` and on the same `GET /page/N`, but only two tokio worker
// threads doing all the polling.
fn threads_vs_async() {
    let site = Site::start();
    let (addr, pages): (_, Vec<usize>) = (site.addr(), (0..60).collect());
    let rt = runtime(2);
    println!("{} pages, each 30-250 ms away:", pages.len());
    let mut first: Option<Vec<PageReport>> = None;
    let mut timed = |label: &str, units: &str, run: &dyn Fn() -> Vec<PageReport>| {
        let started = Instant::now();
        let reports = run();
        let ms = started.elapsed().as_millis();
        let same = match &first {
            None => "(the reference)",
            Some(first) if *first == reports => "same results",
            Some(_) => "DIFFERENT results",
        };
        println!("  {label:<24} {ms:>5} ms  {units:<22} {same}");
        first.get_or_insert(reports);
    };
    timed("threads, pool of 8", "8 OS threads", &|| {
        scrape_with_threads(addr, &pages, 8)
    });
    timed("threads, one per page", "60 OS threads", &|| {
        scrape_with_threads(addr, &pages, 60)
    });
    timed("tasks, 8 in flight", "60 tasks, 2 threads", &|| {
        wait_for(&rt, "scraper tasks", scrape_with_tasks(addr, &pages, 8))
    });
    timed("tasks, all at once", "60 tasks, 2 threads", &|| {
        wait_for(&rt, "scraper tasks", scrape_with_tasks(addr, &pages, 60))
    });
    println!("Same limit, same time: the wait is the server's. Async wins on cost per");
    println!("connection (see `workbook bench`), threads on simplicity; both are fine here.");
}

// ── image_filters ──
// Four 3×3 kernels (blur, sharpen, contour, emboss) over a batch of
// generated pictures: first on one thread, then with rayon splitting the
// work (each image×filter job, and the rows within it). Same integers, same
// order within a pixel: the outputs must be identical, and are checked.
// Timeline: the `rayon` lanes each run `filter` spans, all busy at once.
fn image_filters() {
    use rayon::prelude::*;
    let images: Vec<image::Image> = (0..6).map(|seed| image::generate(seed, 320, 240)).collect();
    let jobs: Vec<(usize, &image::Kernel)> = (0..images.len())
        .flat_map(|i| image::KERNELS.iter().map(move |k| (i, k)))
        .collect();

    let started = Instant::now();
    let work = tracing::info_span!("filters", threads = 1).entered();
    let sequential: Vec<image::Image> = jobs
        .iter()
        .map(|&(i, k)| image::apply(&images[i], k))
        .collect();
    drop(work);
    let one_thread = started.elapsed();

    let started = Instant::now();
    let wait = tracing::info_span!("collect", waiting_on = "rayon pool").entered();
    let parallel: Vec<image::Image> = jobs
        .par_iter()
        .map(|&(i, k)| {
            let _s = tracing::info_span!("filter", image = i, kernel = k.name).entered();
            image::apply_parallel(&images[i], k)
        })
        .collect();
    let threads = started.elapsed();
    drop(wait);

    println!(
        "{} images × {} kernels = {} filtered images",
        images.len(),
        image::KERNELS.len(),
        jobs.len()
    );
    println!(
        "  one thread:         {:>6.1} ms",
        one_thread.as_secs_f64() * 1e3
    );
    println!(
        "  rayon, {} threads:   {:>6.1} ms",
        rayon::current_num_threads(),
        threads.as_secs_f64() * 1e3
    );
    let n = rayon::current_num_threads();
    let speedup = one_thread.as_secs_f64() / threads.as_secs_f64();
    println!("  speedup: {speedup:.2}× on {n} threads, one per core");
    if speedup < 0.7 * n as f64 {
        println!("  (well below {n}×: other programs were using the cores during this run)");
    }
    let identical = sequential == parallel;
    println!(
        "  outputs identical to the sequential ones: {} (checksum {:016x})",
        if identical { "yes" } else { "NO" },
        image::checksum(&parallel)
    );
    assert!(identical, "the parallel filters must not change a pixel");
}

// ── rate_limited_client ──
// An async client for the site's JSON API, which allows 20 requests a second
// (a token bucket; more gets `429 Too Many Requests`). First a naive burst,
// to see the server push back. Then a polite client: a semaphore keeps at
// most 4 requests in flight, a pacer spaces them at 15 a second, a failed
// request is retried with exponential backoff, and each item ends as its own
// result: one error never sinks the batch.
// Timeline: `item N` task lanes waiting on `a permit`, `the pacer's next
// tick` and `GET /api/items/N` in turn; a `retrying` mark, then a wait on
// `the backoff`; at most 4 requests being handled by the `server` at once.
fn rate_limited_client() {
    let site = Site::start();
    let rt = runtime(2);
    wait_for(&rt, "burst", api::naive_burst(site.addr(), 30));
    let rejected_before = site.stats.rejected.load(Ordering::Relaxed);
    println!("naive burst of 30 requests: the server refused {rejected_before} with 429");
    // Let the server's bucket fill up again before the polite client starts.
    let pause =
        tracing::info_span!("pause", waiting_on = "the server's bucket to refill").entered();
    std::thread::sleep(Duration::from_millis(300));
    drop(pause);
    site.stats.api_max_in_flight.store(0, Ordering::SeqCst);

    let started = Instant::now();
    let results = wait_for(
        &rt,
        "client tasks",
        api::fetch_items(site.addr(), (1..=24).collect()),
    );
    let elapsed = started.elapsed().as_secs_f64();
    let mut retried = 0;
    for (id, result) in &results {
        match result {
            Ok(item) if item.attempts > 1 => {
                retried += 1;
                println!("  item {id:>2}: ok after {} attempts", item.attempts);
            }
            Ok(_) => {}
            Err(error) => println!("  item {id:>2}: failed: {error}"),
        }
    }
    let ok = results.iter().filter(|(_, r)| r.is_ok()).count();
    if let Some((_, Ok(item))) = results.first() {
        let price = item.price_cents as f64 / 100.0;
        println!("  item {} is {:?}, {price:.2} €", item.id, item.name);
    }
    println!(
        "polite client: {ok}/{} items in {elapsed:.2} s ({retried} needed a retry)",
        results.len()
    );
    println!(
        "  server saw at most {} requests in flight (limit {}), refused {} with 429",
        site.stats.api_max_in_flight.load(Ordering::SeqCst),
        api::IN_FLIGHT,
        site.stats.rejected.load(Ordering::Relaxed) - rejected_before
    );
}

// ── data_processing ──
// CPU-bound work over big data, three ways: one thread, one scoped thread
// per core, and rayon. In Python this is where you reach for processes,
// because the GIL lets only one thread run Python at a time; Rust has no
// GIL, so plain threads share the data and use every core.
// Timeline: `squares` threads side by side, all running, then rayon lanes
// merging per-station summaries.
fn data_processing() {
    use rayon::prelude::*;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = 2_000_000;
    let ranges: Vec<std::ops::Range<u64>> = (0..8).map(|k| k * chunk..(k + 1) * chunk).collect();

    let started = Instant::now();
    let work = tracing::info_span!("squares", threads = 1).entered();
    let one = ranges
        .iter()
        .cloned()
        .map(crunch::sum_of_squares)
        .fold(0, u64::wrapping_add);
    drop(work);
    let t_one = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let threads = std::thread::scope(|s| {
        let handles: Vec<_> = (0..cores)
            .map(|t| {
                let mine = ranges.iter().skip(t).step_by(cores).cloned();
                std::thread::Builder::new()
                    .name(format!("squares-{t}"))
                    .spawn_scoped(s, move || {
                        let _s = tracing::info_span!("squares", thread = t).entered();
                        mine.map(crunch::sum_of_squares).fold(0, u64::wrapping_add)
                    })
                    .expect("spawn")
            })
            .collect();
        let _wait = tracing::info_span!("join", waiting_on = "squares threads").entered();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .fold(0, u64::wrapping_add)
    });
    let t_threads = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let wait = tracing::info_span!("reduce", waiting_on = "rayon pool").entered();
    let rayon = ranges
        .par_iter()
        .cloned()
        .map(|range| {
            let _s = tracing::info_span!("squares", start = range.start).entered();
            crunch::sum_of_squares(range)
        })
        .reduce(|| 0, u64::wrapping_add);
    let t_rayon = started.elapsed().as_secs_f64();
    drop(wait);

    println!(
        "sum of squares of 0..{} ({} ranges), {cores} cores:",
        8 * chunk,
        ranges.len()
    );
    println!("  one thread      {:>7.1} ms", t_one * 1e3);
    println!(
        "  {cores} threads       {:>7.1} ms  speedup {:.2}×",
        t_threads * 1e3,
        t_one / t_threads
    );
    println!(
        "  rayon           {:>7.1} ms  speedup {:.2}×",
        t_rayon * 1e3,
        t_one / t_rayon
    );
    println!("  same total every way: {}", one == threads && one == rayon);
    if t_one / t_threads.min(t_rayon) < 0.7 * cores as f64 {
        println!("  (well below {cores}×: other programs were using the cores during this run)");
    }

    // A pass takes only tens of milliseconds, so one unlucky pause would
    // swing the ratio: each way is timed three times and the best is kept.
    let readings =
        tracing::info_span!("generate readings").in_scope(|| crunch::readings(3_000_000));
    let (sequential, t_one) = crunch::best_of(3, || {
        let _work = tracing::info_span!("summarize", threads = 1).entered();
        crunch::summarize(&readings)
    });
    let (parallel, t_par) = crunch::best_of(3, || {
        let _wait = tracing::info_span!("reduce", waiting_on = "rayon pool").entered();
        let summarize = |chunk: &[crunch::Reading]| {
            let _s = tracing::info_span!("summarize chunk", len = chunk.len()).entered();
            crunch::summarize(chunk)
        };
        readings.par_chunks(1 << 16).map(summarize).reduce(
            || vec![crunch::Summary::default(); crunch::STATIONS],
            crunch::merge,
        )
    });
    let hottest = (0..crunch::STATIONS)
        .max_by_key(|&s| parallel[s].max)
        .unwrap_or(0);
    println!(
        "{} readings from {} stations, min/mean/max per station:",
        readings.len(),
        crunch::STATIONS
    );
    println!(
        "  best of 3: one thread {:>5.1} ms, rayon split-and-merge {:>5.1} ms: speedup {:.2}×, same: {}",
        t_one * 1e3,
        t_par * 1e3,
        t_one / t_par,
        sequential == parallel
    );
    let s = parallel[hottest];
    println!(
        "  hottest station {hottest}: max {:.1}°, mean {:.1}° over {} readings",
        f64::from(s.max) / 10.0,
        s.sum as f64 / s.count as f64 / 10.0,
        s.count
    );
}
