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
    let watch = workbook_trace::measuring::Watch::start();
    let started = Instant::now();
    let reports = scrape_with_threads(site.addr(), &pages, 6);
    let elapsed = started.elapsed();
    let conditions = watch.finish();
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
    // One run: the time is the server's waits overlapped six at a time.
    println!(
        "{}",
        workbook_trace::measuring::one_run(&conditions, "mostly waiting for the server")
    );
}

// ── threads_vs_async ──
// The same scraper with tokio tasks: `fetch_page_async` is `fetch_page` with
// `.await` where the thread used to block. Then both versions fetch 30 pages
// four ways: a pool of 8 threads, a thread per page, 8 tasks in flight (a
// semaphore), a task per page. Measured, not claimed: the four ways take
// turns for three rounds, and each time printed is the median round's, with
// the spread and the machine's load.
// Timeline: with threads, eight `scraper` lanes for the pool, then one lane
// per page, waiting on `GET /page/N`; with tasks, a lane per task waiting on
// `a permit` and on the same `GET /page/N`, but only two tokio worker
// threads doing all the polling; three rounds of the four.
/// One way of scraping the pages, run once.
type Scrape<'a> = dyn Fn() -> Vec<PageReport> + 'a;

fn threads_vs_async() {
    use workbook_trace::measuring::{Summary, Watch, measured_at, timed};
    /// A round of the four ways takes about a second: three rounds.
    const ROUNDS: usize = 3;
    let site = Site::start();
    let (addr, pages): (_, Vec<usize>) = (site.addr(), (0..30).collect());
    let rt = runtime(2);
    let n = pages.len();
    let ways: [(&str, String, &Scrape); 4] = [
        ("threads, pool of 8", "8 OS threads".into(), &|| {
            scrape_with_threads(addr, &pages, 8)
        }),
        ("threads, one per page", format!("{n} OS threads"), &|| {
            scrape_with_threads(addr, &pages, n)
        }),
        (
            "tasks, 8 in flight",
            format!("{n} tasks, 2 threads"),
            &|| wait_for(&rt, "scraper tasks", scrape_with_tasks(addr, &pages, 8)),
        ),
        (
            "tasks, all at once",
            format!("{n} tasks, 2 threads"),
            &|| wait_for(&rt, "scraper tasks", scrape_with_tasks(addr, &pages, n)),
        ),
    ];
    println!("{n} pages, each 30-250 ms away, the four ways taking turns:");
    let watch = Watch::start();
    let mut reference: Option<Vec<PageReport>> = None;
    let mut same = [true; 4];
    let mut ms = [const { Vec::new() }; 4];
    for round in 1..=ROUNDS {
        let mut took = Vec::new();
        for (way, (_, _, run)) in ways.iter().enumerate() {
            let (seconds, reports) = timed(run);
            ms[way].push(seconds * 1e3);
            took.push(format!("{:.0}", seconds * 1e3));
            match &reference {
                None => reference = Some(reports),
                Some(first) => same[way] &= *first == reports,
            }
        }
        println!("  round {round} (ms): {}", took.join(", "));
    }
    let conditions = watch.finish();
    let summaries: Vec<Summary> = ms.iter().map(|m| Summary::of(m).expect("ran")).collect();
    for (way, ((label, units, _), t)) in ways.iter().zip(&summaries).enumerate() {
        let check = match way {
            0 if same[0] => "(the reference)",
            _ if same[way] => "same results",
            _ => "DIFFERENT results",
        };
        println!("  {label:<22} {}  {units:<18} {check}", t.figure(0, " ms"));
    }
    let figures: Vec<&Summary> = summaries.iter().collect();
    println!("{}", measured_at(&conditions, &figures));
    println!("Same limit, same time: the wait is the server's. Async wins on cost per");
    println!("connection (see `workbook bench`), threads on simplicity; both are fine here.");
}

