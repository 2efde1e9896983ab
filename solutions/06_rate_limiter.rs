//! # rate_limiter · lesson 06 · a token-bucket rate limiter (P3)
//!
//! An API allows `per_second` requests a second, with short bursts of up to
//! `burst`. A token bucket enforces that: the bucket holds up to `burst`
//! tokens and starts full; it gains `per_second` tokens a second (never more
//! than `burst`); each request takes one token, and waits for one when the
//! bucket is empty.
//!
//! Write [`TokenBucket::acquire`]. Work out how many tokens have been added
//! since the last look (time passed × `per_second`), and if there is less
//! than one token, sleep until there will be one.
//!
//! Use `tokio::time::Instant` and `tokio::time::sleep`, not the `std` ones:
//! tokio's clock can be paused and advanced by tests, which is how the check
//! measures your limiter exactly and without waiting. Do not hold the lock
//! across the sleep, or every other caller waits for you for no reason.
//!
//! Check it: `cargo run -- check rate_limiter`
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
                bucket.updated = now;
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
