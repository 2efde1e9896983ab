//! RIGHT: a fixed crew of max_in_flight worker tasks that take (url, depth) from one shared job channel and report on another; the crawl only plans, counts what is pending, and wraps its loop in timeout_at; dropping the JoinSet of workers aborts their fetches.
//! # web_crawler · lesson 06 · capstone: a concurrent web crawler (P1, A6, A8, A11)
//!
//! Crawl a small web site: start at one page, follow the links on it, and
//! the links on those, to a limited depth. The checks serve a real site
//! on 127.0.0.1 and watch every request it gets. Given below: [`fetch`]
//! (one HTTP GET over TCP) and [`links`] (the links on a page, as absolute
//! URLs). You write [`crawl`]. About 30 to 60 minutes.
//!
//! The spec of `crawl(start, options)`:
//! 1. **Depth.** `start` has depth 0; a link on a page of depth d has
//!    depth d + 1. Fetch every page reachable within `options.max_depth`,
//!    and none deeper. Follow every `http://` link, on any host.
//! 2. **Once.** Never fetch a URL twice, however many pages link to it
//!    (the site has cycles, and pages that link to each other).
//! 3. **Bounded, concurrent.** At most `options.max_in_flight` fetches at
//!    any moment, and more than one whenever more than one page waits.
//! 4. **Broken and slow pages.** A page that fails (HTTP 404, connection
//!    refused) is recorded with its error, and the crawl goes on. A page
//!    that takes longer than `options.page_timeout` is recorded with the
//!    error `"timed out"` and dropped (its connection closed).
//! 5. **Deadline.** When `options.deadline` has passed since the start,
//!    stop: drop every fetch still in flight (close its connection), and
//!    return the pages finished so far with `deadline_hit: true`.
//!
//! The report lists each fetched URL once: the links found on it, or its
//! error. Pages still in flight at the deadline are not in it.
//!
//! A shape that works: a queue of (URL, depth) waiting to be fetched, a
//! set of URLs already queued, a `tokio::task::JoinSet` (or a
//! `FuturesUnordered`) of fetches in flight, and one loop that tops up
//! the fetches from the queue, then waits in `tokio::select!` for the
//! next fetch to finish or the deadline, whichever comes first.
//!
//! Check it: `cargo run -- check web_crawler`
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinSet;
use tokio::time::{Instant, timeout, timeout_at};

/// How far, how wide and how long to crawl.
#[derive(Debug, Clone)]
pub struct Options {
    /// Links are followed up to this depth (the start page has depth 0).
    pub max_depth: usize,
    /// At most this many fetches at once.
    pub max_in_flight: usize,
    /// A page that takes longer has failed with "timed out".
    pub page_timeout: Duration,
    /// The whole crawl stops after this long.
    pub deadline: Duration,
}

/// One page: the links found on it, or why it could not be fetched.
pub type Page = Result<Vec<String>, String>;

/// What the crawl found.
#[derive(Debug, Default)]
pub struct CrawlReport {
    /// Every URL fetched, with its links or its error.
    pub pages: BTreeMap<String, Page>,
    /// Whether the deadline stopped the crawl before it was done.
    pub deadline_hit: bool,
}

/// A page to fetch and its depth.
type Job = (String, usize);

/// Crawls from `start` as the module doc says.
pub async fn crawl(start: &str, options: &Options) -> CrawlReport {
    let gives_up_at = Instant::now() + options.deadline;
    let (job_tx, job_rx) = mpsc::unbounded_channel::<Job>();
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<(String, usize, Page)>();
    let job_rx = Arc::new(Mutex::new(job_rx));
    // The crew: each worker fetches one page at a time, so at most
    // max_in_flight fetches run. Dropping the set aborts every worker.
    let mut workers = JoinSet::new();
    for _ in 0..options.max_in_flight.max(1) {
        let (job_rx, done_tx) = (Arc::clone(&job_rx), done_tx.clone());
        let page_timeout = options.page_timeout;
        workers.spawn(async move {
            loop {
                // The lock guards the receive only, not the fetch.
                let Some((url, depth)) = job_rx.lock().await.recv().await else {
                    return;
                };
                let page = match timeout(page_timeout, fetch(&url)).await {
                    Ok(Ok(html)) => Ok(links(&url, &html)),
                    Ok(Err(error)) => Err(error),
                    Err(_elapsed) => Err("timed out".to_string()),
                };
                if done_tx.send((url, depth, page)).is_err() {
                    return;
                }
            }
        });
    }
    let mut report = CrawlReport::default();
    let mut seen = HashSet::from([start.to_string()]);
    job_tx
        .send((start.to_string(), 0))
        .expect("the workers hold the receiver");
    let mut pending = 1usize;
    let planning = async {
        while pending > 0 {
            let Some((url, depth, page)) = done_rx.recv().await else {
                break;
            };
            pending -= 1;
            if let Ok(found) = &page
                && depth < options.max_depth
            {
                for link in found {
                    if seen.insert(link.clone()) {
                        pending += 1;
                        let _ = job_tx.send((link.clone(), depth + 1));
                    }
                }
            }
            report.pages.insert(url, page);
        }
    };
    let in_time = timeout_at(gives_up_at, planning).await.is_ok();
    report.deadline_hit = !in_time;
    // Hang up every fetch still running before returning.
    workers.abort_all();
    drop(workers);
    report
}
/// Fetches `url` (`http://host:port/path`) with one HTTP/1.0 GET; the body
/// of a 200 response, or an error.
pub async fn fetch(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("not an http:// URL: {url}"))?;
    let (host, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, "/"),
    };
    let mut stream = TcpStream::connect(host)
        .await
        .map_err(|e| format!("cannot connect to {host}: {e}"))?;
    let request = format!("GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| format!("cannot send the request: {e}"))?;
    // At most 1 MiB: a page is small, memory stays bounded.
    let mut response = Vec::new();
    stream
        .take(1 << 20)
        .read_to_end(&mut response)
        .await
        .map_err(|e| format!("cannot read the response: {e}"))?;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or("a response without a blank line after its header")?;
    let status = head.split_whitespace().nth(1).unwrap_or("(none)");
    if status != "200" {
        return Err(format!("HTTP {status}"));
    }
    Ok(body.to_string())
}

/// The links (`href="..."`) on the page at `page_url`, as absolute URLs:
/// `/path` is resolved against the page's host; other schemes and
/// relative paths are left out.
pub fn links(page_url: &str, html: &str) -> Vec<String> {
    let origin = page_url
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .map(|host| format!("http://{host}"));
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter_map(|href| {
            if href.starts_with("http://") {
                Some(href.to_string())
            } else if href.starts_with('/') {
                origin.as_ref().map(|origin| format!("{origin}{href}"))
            } else {
                None
            }
        })
        .collect()
}
