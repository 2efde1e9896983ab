use super::{assert_about, paused};
use crate::ex::keep_going::{Job, run_all};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::{Instant, sleep};

/// A job that sleeps `ms` of virtual time, then counts itself as finished
/// and returns `value`.
fn healthy(ms: u64, value: u64, finished: &Arc<AtomicUsize>) -> Job {
    let finished = Arc::clone(finished);
    Box::pin(async move {
        sleep(Duration::from_millis(ms)).await;
        finished.fetch_add(1, Ordering::SeqCst);
        Ok(value)
    })
}

#[test]
fn one_result_per_job_in_job_order() {
    isolated!();
    let (results, took) = paused("run_all never returned", || async {
        let finished = Arc::new(AtomicUsize::new(0));
        // Distinct lengths, so the jobs finish in another order than given.
        let jobs = vec![
            healthy(300, 1, &finished),
            healthy(100, 2, &finished),
            Box::pin(async {
                sleep(Duration::from_millis(200)).await;
                Err("no such user".to_string())
            }) as Job,
            healthy(50, 4, &finished),
        ];
        let start = Instant::now();
        (run_all(jobs).await, start.elapsed())
    });
    assert_eq!(
        results,
        [Ok(1), Ok(2), Err("no such user".to_string()), Ok(4)],
        "one result per job, in the order the jobs were given"
    );
    assert_about(
        took,
        Duration::from_millis(300),
        "jobs of 300, 100, 200 and 50 ms should run at once (about 300 ms in all)",
    );
}

#[test]
fn a_panicking_job_does_not_stop_the_others() {
    isolated!();
    let (results, finished, took) = paused("run_all never returned", || async {
        let finished = Arc::new(AtomicUsize::new(0));
        let jobs = vec![
            healthy(1000, 10, &finished),
            Box::pin(async {
                sleep(Duration::from_millis(100)).await;
                if true {
                    panic!("thumbnail 2 is corrupt");
                }
                Ok::<u64, String>(20)
            }) as Job,
            Box::pin(async { Err("quota exceeded".to_string()) }) as Job,
            healthy(2000, 40, &finished),
            // A formatted panic message is a String, a literal one a &str.
            Box::pin(async {
                sleep(Duration::from_millis(300)).await;
                let album = 5;
                if true {
                    panic!("album {album} has no cover");
                }
                Ok::<u64, String>(50)
            }) as Job,
        ];
        let start = Instant::now();
        let results = run_all(jobs).await;
        (results, finished.load(Ordering::SeqCst), start.elapsed())
    });
    assert_eq!(
        finished, 2,
        "when run_all returned, {finished} of the 2 healthy jobs had finished"
    );
    assert_eq!(results.len(), 5, "one result per job: {results:?}");
    assert_eq!(results[0], Ok(10), "job 0");
    assert!(
        matches!(&results[1], Err(message) if message.contains("thumbnail 2 is corrupt")),
        "job 1 panicked with \"thumbnail 2 is corrupt\"; its result was {:?}",
        results[1]
    );
    assert_eq!(results[2], Err("quota exceeded".to_string()), "job 2");
    assert_eq!(results[3], Ok(40), "job 3");
    assert!(
        matches!(&results[4], Err(message) if message.contains("album 5 has no cover")),
        "job 4 panicked with a formatted message, \"album {{album}} has no cover\" with album = 5 \
         (its payload is a String, not a &str); its result was {:?}",
        results[4]
    );
    assert_about(
        took,
        Duration::from_millis(2000),
        "the jobs should run at once (the longest takes 2 s)",
    );
}
