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
        "4 jobs that wait for each other (1 s at most) on a pool of 4 never finished, \
         or dropping the pool never returned",
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
                "at most {most} of {WORKERS} jobs ran at once on {WORKERS} workers"
            );
        },
    );
}

#[test]
fn dropping_the_pool_runs_every_job() {
    isolated!();
    let ran = within(
        LIMIT,
        "dropping the pool never returned after its 30 jobs",
        || {
            let ran = Arc::new(AtomicUsize::new(0));
            let pool = ThreadPool::new(3);
            for _ in 0..30 {
                let ran = Arc::clone(&ran);
                pool.execute(move || {
                    std::thread::sleep(Duration::from_millis(2));
                    ran.fetch_add(1, Ordering::SeqCst);
                });
            }
            drop(pool);
            ran.load(Ordering::SeqCst)
        },
    );
    assert_eq!(
        ran, 30,
        "when dropping the pool returned, {ran} of the 30 jobs submitted before it had run"
    );
}

#[test]
fn jobs_run_on_the_workers() {
    isolated!();
    let (caller, ran_on) = within(LIMIT, "the pool never ran its 8 jobs", || {
        let pool = ThreadPool::new(2);
        let (done_tx, done_rx) = mpsc::channel();
        for _ in 0..8 {
            let done_tx = done_tx.clone();
            pool.execute(move || {
                let _ = done_tx.send(std::thread::current().id());
            });
        }
        drop(pool);
        drop(done_tx);
        (
            std::thread::current().id(),
            done_rx.iter().collect::<Vec<_>>(),
        )
    });
    assert_eq!(ran_on.len(), 8, "{} of 8 jobs ran", ran_on.len());
    let on_caller = ran_on.iter().filter(|id| **id == caller).count();
    assert_eq!(
        on_caller, 0,
        "{on_caller} of 8 jobs ran on the thread that called execute"
    );
}

#[test]
fn an_idle_pool_still_takes_jobs() {
    isolated!();
    let ran = within(
        Duration::from_secs(6),
        "jobs given to a pool after it was idle for 1.5 s never ran",
        || {
            let pool = ThreadPool::new(2);
            let ran = Arc::new(AtomicUsize::new(0));
            std::thread::sleep(Duration::from_millis(1500));
            for _ in 0..4 {
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
        ran, 4,
        "{ran} of 4 jobs given after 1.5 s idle had run when the pool was dropped"
    );
}
