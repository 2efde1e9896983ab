//! RIGHT: each delay worked out from the failure count (first_delay × 2^k with checked_pow/checked_mul, capped), the timeout as a deadline with timeout_at, the timed-out case flattened into an Err.
//! # retry_backoff · lesson 06 · retry with exponential backoff and jitter (P3, A11)
//!
//! A flaky service fails now and then; calling it again at once, from
//! every client at the same moment, makes it worse. Write [`retry`]:
//!
//! - Call `attempt()` up to `policy.attempts` times; return the first
//!   `Ok`. If every attempt fails, return [`Failed`] with the number of
//!   attempts made and the last error.
//! - An attempt that takes longer than `policy.attempt_timeout` counts as
//!   failed with the error `"timed out"` (stop waiting for it: drop it).
//! - Between attempts, wait. The delay after the first failure is
//!   `policy.first_delay`, and it doubles after each failure, but never
//!   beyond `policy.max_delay` (and never overflows, however many
//!   attempts). Do not wait after the last attempt.
//! - Pass each computed delay to `jitter` and sleep for what it returns:
//!   clients then spread their retries instead of all coming back in step.
//!   Real code uses [`random_jitter`]; the checks pass their own.
//!
//! Use `tokio::time` (`sleep`, `timeout`): the checks run on a paused
//! clock and look at exactly when each attempt started.
//!
//! Check it: `cargo run -- check retry_backoff`
use std::hash::{BuildHasher, RandomState};
use std::time::Duration;
use tokio::time::{Instant, sleep, timeout_at};

/// When and how often to try again.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// At most this many calls of the operation (at least 1).
    pub attempts: u32,
    /// The wait after the first failure; it doubles after each failure.
    pub first_delay: Duration,
    /// The longest wait.
    pub max_delay: Duration,
    /// An attempt still running after this long has failed.
    pub attempt_timeout: Duration,
}

/// Every attempt failed.
#[derive(Debug, PartialEq, Eq)]
pub struct Failed {
    pub attempts: u32,
    pub last_error: String,
}

/// A random duration between half of `delay` and all of it.
pub fn random_jitter(delay: Duration) -> Duration {
    let random = RandomState::new().hash_one(std::time::Instant::now());
    delay / 2 + delay.mul_f64((random % 1_000) as f64 / 2_000.0)
}

/// Calls `attempt` until it succeeds or `policy.attempts` calls failed.
pub async fn retry<T, F, Fut>(
    policy: &Backoff,
    mut jitter: impl FnMut(Duration) -> Duration,
    mut attempt: F,
) -> Result<T, Failed>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let attempts = policy.attempts.max(1);
    let mut failures: u32 = 0;
    loop {
        let deadline = Instant::now() + policy.attempt_timeout;
        let error = match timeout_at(deadline, attempt())
            .await
            .unwrap_or_else(|_elapsed| Err("timed out".to_string()))
        {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        failures += 1;
        if failures == attempts {
            return Err(Failed {
                attempts: failures,
                last_error: error,
            });
        }
        sleep(jitter(delay_after(policy, failures))).await;
    }
}

/// The wait after the `failures`-th failure: `first_delay` doubled
/// `failures - 1` times, never above `max_delay`; an overflow is the cap too.
fn delay_after(policy: &Backoff, failures: u32) -> Duration {
    2u32.checked_pow(failures - 1)
        .and_then(|factor| policy.first_delay.checked_mul(factor))
        .map_or(policy.max_delay, |delay| delay.min(policy.max_delay))
}
