use super::{assert_about, paused};
use crate::ex::async_pool::{Job, run_limited};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::{Instant, sleep};

/// Job 0 runs 3 s, jobs 1 to 9 about 1 s each, of different lengths.
fn job_millis(i: u64) -> u64 {
    if i == 0 {
        3000
    } else {
        1000 + 10 * ((i * 7) % 9)
    }
}

#[test]
fn at_most_limit_at_once_results_in_order() {
    isolated!();
    let (results, took, most) = paused("run_limited never returned", || async {
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let jobs: Vec<Job> = (0..10u64)
            .map(|i| {
                let (running, most) = (Arc::clone(&running), Arc::clone(&most));
                Box::pin(async move {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    sleep(Duration::from_millis(job_millis(i))).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                    i * 2
                }) as Job
            })
            .collect();
        let start = Instant::now();
        let results = run_limited(jobs, 3).await;
        (results, start.elapsed(), most.load(Ordering::SeqCst))
    });
    let expected: Vec<Result<u64, String>> = (0..10).map(|i| Ok(i * 2)).collect();
    assert_eq!(
        results, expected,
        "one result per job, in job order (the jobs finish in another order)"
    );
    assert!(most <= 3, "with limit 3, {most} jobs ran at once");
    assert_eq!(
        most, 3,
        "with limit 3 and 10 jobs, never more than {most} ran at once"
    );
    // A slot that frees is filled at once: the 3 s job holds one slot while
    // the other two run the 1 s jobs, about 4 s in all. Waiting for a whole
    // group of 3 before starting the next takes about 6 s.
    assert!(
        took <= Duration::from_millis(4600),
        "a 3 s job and nine 1 s jobs, 3 at a time, took {took:?} of virtual time: \
         slots stayed empty while jobs were waiting"
    );
}

#[test]
fn a_panicking_job_is_an_error() {
    isolated!();
    let (results, took) = paused("run_limited never returned", || async {
        let jobs: Vec<Job> = vec![
            Box::pin(async {
                sleep(Duration::from_secs(1)).await;
                1
            }),
            Box::pin(async { panic!("job 1 broke") }),
            Box::pin(async {
                sleep(Duration::from_secs(1)).await;
                3
            }),
            // A formatted message is a String payload, a literal a &str.
            Box::pin(async {
                sleep(Duration::from_millis(500)).await;
                let job = 3;
                panic!("job {job} broke too")
            }),
        ];
        let start = Instant::now();
        (run_limited(jobs, 8).await, start.elapsed())
    });
    assert_eq!(results[0], Ok(1));
    assert_eq!(
        results[1],
        Err("job 1 broke".to_string()),
        "Err holds the panic message"
    );
    assert_eq!(results[2], Ok(3));
    assert_eq!(
        results[3],
        Err("job 3 broke too".to_string()),
        "Err holds the panic message, also when it was formatted (a String, not a &str)"
    );
    assert_about(took, Duration::from_secs(1), "the three jobs run at once");
}