// ── image_filters ──
// Four 3×3 kernels (blur, sharpen, contour, emboss) over a batch of
// generated pictures: first on one thread, then with rayon splitting the
// work (each image×filter job, and the rows within it). Same integers, same
// order within a pixel: the outputs must be identical, and are checked.
// The two ways take turns for five rounds, so a burst of other load hits
// both alike; the speedup printed is the median of the rounds' ratios, with
// their spread and the machine's load (`workbook_trace::measuring`).
// Timeline: main busy in `filters` alone, then the `rayon` lanes each
// running `filter` spans, all busy at once; five times.
fn image_filters() {
    use rayon::prelude::*;
    use workbook_trace::measuring::{RUNS, Summary, Watch, line, timed};
    // Pictures big enough that one thread takes at least ~40 ms over them
    // in any build: a release build filters six 160×120 pictures in ~3 ms,
    // too little to tell a speedup from the cost of handing work to the pool
    // (it read 0.94×). Sizes double until then.
    let (mut width, mut height) = (160, 120);
    let images: Vec<image::Image> = loop {
        let images: Vec<_> = (0..6)
            .map(|seed| image::generate(seed, width, height))
            .collect();
        let (one_pass, _) = timed(|| {
            let filtered: Vec<_> = image::KERNELS
                .iter()
                .map(|k| image::apply(&images[0], k))
                .collect();
            filtered
        });
        if one_pass * images.len() as f64 >= 0.040 || width >= 2560 {
            break images;
        }
        (width, height) = (width * 2, height * 2);
    };
    let jobs: Vec<(usize, &image::Kernel)> = (0..images.len())
        .flat_map(|i| image::KERNELS.iter().map(move |k| (i, k)))
        .collect();
    let n = rayon::current_num_threads();
    println!(
        "{} images of {width}×{height} × {} kernels = {} filtered images, one thread against rayon's {n}, taking turns:",
        images.len(),
        image::KERNELS.len(),
        jobs.len()
    );
    let watch = Watch::start();
    let (mut alone, mut pooled) = (Vec::new(), Vec::new());
    let (mut identical, mut last) = (true, Vec::new());
    for round in 1..=RUNS {
        let (one_thread, sequential) = timed(|| {
            let _work = tracing::info_span!("filters", threads = 1, round).entered();
            jobs.iter()
                .map(|&(i, k)| image::apply(&images[i], k))
                .collect::<Vec<_>>()
        });
        let (threads, parallel) = timed(|| {
            let _wait = tracing::info_span!("collect", waiting_on = "rayon pool").entered();
            jobs.par_iter()
                .map(|&(i, k)| {
                    let _s = tracing::info_span!("filter", image = i, kernel = k.name).entered();
                    image::apply_parallel(&images[i], k)
                })
                .collect::<Vec<_>>()
        });
        println!(
            "  round {round}: one thread {:>7.2} ms, rayon {n} threads {:>7.2} ms",
            one_thread * 1e3,
            threads * 1e3
        );
        identical &= sequential == parallel;
        alone.push(one_thread);
        pooled.push(threads);
        last = parallel;
    }
    let conditions = watch.finish();
    let speedup = Summary::of_ratios(&alone, &pooled).expect("the rounds ran");
    let label = format!("speedup on {n} threads, one per core:");
    println!("  {}", line(&label, &speedup, "×", &conditions));
    explain_speedup(n, &speedup, &conditions);
    println!(
        "  outputs identical to the sequential ones: {} (checksum {:016x})",
        if identical { "yes" } else { "NO" },
        image::checksum(&last)
    );
    assert!(identical, "the parallel filters must not change a pixel");
}

