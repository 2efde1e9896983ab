//! WRONG: sleeps 1 / per_second before every request and never looks at the bucket: the right average rate, but no burst; the checks must expect the first `burst` requests at once.
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// A token bucket shared by every task that makes requests.
pub struct TokenBucket {
    per_second: f64,
    burst: f64,
    state: Mutex<Bucket>,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl TokenBucket {
    /// A full bucket of `burst` tokens, refilled at `per_second` a second.
    pub fn new(per_second: f64, burst: u32) -> Self {
        Self {
            per_second,
            burst: f64::from(burst),
            state: Mutex::new(Bucket {
                tokens: f64::from(burst),
                updated: Instant::now(),
            }),
        }
    }

    /// Takes one token, waiting until there is one.
    pub async fn acquire(&self) {
        let _ = &self.state;
        tokio::time::sleep(Duration::from_secs_f64(1.0 / self.per_second)).await;
    }
}
