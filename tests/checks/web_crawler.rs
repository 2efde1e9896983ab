//! The crawler's checks run a real site on 127.0.0.1 (its own thread and
//! runtime), which counts every request, the fetches in flight, and
//! notices when a client hangs up before its answer.
use super::within;
use crate::ex::web_crawler::{CrawlReport, Options, crawl};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One page of the site: how long it takes, its status and its links.
struct Page {
    path: &'static str,
    millis: u64,
    status: u16,
    links: Vec<String>,
}

fn page(path: &'static str, millis: u64, links: &[&str]) -> Page {
    let links = links.iter().map(|l| l.to_string()).collect();
    Page {
        path,
        millis,
        status: 200,
        links,
    }
}

#[derive(Default)]
struct Traffic {
    hits: Mutex<HashMap<String, usize>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    hung_up: AtomicUsize,
}

struct Serving(Arc<Traffic>);
impl Drop for Serving {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serves `pages` on 127.0.0.1 (an unknown path is a 404); returns the
/// site's base URL and its traffic.
fn serve(pages: Vec<Page>) -> (String, Arc<Traffic>) {
    let traffic = Arc::new(Traffic::default());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let pages: Arc<HashMap<&'static str, Page>> =
        Arc::new(pages.into_iter().map(|p| (p.path, p)).collect());
    let counted = Arc::clone(&traffic);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = TcpListener::from_std(listener).unwrap();
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(answer(stream, Arc::clone(&pages), Arc::clone(&counted)));
            }
        });
    });
    (base, traffic)
}

async fn answer(
    mut stream: TcpStream,
    pages: Arc<HashMap<&'static str, Page>>,
    traffic: Arc<Traffic>,
) {
    let mut request = Vec::new();
    let mut buf = [0; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&request);
    let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
    *traffic
        .hits
        .lock()
        .unwrap()
        .entry(path.clone())
        .or_default() += 1;
    let now = traffic.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    traffic.most_in_flight.fetch_max(now, Ordering::SeqCst);
    let _serving = Serving(Arc::clone(&traffic));
    let (millis, status, body) = match pages.get(path.as_str()) {
        Some(p) => {
            let links: String = p
                .links
                .iter()
                .map(|l| format!("<a href=\"{l}\">{l}</a>\n"))
                .collect();
            (
                p.millis,
                p.status,
                format!("<html><body>\n{links}</body></html>\n"),
            )
        }
        None => (20, 404, "not here".to_string()),
    };
    // Answer after `millis`, unless the client hangs up first.
    tokio::select! {
        () = tokio::time::sleep(Duration::from_millis(millis)) => {}
        _ = stream.read(&mut buf) => {
            traffic.hung_up.fetch_add(1, Ordering::SeqCst);
            return;
        }
    }
    let reason = if status == 200 { "OK" } else { "Not Found" };
    let head = format!(
        "HTTP/1.0 {status} {reason}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(format!("{head}{body}").as_bytes()).await;
}

/// A port where nothing listens.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Crawls on a runtime of its own, which the caller keeps alive after the
/// crawl returned: tasks the crawl left behind go on running, as they
/// would in a real program.
fn run(start: String, options: Options) -> (CrawlReport, Duration, tokio::runtime::Runtime) {
    within(Duration::from_secs(8), "crawl never returned", move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let begun = Instant::now();
        let report = runtime.block_on(crawl(&start, &options));
        (report, begun.elapsed(), runtime)
    })
}

/// Waits up to 2 s for the site to have no request open; returns how many
/// are still open.
fn open_after_a_while(traffic: &Traffic) -> usize {
    let waited = Instant::now();
    while traffic.in_flight.load(Ordering::SeqCst) > 0 && waited.elapsed() < Duration::from_secs(2)
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    traffic.in_flight.load(Ordering::SeqCst)
}

