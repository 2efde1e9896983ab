//! WRONG: sleeps until a token should be there and then takes it without looking again: several tasks waking together all take the same token; the checks must share the bucket between many tasks.
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
        let wait = {
            let mut bucket = self.state.lock().unwrap();
            let now = Instant::now();
            let earned = (now - bucket.updated).as_secs_f64() * self.per_second;
            bucket.tokens = (bucket.tokens + earned).min(self.burst);
            bucket.updated = now;
            if bucket.tokens >= 1.0 - 1e-9 {
                bucket.tokens -= 1.0;
                return;
            }
            Duration::from_secs_f64((1.0 - bucket.tokens) / self.per_second)
        };
        tokio::time::sleep(wait).await;
        let mut bucket = self.state.lock().unwrap();
        bucket.tokens = 0.0;
        bucket.updated = Instant::now();
    }
}
