use super::paused;
use crate::ex::rate_limiter::TokenBucket;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::{Instant, sleep};

fn ms(d: Duration) -> i64 {
    d.as_millis() as i64
}

#[test]
fn a_burst_then_the_rate() {
    isolated!();
    let times = paused("acquire never returned", || async {
        let bucket = TokenBucket::new(10.0, 5);
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..15 {
            bucket.acquire().await;
            times.push(ms(start.elapsed()));
        }
        times
    });
    // 5 at once from the full bucket, then one every 100 ms.
    let expected = [
        0, 0, 0, 0, 0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000,
    ];
    let close = times.iter().zip(expected).all(|(t, e)| (t - e).abs() <= 5);
    assert!(
        close,
        "times of the 15 acquires (ms): {times:?}, expected about {expected:?}"
    );
}

#[test]
fn the_bucket_holds_no_more_than_the_burst() {
    isolated!();
    let times = paused("acquire never returned", || async {
        let bucket = TokenBucket::new(10.0, 3);
        sleep(Duration::from_secs(10)).await; // idle: refills, but only to 3
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..5 {
            bucket.acquire().await;
            times.push(ms(start.elapsed()));
        }
        times
    });
    let expected = [0, 0, 0, 100, 200];
    let close = times.iter().zip(expected).all(|(t, e)| (t - e).abs() <= 5);
    assert!(
        close,
        "after a long idle the bucket holds only `burst` tokens: got {times:?} ms, expected {expected:?}"
    );
}

#[test]
fn shared_by_many_tasks() {
    isolated!();
    let mut times = paused("acquire never returned", || async {
        let bucket = Arc::new(TokenBucket::new(20.0, 2));
        let start = Instant::now();
        let tasks: Vec<_> = (0..22)
            .map(|_| {
                let bucket = Arc::clone(&bucket);
                tokio::spawn(async move {
                    bucket.acquire().await;
                    ms(start.elapsed())
                })
            })
            .collect();
        let mut times = Vec::new();
        for task in tasks {
            times.push(task.await.unwrap());
        }
        times
    });
    times.sort_unstable();
    // 2 at once, then one every 50 ms: the 22nd at 1 s.
    for (i, &t) in times.iter().enumerate() {
        let earliest = (i as i64 - 1).max(0) * 50;
        assert!(
            t >= earliest - 5 && t <= earliest + 50,
            "22 tasks sharing a bucket of 2 refilled at 20/s: request {i} went at {t} ms, expected about {earliest} ms; all: {times:?}"
        );
    }
}
