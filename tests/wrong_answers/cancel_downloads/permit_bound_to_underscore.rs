//! WRONG: aborts every task on cancel, but takes its permit with `let _ = permits.acquire_owned().await`: `_` is not a binding, so the permit is dropped at once and every download starts together: the checks must count more than `limit` at once.
//! # cancel_downloads · lesson 06 · fix downloads that go on after cancel (A11, P1)
//!
//! [`download_all`] downloads a list of URLs, at most `limit` at a time.
//! After each download it sends the number finished so far on `progress`
//! (for a progress bar). When `cancel` completes (the user pressed Esc, a
//! deadline passed) it stops and returns what finished so far, with
//! `cancelled: true`. A download that fails is reported with its error;
//! the others go on.
//!
//! The symptom: without cancel, everything is right. After a cancel,
//! `download_all` returns at once, as it should, but the fake server in
//! the check still sees downloads: those in flight run to the end, and
//! queued ones start afterwards, although nobody will ever read their
//! results. What keeps them going after `download_all` has returned, and
//! how do you make them stop with it?
//!
//! Check it: `cargo run -- check cancel_downloads`
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;

/// One download in progress: the body, or an error.
pub type FetchFuture = Pin<Box<dyn Future<Output = Result<Vec<u8>, String>> + Send>>;

/// Starts the download of a URL.
pub type Fetch = Arc<dyn Fn(String) -> FetchFuture + Send + Sync>;

/// What `download_all` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// (index in `urls`, body size or error), in the order they finished.
    pub finished: Vec<(usize, Result<usize, String>)>,
    /// Whether `cancel` stopped it before every URL finished.
    pub cancelled: bool,
}

/// Downloads `urls`, `limit` at a time, until done or cancelled.
pub async fn download_all(
    urls: Vec<String>,
    fetch: Fetch,
    limit: usize,
    progress: mpsc::UnboundedSender<usize>,
    cancel: impl Future<Output = ()>,
) -> Report {
    let permits = Arc::new(Semaphore::new(limit));
    let (done, mut finished) = mpsc::unbounded_channel();
    let mut handles = Vec::new();
    for (index, url) in urls.into_iter().enumerate() {
        let (permits, fetch, done) = (Arc::clone(&permits), Arc::clone(&fetch), done.clone());
        handles.push(tokio::spawn(async move {
            let _ = permits.acquire_owned().await.expect("never closed");
            let _ = done.send((index, fetch(url).await));
        }));
    }
    drop(done);
    let mut report = Report::default();
    tokio::pin!(cancel);
    loop {
        tokio::select! {
            next = finished.recv() => match next {
                Some((index, result)) => {
                    report.finished.push((index, result.map(|body| body.len())));
                    let _ = progress.send(report.finished.len());
                }
                None => return report,
            },
            () = &mut cancel => {
                for handle in &handles {
                    handle.abort();
                }
                report.cancelled = true;
                return report;
            }
        }
    }
}
