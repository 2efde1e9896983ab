//! WRONG: counts the tokens earned since the bucket was made instead of since the last look (`updated` is never moved): tokens are earned over and over; the checks must make many requests.
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
        loop {
            let wait = {
                let mut bucket = self.state.lock().unwrap();
                let now = Instant::now();
                let earned = (now - bucket.updated).as_secs_f64() * self.per_second;
                bucket.tokens = (bucket.tokens + earned).min(self.burst);
                // A little slack for rounding: 0.9999999 tokens is one token.
                if bucket.tokens >= 1.0 - 1e-9 {
                    bucket.tokens -= 1.0;
                    return;
                }
                Duration::from_secs_f64((1.0 - bucket.tokens) / self.per_second)
            };
            tokio::time::sleep(wait).await;
        }
    }
}