#[test]
fn crawls_each_page_once_to_the_depth_limit_a_few_at_a_time() {
    isolated!();
    let refused = format!("http://127.0.0.1:{}/gone", closed_port());
    let (base, traffic) = serve(vec![
        page("/", 100, &["/a", "/b", "/c", "/missing", "/slow", &refused]),
        page("/a", 100, &["/a1", "/a2", "/", "/b"]),
        page("/b", 100, &["/b1", "/a", "/b"]),
        page("/c", 100, &["/c1", "/c2", "/a1"]),
        page("/a1", 100, &["/deep"]),
        page("/a2", 100, &[]),
        page("/b1", 100, &["/deep"]),
        page("/c1", 100, &["/a"]),
        page("/c2", 100, &[]),
        page("/slow", 30_000, &["/never"]),
        page("/deep", 100, &[]),
    ]);
    let options = Options {
        max_depth: 2,
        max_in_flight: 3,
        page_timeout: Duration::from_millis(1000),
        deadline: Duration::from_secs(6),
    };
    let (report, _, runtime) = run(format!("{base}/"), options);
    let hits = traffic.hits.lock().unwrap().clone();
    let twice: Vec<_> = hits.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "the site was asked more than once for {twice:?}"
    );
    assert!(
        !hits.contains_key("/deep"),
        "/deep, at depth 3, was fetched with max_depth 2"
    );
    let mut want: Vec<String> = [
        "/", "/a", "/b", "/c", "/missing", "/slow", "/a1", "/a2", "/b1", "/c1", "/c2",
    ]
    .iter()
    .map(|p| format!("{base}{p}"))
    .collect();
    want.push(refused.clone());
    want.sort();
    let got: Vec<String> = report.pages.keys().cloned().collect();
    assert_eq!(got, want, "the pages in the report (depth limit 2)");
    assert!(!report.deadline_hit, "the deadline (6 s) was reported hit");
    let error = |p: &str| report.pages[p].as_ref().err().cloned().unwrap_or_default();
    assert!(
        error(&format!("{base}/missing")).contains("404"),
        "/missing answers 404"
    );
    assert!(
        !error(&refused).is_empty(),
        "a link to a closed port should be an error"
    );
    assert_eq!(
        error(&format!("{base}/slow")),
        "timed out",
        "/slow takes 30 s, the page timeout is 1 s"
    );
    let mut a_links = report.pages[&format!("{base}/a")]
        .clone()
        .unwrap_or_default();
    a_links.sort();
    assert_eq!(a_links.len(), 4, "the links found on /a: {a_links:?}");
    let most = traffic.most_in_flight.load(Ordering::SeqCst);
    assert!(
        most > 1 && most <= 3,
        "with max_in_flight 3, the site saw at most {most} request(s) at once"
    );
    let open = open_after_a_while(&traffic);
    assert_eq!(
        open, 0,
        "2 s after crawl returned, {open} request(s) were still open on the site"
    );
    runtime.shutdown_background();
}

#[test]
fn the_deadline_returns_what_was_crawled_and_hangs_up_the_rest() {
    isolated!();
    let (base, traffic) = serve(vec![
        page("/", 50, &["/s1", "/s2", "/s3", "/s4"]),
        page("/s1", 20_000, &[]),
        page("/s2", 20_000, &[]),
        page("/s3", 20_000, &[]),
        page("/s4", 20_000, &[]),
    ]);
    let options = Options {
        max_depth: 3,
        max_in_flight: 2,
        page_timeout: Duration::from_secs(30),
        deadline: Duration::from_millis(800),
    };
    let (report, took, runtime) = run(format!("{base}/"), options);
    assert!(
        took >= Duration::from_millis(750) && took < Duration::from_millis(2500),
        "the deadline was 0.8 s; crawl returned after {took:?}"
    );
    assert!(
        report.deadline_hit,
        "the crawl was cut short but deadline_hit is false"
    );
    let got: Vec<&String> = report.pages.keys().collect();
    assert_eq!(
        got,
        [&format!("{base}/")],
        "only / finished before the deadline"
    );
    let open = open_after_a_while(&traffic);
    let asked: usize = traffic.hits.lock().unwrap().values().sum();
    runtime.shutdown_background();
    assert_eq!(
        open, 0,
        "2 s after crawl returned, {open} request(s) were still open on the site"
    );
    assert_eq!(
        asked, 3,
        "the site got {asked} requests: / and the 2 slow pages in flight at the deadline"
    );
}
