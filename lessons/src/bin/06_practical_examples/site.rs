//! The lesson's own web site, served on 127.0.0.1 so the examples need no
//! network: generated pages (titles, links, some slow, some broken) and a
//! small JSON API with a rate limit.
//!
//! It is a real HTTP/1.1 server (hyper on a tokio runtime) running on a
//! thread of its own, named `server`. One thread serves every connection:
//! a slow page is a timer inside the server, not a busy thread, so the
//! timeline shows the `server` lane mostly idle while clients wait.
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::fmt::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use tracing::Instrument;

/// How many pages the site has: `/page/0` .. `/page/{PAGES - 1}`.
pub const PAGES: usize = 120;
/// The API's limit: a bucket of `API_BURST` requests, refilled at
/// `API_PER_SECOND`. A request finding the bucket empty gets `429`.
pub const API_PER_SECOND: f64 = 20.0;
pub const API_BURST: f64 = 4.0;

/// What a page is like. Deterministic, so every run serves the same site.
pub struct PageSpec {
    pub status: u16,
    pub delay: Duration,
    pub links: usize,
}

pub fn page_spec(n: usize) -> PageSpec {
    let status = match n % 17 {
        13 => 404,
        16 => 500,
        _ => 200,
    };
    // Most pages take 30-60 ms (a distant server); every seventh is slow.
    let delay = if n % 7 == 3 { 250 } else { 30 + (n * 13) % 31 };
    PageSpec {
        status,
        delay: Duration::from_millis(delay as u64),
        links: 2 + (n * 5) % 9,
    }
}

/// Counters the lesson reads to show what the server saw.
#[derive(Default)]
pub struct Stats {
    pub requests: AtomicU64,
    /// API requests refused with `429 Too Many Requests`.
    pub rejected: AtomicU64,
    pub api_in_flight: AtomicU64,
    pub api_max_in_flight: AtomicU64,
}

struct State {
    stats: Arc<Stats>,
    bucket: Mutex<(f64, Instant)>,
    /// Item ids that already failed once with 503 (the next try succeeds).
    failed_once: Mutex<std::collections::HashSet<u64>>,
}

/// A running site. Dropping it stops the server and joins its thread.
pub struct Site {
    addr: SocketAddr,
    pub stats: Arc<Stats>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Site {
    /// Starts the server on 127.0.0.1 with a port the OS picks.
    pub fn start() -> Site {
        let stats = Arc::new(Stats::default());
        let state = Arc::new(State {
            stats: stats.clone(),
            bucket: Mutex::new((API_BURST, Instant::now())),
            failed_once: Mutex::default(),
        });
        let (stop, stopped) = oneshot::channel();
        let (ready, addr) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("server".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("server runtime");
                runtime.block_on(serve(state, ready, stopped));
            })
            .expect("spawn server thread");
        let addr = addr
            .recv_timeout(Duration::from_secs(5))
            .expect("server did not start");
        Site {
            addr,
            stats,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    state: Arc<State>,
    ready: std::sync::mpsc::Sender<SocketAddr>,
    mut stopped: oneshot::Receiver<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let _ = ready.send(listener.local_addr().expect("local address"));
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
            _ = &mut stopped => break,
        };
        let state = state.clone();
        let service = hyper::service::service_fn(move |request| {
            let state = state.clone();
            let span = tracing::info_span!("handle", path = %request.uri().path());
            async move { Ok::<_, Infallible>(handle(&state, &request).await) }.instrument(span)
        });
        tokio::spawn(async move {
            // A client that hangs up early is its own business.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(state: &State, request: &Request<Incoming>) -> Response<Full<Bytes>> {
    state.stats.requests.fetch_add(1, Ordering::Relaxed);
    let path = request.uri().path();
    if let Some(n) = path.strip_prefix("/page/").and_then(|n| n.parse().ok()) {
        return page(n).await;
    }
    if let Some(id) = path
        .strip_prefix("/api/items/")
        .and_then(|n| n.parse().ok())
    {
        let stats = &state.stats;
        let now = stats.api_in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        stats.api_max_in_flight.fetch_max(now, Ordering::SeqCst);
        let response = api_item(state, id).await;
        stats.api_in_flight.fetch_sub(1, Ordering::SeqCst);
        return response;
    }
    reply(StatusCode::NOT_FOUND, "text/plain", "no such page\n".into())
}

async fn page(n: usize) -> Response<Full<Bytes>> {
    if n >= PAGES {
        return reply(
            StatusCode::NOT_FOUND,
            "text/html",
            "<h1>Not found</h1>".into(),
        );
    }
    let spec = page_spec(n);
    tokio::time::sleep(spec.delay).await;
    let status = StatusCode::from_u16(spec.status).unwrap_or(StatusCode::OK);
    if status != StatusCode::OK {
        return reply(status, "text/html", format!("<h1>{status}</h1>"));
    }
    let mut links = String::new();
    for k in 1..=spec.links {
        let target = (n * 7 + k * 11) % PAGES;
        let _ = writeln!(links, "<li><a href=\"/page/{target}\">see also</a></li>");
    }
    let body = format!(
        "<!doctype html>\n<html><head><title>Page {n}: {}</title></head>\n<body><ul>\n{links}</ul></body></html>\n",
        TOPICS[n % TOPICS.len()]
    );
    reply(StatusCode::OK, "text/html", body)
}

const TOPICS: [&str; 6] = [
    "threads",
    "processes",
    "tasks",
    "locks",
    "channels",
    "atomics",
];

async fn api_item(state: &State, id: u64) -> Response<Full<Bytes>> {
    if !take_token(state) {
        state.stats.rejected.fetch_add(1, Ordering::Relaxed);
        let mut response = reply(
            StatusCode::TOO_MANY_REQUESTS,
            "application/json",
            r#"{"error":"rate limit"}"#.into(),
        );
        response
            .headers_mut()
            .insert("retry-after", hyper::header::HeaderValue::from_static("1"));
        return response;
    }
    tokio::time::sleep(Duration::from_millis(100 + id % 5 * 60)).await;
    if id % 10 == 7 {
        return reply(
            StatusCode::NOT_FOUND,
            "application/json",
            r#"{"error":"no such item"}"#.into(),
        );
    }
    // Every sixth item fails once, as a busy backend would: try it again.
    if id % 6 == 5 && state.failed_once.lock().unwrap().insert(id) {
        return reply(
            StatusCode::SERVICE_UNAVAILABLE,
            "application/json",
            r#"{"error":"try again"}"#.into(),
        );
    }
    let body = format!(
        r#"{{"id":{id},"name":"item {id}","price_cents":{}}}"#,
        100 + id * 37 % 900
    );
    reply(StatusCode::OK, "application/json", body)
}

/// The server's side of the rate limit: a token bucket.
fn take_token(state: &State) -> bool {
    let mut bucket = state.bucket.lock().unwrap();
    let (tokens, last) = &mut *bucket;
    let now = Instant::now();
    *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * API_PER_SECOND).min(API_BURST);
    *last = now;
    if *tokens >= 1.0 {
        *tokens -= 1.0;
        true
    } else {
        false
    }
}

fn reply(status: StatusCode, content_type: &'static str, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static(content_type),
    );
    response
}
