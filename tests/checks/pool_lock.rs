use super::{LIMIT, within};
use crate::ex::pool_lock::ThreadPool;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::time::Duration;

#[test]
fn jobs_run_at_the_same_time() {
    isolated!();
    within(
        Duration::from_secs(8),
        "the pool never stopped: do the workers end when the channel closes?",
        || {
            const WORKERS: usize = 4;
            let pool = ThreadPool::new(WORKERS);
            // Each job checks in, then waits (at most 1 s in all) until every job is
            // running at the same time, and reports the most it saw running.
            let gate = Arc::new((Mutex::new(0), Condvar::new()));
            let (done_tx, done_rx) = mpsc::channel();
            let deadline = std::time::Instant::now() + Duration::from_secs(1);
            for _ in 0..WORKERS {
                let (gate, done_tx) = (Arc::clone(&gate), done_tx.clone());
                pool.execute(move || {
                    let (running, changed) = &*gate;
                    let mut running = running.lock().unwrap();
                    *running += 1;
                    changed.notify_all();
                    let wait = deadline.saturating_duration_since(std::time::Instant::now());
                    let (mut running, _) = changed
                        .wait_timeout_while(running, wait, |n| *n < WORKERS)
                        .unwrap();
                    let _ = done_tx.send(*running);
                    *running -= 1;
                });
            }
            let mut most = 0;
            for _ in 0..WORKERS {
                let seen = done_rx
                    .recv_timeout(Duration::from_secs(8))
                    .expect("the jobs never finished");
                most = most.max(seen);
            }
            assert!(
                most == WORKERS,
                "at most {most} of {WORKERS} jobs ran at once on {WORKERS} workers: a worker holds \
             the queue's lock while it runs its job (the guard in a `while let` lives until the loop body ends)"
            );
        },
    );
}

#[test]
fn dropping_the_pool_runs_every_job() {
    isolated!();
    let ran = within(
        LIMIT,
        "dropping the pool never returned: do the workers stop when the channel closes?",
        || {
            let ran = Arc::new(AtomicUsize::new(0));
            let pool = ThreadPool::new(3);
            for _ in 0..30 {
                let ran = Arc::clone(&ran);
                pool.execute(move || {
                    ran.fetch_add(1, Ordering::SeqCst);
                });
            }
            drop(pool);
            ran.load(Ordering::SeqCst)
        },
    );
    assert_eq!(
        ran, 30,
        "every job submitted before the drop should have run"
    );
}
