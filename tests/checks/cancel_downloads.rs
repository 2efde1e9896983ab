use super::paused;
use crate::ex::cancel_downloads::{Fetch, FetchFuture, Report, download_all};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep};

/// A fake server: counts downloads started, finished and in flight (a
/// download whose future is dropped stops being in flight).
#[derive(Default)]
struct Server {
    started: AtomicUsize,
    finished: AtomicUsize,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

struct InFlight(Arc<Server>);
impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// URL "i/ms" takes ms of virtual time and returns i + 1 bytes; "fail"
/// fails after 50 ms.
fn fake(server: &Arc<Server>) -> Fetch {
    let server = Arc::clone(server);
    Arc::new(move |url: String| -> FetchFuture {
        let server = Arc::clone(&server);
        Box::pin(async move {
            server.started.fetch_add(1, Ordering::SeqCst);
            let now = server.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            server.most_in_flight.fetch_max(now, Ordering::SeqCst);
            let _guard = InFlight(Arc::clone(&server));
            if url == "fail" {
                sleep(Duration::from_millis(50)).await;
                return Err("404 Not Found".to_string());
            }
            let (index, ms) = url.split_once('/').expect("i/ms");
            sleep(Duration::from_millis(ms.parse().unwrap())).await;
            server.finished.fetch_add(1, Ordering::SeqCst);
            Ok(vec![0; index.parse::<usize>().unwrap() + 1])
        })
    })
}

fn sorted(report: &Report) -> Vec<(usize, Result<usize, String>)> {
    let mut finished = report.finished.clone();
    finished.sort_by_key(|(index, _)| *index);
    finished
}

#[test]
fn downloads_everything_at_most_limit_at_once() {
    isolated!();
    let (report, ticks, most, took) = paused("download_all never returned", || async {
        let server = Arc::new(Server::default());
        // Distinct, shuffled lengths; URL 4 fails.
        let mut urls: Vec<String> = [300, 100, 500, 200, 0, 400, 150, 250, 350, 50]
            .iter()
            .enumerate()
            .map(|(i, ms)| format!("{i}/{ms}"))
            .collect();
        urls[4] = "fail".to_string();
        let (progress, mut ticks) = mpsc::unbounded_channel();
        let start = Instant::now();
        let report = download_all(urls, fake(&server), 3, progress, std::future::pending()).await;
        let took = start.elapsed();
        let mut seen = Vec::new();
        while let Some(tick) = ticks.recv().await {
            seen.push(tick);
        }
        (
            report,
            seen,
            server.most_in_flight.load(Ordering::SeqCst),
            took,
        )
    });
    assert!(
        !report.cancelled,
        "reported cancelled, but cancel never came"
    );
    let want: Vec<(usize, Result<usize, String>)> = (0..10)
        .map(|i| {
            (
                i,
                if i == 4 {
                    Err("404 Not Found".to_string())
                } else {
                    Ok(i + 1)
                },
            )
        })
        .collect();
    assert_eq!(
        sorted(&report),
        want,
        "one entry per URL: body size, or the error"
    );
    assert_eq!(
        ticks,
        (1..=10).collect::<Vec<_>>(),
        "progress after each download"
    );
    assert!(
        most > 1 && most <= 3,
        "with a limit of 3, the server saw at most {most} downloads at once"
    );
    assert!(
        took <= Duration::from_millis(1200),
        "downloads of 2.3 s in all, 3 at a time, took {took:?} of virtual time"
    );
}

#[test]
fn cancel_stops_every_download_with_it() {
    isolated!();
    let (report, returned_at, server) =
        paused("download_all never returned after cancel", || async {
            let server = Arc::new(Server::default());
            let urls: Vec<String> = (0..20).map(|i| format!("{i}/1000")).collect();
            let (progress, ticks) = mpsc::unbounded_channel();
            let start = Instant::now();
            let report = download_all(
                urls,
                fake(&server),
                4,
                progress,
                sleep(Duration::from_millis(2500)),
            )
            .await;
            let returned_at = start.elapsed();
            let at_return = (
                server.started.load(Ordering::SeqCst),
                server.finished.load(Ordering::SeqCst),
            );
            // Give anything left behind 10 s (virtual) to show itself.
            sleep(Duration::from_secs(10)).await;
            let later = (
                server.started.load(Ordering::SeqCst),
                server.finished.load(Ordering::SeqCst),
                server.in_flight.load(Ordering::SeqCst),
                ticks.is_closed(),
            );
            (report, returned_at, (at_return, later))
        });
    let ((started, finished), (started_later, finished_later, in_flight_later, closed)) = server;
    assert!(
        report.cancelled,
        "cancel came at 2.5 s but the report says not cancelled"
    );
    assert_eq!(
        returned_at,
        Duration::from_millis(2500),
        "cancel came at 2.5 s of virtual time; download_all returned at {returned_at:?}"
    );
    assert_eq!(
        report.finished.len(),
        8,
        "20 downloads of 1 s, 4 at a time, cancelled at 2.5 s: 8 had finished, the report lists {}",
        report.finished.len()
    );
    assert_eq!(
        (started_later, finished_later),
        (started, finished),
        "10 s after download_all returned on cancel, the server had seen {} more download(s) \
         start and {} more finish",
        started_later - started,
        finished_later - finished
    );
    assert_eq!(
        in_flight_later, 0,
        "10 s after download_all returned, {in_flight_later} download(s) were still open"
    );
    assert!(
        closed,
        "the progress channel was still open after download_all returned"
    );
}
