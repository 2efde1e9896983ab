//! RIGHT: no token count: the bucket remembers the time the next request may go (a virtual schedule, "GCRA"); each caller reserves a slot under the lock and sleeps until it, outside the lock.
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
        let slot = {
            let mut bucket = self.state.lock().unwrap();
            let interval = Duration::from_secs_f64(1.0 / self.per_second);
            let now = Instant::now();
            // `updated` is when the bucket would be empty of requests already
            // scheduled; a request may go `burst - 1` intervals before that.
            let allowance = interval.mul_f64(self.burst - 1.0);
            let slot = bucket
                .updated
                .checked_sub(allowance)
                .map_or(now, |earliest| earliest.max(now));
            bucket.updated = bucket.updated.max(now) + interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}
