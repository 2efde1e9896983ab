use super::paused;
use crate::ex::retry_backoff::{Backoff, Failed, retry};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::{Instant, sleep};

const MS: Duration = Duration::from_millis(1);

/// A run of `retry`: what it returned, when (virtual ms from the start)
/// each attempt began, and the delays it handed to `jitter`.
struct Run<T> {
    result: Result<T, Failed>,
    started_at: Vec<u128>,
    asked_jitter: Vec<u128>,
    took: u128,
}

/// Runs `retry` with `policy`, a jitter that halves each delay, and
/// attempts that behave as `outcome(attempt number)` says, after
/// `work(attempt number)` of virtual time.
fn run(
    policy: Backoff,
    work: fn(u32) -> Duration,
    outcome: fn(u32) -> Result<u32, String>,
) -> Run<u32> {
    paused("retry never returned", move || async move {
        let start = Instant::now();
        let started_at = Arc::new(Mutex::new(Vec::new()));
        let mut asked_jitter = Vec::new();
        let mut number = 0;
        let result = retry(
            &policy,
            |delay| {
                asked_jitter.push(delay.as_millis());
                delay / 2
            },
            || {
                number += 1;
                let (n, started_at) = (number, Arc::clone(&started_at));
                async move {
                    started_at.lock().unwrap().push(start.elapsed().as_millis());
                    sleep(work(n)).await;
                    outcome(n)
                }
            },
        )
        .await;
        let started_at = started_at.lock().unwrap().clone();
        Run {
            result,
            started_at,
            asked_jitter,
            took: start.elapsed().as_millis(),
        }
    })
}

fn policy(attempts: u32, first_ms: u64, max_ms: u64) -> Backoff {
    Backoff {
        attempts,
        first_delay: Duration::from_millis(first_ms),
        max_delay: Duration::from_millis(max_ms),
        attempt_timeout: Duration::from_secs(10),
    }
}

#[test]
fn the_first_success_ends_the_retries() {
    isolated!();
    let run = run(
        policy(5, 100, 1000),
        |_| Duration::ZERO,
        |n| {
            if n < 3 {
                Err(format!("busy {n}"))
            } else {
                Ok(n * 10)
            }
        },
    );
    assert_eq!(run.result, Ok(30), "the third attempt succeeded with 30");
    assert_eq!(
        run.started_at.len(),
        3,
        "attempts made (the third succeeded)"
    );
    assert_eq!(
        run.asked_jitter,
        [100, 200],
        "delays (ms) handed to jitter after the first and second failure"
    );
    assert_eq!(
        run.started_at,
        [0, 50, 150],
        "attempts started at these virtual ms (jitter halved the delays of 100 and 200 ms)"
    );
}

#[test]
fn it_gives_up_with_the_last_error_and_caps_the_delay() {
    isolated!();
    let run = run(
        policy(6, 100, 500),
        |_| 10 * MS,
        |n| Err(format!("down {n}")),
    );
    assert_eq!(
        run.result,
        Err(Failed {
            attempts: 6,
            last_error: "down 6".to_string()
        }),
        "6 attempts, all failed"
    );
    assert_eq!(
        run.asked_jitter,
        [100, 200, 400, 500, 500],
        "delays (ms) between 6 attempts, doubling from 100 ms, at most 500 ms"
    );
    assert_eq!(
        run.started_at,
        [0, 60, 170, 380, 640, 900],
        "attempts of 10 ms started at these virtual ms (halved delays between them)"
    );
    assert_eq!(
        run.took,
        910,
        "retry returned {} ms after the last attempt ended (it should not wait after the last)",
        run.took as i128 - 910
    );
}

#[test]
fn a_hanging_attempt_times_out() {
    isolated!();
    let run = run(
        Backoff {
            attempt_timeout: Duration::from_secs(1),
            ..policy(3, 100, 1000)
        },
        // The first attempt would take an hour.
        |n| {
            if n == 1 {
                Duration::from_secs(3600)
            } else {
                10 * MS
            }
        },
        Ok,
    );
    assert_eq!(run.result, Ok(2), "the second attempt succeeds");
    assert_eq!(
        run.started_at,
        [0, 1050],
        "the first attempt hung; with a timeout of 1 s and a delay of 100 ms (halved), \
         the second should start at 1050 ms"
    );
}

#[test]
fn many_attempts_do_not_overflow_the_delay() {
    isolated!();
    let run = run(
        policy(80, 1, 40),
        |_| Duration::ZERO,
        |_| Err("down".to_string()),
    );
    assert_eq!(
        run.result.map_err(|f| f.attempts),
        Err(80),
        "80 attempts, all failed"
    );
    let longest = run.asked_jitter.iter().max().copied().unwrap_or(0);
    assert_eq!(
        longest, 40,
        "the longest delay asked for was {longest} ms; the cap is 40 ms"
    );
}
