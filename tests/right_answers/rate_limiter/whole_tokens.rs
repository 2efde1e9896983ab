//! RIGHT: whole tokens only, no floats: a u32 count refilled by the number of whole intervals since the last refill; an empty bucket sleeps until the next refill instant, outside the lock, then looks again.
//! # rate_limiter · lesson 06 · a token-bucket rate limiter (P3)
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// A token bucket shared by every task that makes requests.
pub struct TokenBucket {
    /// Time between two tokens.
    interval: Duration,
    burst: u32,
    state: Mutex<Bucket>,
}

struct Bucket {
    tokens: u32,
    /// The instant the last whole token was added (or the bucket was last full).
    refilled: Instant,
}

impl TokenBucket {
    /// A full bucket of `burst` tokens, refilled at `per_second` a second.
    pub fn new(per_second: f64, burst: u32) -> Self {
        Self {
            interval: Duration::from_secs_f64(1.0 / per_second),
            burst,
            state: Mutex::new(Bucket {
                tokens: burst,
                refilled: Instant::now(),
            }),
        }
    }

    /// Takes one token, waiting until there is one.
    pub async fn acquire(&self) {
        loop {
            let next_token_at = {
                let mut bucket = self.state.lock().unwrap();
                let now = Instant::now();
                let whole = (now - bucket.refilled).as_nanos() / self.interval.as_nanos().max(1);
                let whole = u32::try_from(whole).unwrap_or(u32::MAX);
                if bucket.tokens.saturating_add(whole) >= self.burst {
                    // Full: tokens earned beyond the burst are lost, and the
                    // next one is a whole interval from now.
                    bucket.tokens = self.burst;
                    bucket.refilled = now;
                } else {
                    bucket.tokens += whole;
                    bucket.refilled += self.interval * whole;
                }
                if bucket.tokens > 0 {
                    bucket.tokens -= 1;
                    return;
                }
                bucket.refilled + self.interval
            };
            tokio::time::sleep_until(next_token_at).await;
        }
    }
}