/// What a CPU speedup on `n` threads does not show by itself: a reading
/// above `n` is not extra speed (the measuring policy's one explanation,
/// [`workbook_trace::measuring::beyond_cores`]), and one well below `n` on a
/// quiet machine has a cause other than load. (A busy machine or a wide
/// spread already has its caution from [`workbook_trace::measuring::line`].)
/// Returns whether it printed the explanation of a reading above `n`.
fn explain_speedup(
    n: usize,
    speedup: &workbook_trace::measuring::Summary,
    conditions: &workbook_trace::measuring::Conditions,
) -> bool {
    if n < 2 {
        println!(
            "  (one thread in rayon's pool: this machine reports one core, nothing to scale onto)"
        );
        return false;
    }
    if let Some(excess) = workbook_trace::measuring::beyond_cores(speedup, n, conditions) {
        println!("{excess}");
        return true;
    }
    if conditions.caution(&[speedup]).is_none() && speedup.median < 0.7 * n as f64 {
        println!(
            "  (below {n}× on a quiet machine: the cores may be hyperthreads sharing one core's units)"
        );
    }
    false
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

    let watch = workbook_trace::measuring::Watch::start();
    let started = Instant::now();
    let results = wait_for(
        &rt,
        "client tasks",
        api::fetch_items(site.addr(), (1..=24).collect()),
    );
    let elapsed = started.elapsed().as_secs_f64();
    let conditions = watch.finish();
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
        "polite client: {ok}/{} items in {elapsed:.2} s ({retried} needed a retry; one run, paced at {} a second; {})",
        results.len(),
        api::PER_SECOND,
        conditions.brief()
    );
    if let Some(caution) = conditions.caution(&[]) {
        println!("  {caution}");
    }
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
// GIL, so plain threads share the data and use every core. Each part runs
// its ways in turn for five rounds; the speedups printed are the medians of
// the rounds' ratios, with their spread and the machine's load.
// Timeline: `squares` threads side by side, all running, then rayon lanes
// merging per-station summaries; five rounds of each.
fn data_processing() {
    use rayon::prelude::*;
    use workbook_trace::measuring::{RUNS, Summary, Watch, line, timed};
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = 500_000;
    let ranges: Vec<std::ops::Range<u64>> = (0..8).map(|k| k * chunk..(k + 1) * chunk).collect();
    println!(
        "sum of squares of 0..{} ({} ranges), {cores} cores, the three ways taking turns:",
        8 * chunk,
        ranges.len()
    );
    let watch = Watch::start();
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    let mut same = true;
    for round in 1..=RUNS {
        let (t_one, one) = timed(|| {
            let _work = tracing::info_span!("squares", threads = 1, round).entered();
            ranges
                .iter()
                .cloned()
                .map(crunch::sum_of_squares)
                .fold(0, u64::wrapping_add)
        });
        let (t_threads, threads) = timed(|| squares_on_threads(&ranges, cores));
        let (t_rayon, rayon) = timed(|| {
            let _wait = tracing::info_span!("reduce", waiting_on = "rayon pool").entered();
            ranges
                .par_iter()
                .cloned()
                .map(|range| {
                    let _s = tracing::info_span!("squares", start = range.start).entered();
                    crunch::sum_of_squares(range)
                })
                .reduce(|| 0, u64::wrapping_add)
        });
        same &= one == threads && one == rayon;
        println!(
            "  squares round {round}: one thread {:>7.2} ms, {cores} threads {:>7.2} ms, rayon {:>7.2} ms",
            t_one * 1e3,
            t_threads * 1e3,
            t_rayon * 1e3
        );
        for (times, t) in times.iter_mut().zip([t_one, t_threads, t_rayon]) {
            times.push(t);
        }
    }
    let squares = watch.finish();
    let [t_one, t_threads, t_rayon] = &times;
    let by_threads = Summary::of_ratios(t_one, t_threads).expect("the rounds ran");
    let by_rayon = Summary::of_ratios(t_one, t_rayon).expect("the rounds ran");
    let label = format!("{cores} threads: speedup");
    println!("  {}", line(&label, &by_threads, "×", &squares));
    println!("  {}", line("rayon:     speedup", &by_rayon, "×", &squares));
    println!("  same total every way: {same}");
    let mut explained = explain_speedup(cores, &by_threads, &squares);
    if !explained {
        explained = explain_speedup(cores, &by_rayon, &squares);
    }

    let readings =
        tracing::info_span!("generate readings").in_scope(|| crunch::readings(2_000_000));
    println!(
        "{} readings from {} stations, min/mean/max per station, one thread and rayon split-and-merge taking turns:",
        readings.len(),
        crunch::STATIONS
    );
    let watch = Watch::start();
    let (mut t_one, mut t_par, mut same, mut last) = (Vec::new(), Vec::new(), true, Vec::new());
    for round in 1..=RUNS {
        let (one, sequential) = timed(|| {
            let _work = tracing::info_span!("summarize", threads = 1, round).entered();
            crunch::summarize(&readings)
        });
        let (par, parallel) = timed(|| {
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
        println!(
            "  stations round {round}: one thread {:>7.2} ms, rayon {:>7.2} ms",
            one * 1e3,
            par * 1e3
        );
        same &= sequential == parallel;
        t_one.push(one);
        t_par.push(par);
        last = parallel;
    }
    let stations = watch.finish();
    let speedup = Summary::of_ratios(&t_one, &t_par).expect("the rounds ran");
    println!(
        "  {}",
        line("rayon split-and-merge: speedup", &speedup, "×", &stations)
    );
    println!("  same: {same}");
    if explained && speedup.max > cores as f64 {
        println!("  (a round above {cores}× again: see above)");
    } else {
        explain_speedup(cores, &speedup, &stations);
    }
    let hottest = (0..crunch::STATIONS)
        .max_by_key(|&s| last[s].max)
        .unwrap_or(0);
    let s = last[hottest];
    println!(
        "  hottest station {hottest}: max {:.1}°, mean {:.1}° over {} readings",
        f64::from(s.max) / 10.0,
        s.sum as f64 / s.count as f64 / 10.0,
        s.count
    );
}

/// The sum of squares on one scoped thread per core, each taking every
/// `cores`-th range.
fn squares_on_threads(ranges: &[std::ops::Range<u64>], cores: usize) -> u64 {
    std::thread::scope(|s| {
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
    })
}
