//! A polite async client for the site's JSON API: a semaphore bounds the
//! requests in flight, a pacer bounds requests per second, and failures are
//! retried with exponential backoff. Each item ends as its own `Result`.
use crate::http;
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, Semaphore};
use tokio::time::{Interval, MissedTickBehavior};
use tracing::Instrument;

/// At most this many requests on the wire at once.
pub const IN_FLIGHT: usize = 4;
/// Requests per second: below the server's limit, so it never says 429.
pub const PER_SECOND: u32 = 15;
const RETRIES: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Deserialize)]
pub struct Item {
    pub id: u64,
    pub name: String,
    pub price_cents: u64,
    /// How many requests it took (filled in by the client, not the server).
    #[serde(skip)]
    pub attempts: u32,
}

/// What a client without manners does: everything at once.
pub async fn naive_burst(addr: SocketAddr, count: u64) {
    let mut tasks = tokio::task::JoinSet::new();
    for id in 1..=count {
        let path = format!("/api/items/{id}");
        tasks.spawn(async move { http::get_async(addr, &path, TIMEOUT).await });
    }
    tasks.join_all().await;
}

struct Client {
    addr: SocketAddr,
    permits: Semaphore,
    /// One tick per request, `1/PER_SECOND` apart. `Delay` means that after
    /// a quiet spell the client does not fire a burst to catch up.
    pacer: Mutex<Interval>,
}

/// Fetches every item; the results come back in the order of `ids`.
pub async fn fetch_items(addr: SocketAddr, ids: Vec<u64>) -> Vec<(u64, Result<Item, String>)> {
    let mut pacer = tokio::time::interval(Duration::from_secs(1) / PER_SECOND);
    pacer.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let client = Arc::new(Client {
        addr,
        permits: Semaphore::new(IN_FLIGHT),
        pacer: Mutex::new(pacer),
    });
    let mut tasks = tokio::task::JoinSet::new();
    for (i, id) in ids.into_iter().enumerate() {
        let client = client.clone();
        let span = tracing::info_span!("item", task = %format!("item {id}"));
        tasks.spawn(async move { (i, id, client.get_item(id).await) }.instrument(span));
    }
    let mut results = tasks.join_all().await;
    results.sort_by_key(|(i, _, _)| *i);
    results
        .into_iter()
        .map(|(_, id, result)| (id, result))
        .collect()
}

impl Client {
    async fn get_item(&self, id: u64) -> Result<Item, String> {
        let path = format!("/api/items/{id}");
        let mut attempts = 0;
        loop {
            attempts += 1;
            let response = {
                // The permit is held only for the request itself, not
                // during the backoff, so waiting retries block nobody.
                let _permit = self
                    .permits
                    .acquire()
                    .instrument(tracing::info_span!("acquire", waiting_on = "a permit"))
                    .await
                    .expect("never closed");
                async { self.pacer.lock().await.tick().await }
                    .instrument(tracing::info_span!(
                        "pace",
                        waiting_on = "the pacer's next tick"
                    ))
                    .await;
                http::get_async(self.addr, &path, TIMEOUT)
                    .instrument(tracing::info_span!("get", waiting_on = %format!("GET {path}")))
                    .await
            };
            let (error, retry_after) = match response {
                Ok(r) if r.status == 200 => {
                    let mut item: Item =
                        serde_json::from_str(&r.body).map_err(|e| e.to_string())?;
                    item.attempts = attempts;
                    return Ok(item);
                }
                Ok(r) if r.status == 429 => {
                    let wait = r.header("retry-after").and_then(|s| s.parse().ok());
                    ("HTTP 429".to_string(), wait.map(Duration::from_secs))
                }
                // 5xx is the server's trouble and may pass; 4xx is ours and will not.
                Ok(r) if r.status >= 500 => (format!("HTTP {}", r.status), None),
                Ok(r) => return Err(format!("HTTP {} (not retried)", r.status)),
                Err(e) => (e.to_string(), None),
            };
            if attempts > RETRIES {
                return Err(format!("{error}, gave up after {attempts} attempts"));
            }
            let backoff = retry_after.unwrap_or(FIRST_BACKOFF * 2u32.pow(attempts - 1));
            tracing::info!(id, attempts, error = %error, "retrying");
            tokio::time::sleep(backoff)
                .instrument(tracing::info_span!("backoff", waiting_on = "the backoff"))
                .await;
        }
    }
}
