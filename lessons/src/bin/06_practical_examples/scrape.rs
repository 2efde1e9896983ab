//! The scraper, twice: blocking on threads and async on tokio tasks. The
//! two fetch functions differ only where the thread would block: there the
//! task `.await`s, and its thread goes on polling other tasks.
use crate::http;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;
use tracing::Instrument;

/// No request may hang the lesson.
const TIMEOUT: Duration = Duration::from_secs(3);

/// What the scraper learns about one page.
#[derive(PartialEq)]
pub struct PageReport {
    pub path: String,
    /// Title and link count, or what went wrong.
    pub outcome: Result<(String, usize), String>,
}

impl PageReport {
    fn new(path: String, response: std::io::Result<http::Response>) -> Self {
        let outcome = match response {
            Ok(r) if r.status == 200 => Ok(http::title_and_links(&r.body)),
            Ok(r) => Err(format!("HTTP {}", r.status)),
            Err(e) => Err(e.to_string()),
        };
        PageReport { path, outcome }
    }
}

pub fn fetch_page(addr: SocketAddr, n: usize) -> PageReport {
    let path = format!("/page/{n}");
    let _wait = tracing::info_span!("get", waiting_on = %format!("GET {path}")).entered();
    let response = http::get(addr, &path, TIMEOUT);
    PageReport::new(path, response)
}

/// Fetches `pages` on `workers` threads; the reports come back in page order.
pub fn scrape_with_threads(addr: SocketAddr, pages: &[usize], workers: usize) -> Vec<PageReport> {
    let next = AtomicUsize::new(0);
    let mut reports: Vec<(usize, PageReport)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let next = &next;
                std::thread::Builder::new()
                    .name(format!("scraper-{w}"))
                    .spawn_scoped(s, move || {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(&n) = pages.get(i) else { break };
                            mine.push((i, fetch_page(addr, n)));
                        }
                        mine
                    })
                    .expect("spawn scraper thread")
            })
            .collect();
        let _wait = tracing::info_span!("join", waiting_on = "scraper threads").entered();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("scraper panicked"))
            .collect()
    });
    reports.sort_by_key(|(i, _)| *i);
    reports.into_iter().map(|(_, report)| report).collect()
}

pub async fn fetch_page_async(addr: SocketAddr, n: usize) -> PageReport {
    let path = format!("/page/{n}");
    let response = http::get_async(addr, &path, TIMEOUT)
        .instrument(tracing::info_span!("get", waiting_on = %format!("GET {path}")))
        .await;
    PageReport::new(path, response)
}

/// Fetches `pages` as tokio tasks, at most `in_flight` at once.
pub async fn scrape_with_tasks(
    addr: SocketAddr,
    pages: &[usize],
    in_flight: usize,
) -> Vec<PageReport> {
    let permits = Arc::new(Semaphore::new(in_flight));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, &n) in pages.iter().enumerate() {
        let permits = permits.clone();
        let fetch = async move {
            let _permit = permits
                .acquire_owned()
                .instrument(tracing::info_span!("acquire", waiting_on = "a permit"))
                .await
                .expect("semaphore is never closed");
            (i, fetch_page_async(addr, n).await)
        };
        tasks.spawn(
            fetch.instrument(tracing::info_span!("fetch", task = %format!("fetch /page/{n}"))),
        );
    }
    let mut reports = tasks.join_all().await;
    reports.sort_by_key(|(i, _)| *i);
    reports.into_iter().map(|(_, report)| report).collect()
}

pub fn runtime(workers: usize) -> tokio::runtime::Runtime {
    let next = AtomicUsize::new(0);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name_fn(move || format!("tokio-{}", next.fetch_add(1, Ordering::Relaxed)))
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Runs async code from a plain thread, which waits (blocked) meanwhile.
pub fn wait_for<F: std::future::Future>(
    rt: &tokio::runtime::Runtime,
    what: &str,
    future: F,
) -> F::Output {
    let _wait = tracing::info_span!("block_on", waiting_on = what).entered();
    rt.block_on(future)
}
