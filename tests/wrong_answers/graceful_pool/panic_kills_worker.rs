//! WRONG: no catch_unwind: a panicking job ends its worker thread, and the jobs queued behind it never run.
//! # graceful_pool · lesson 05 · a thread pool that shuts down two ways (V2, V7)
//!
//! Build a pool of worker threads that run submitted jobs, and that can be
//! stopped in two ways:
//! - [`Pool::shutdown`] **drains**: every job submitted before it runs,
//!   exactly once; then the workers stop and `shutdown` joins them.
//! - [`Pool::abort`] **stops soon**: no job that has not started yet
//!   will start; the jobs already running finish; the workers are joined;
//!   it returns how many jobs were dropped without running.
//!
//! Both return only when every worker thread has ended. No job may be lost
//! by `shutdown`, and no job may ever run twice. A job that panics must not
//! take its worker down: the pool goes on with the next job.
//!
//! The choice of parts is yours: a `Mutex<VecDeque<Job>>` with a `Condvar`
//! (abort can then count and clear the queue in one step), or a channel
//! whose closing tells the workers to finish. `std::panic::catch_unwind`
//! (with `AssertUnwindSafe`) keeps a panic inside one job.
//!
//! Check it: `cargo run -- check graceful_pool`
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

/// A job for the pool.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed set of worker threads.
pub struct Pool {
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
}

struct Shared {
    queue: Mutex<Queue>,
    changed: Condvar,
}

struct Queue {
    jobs: VecDeque<Job>,
    /// Set by shutdown and abort: no more jobs will come.
    closed: bool,
}

impl Pool {
    /// Starts `workers` threads.
    pub fn new(workers: usize) -> Self {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                jobs: VecDeque::new(),
                closed: false,
            }),
            changed: Condvar::new(),
        });
        let workers = (0..workers)
            .map(|_| {
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || work(&shared))
            })
            .collect();
        Self { shared, workers }
    }

    /// Queues `job` to run on a worker.
    pub fn submit(&self, job: impl FnOnce() + Send + 'static) {
        self.shared.queue.lock().unwrap().jobs.push_back(Box::new(job));
        self.shared.changed.notify_one();
    }

    /// Runs every job submitted so far, then ends and joins the workers.
    pub fn shutdown(self) {
        self.shared.queue.lock().unwrap().closed = true;
        self.shared.changed.notify_all();
        self.join();
    }

    /// Drops the jobs not started yet, lets running ones finish, joins the
    /// workers; returns how many jobs were dropped.
    pub fn abort(self) -> usize {
        let dropped = {
            let mut queue = self.shared.queue.lock().unwrap();
            queue.closed = true;
            // Count and clear in one step under the lock, so no worker can
            // start one of them in between.
            std::mem::take(&mut queue.jobs).len()
        };
        self.shared.changed.notify_all();
        self.join();
        dropped
    }

    fn join(self) {
        for worker in self.workers {
            let _ = worker.join();
        }
    }
}

/// A worker: take the next job and run it, until the queue is closed and
/// empty.
fn work(shared: &Shared) {
    loop {
        let job = {
            let mut queue = shared.queue.lock().unwrap();
            loop {
                if let Some(job) = queue.jobs.pop_front() {
                    break job;
                }
                if queue.closed {
                    return;
                }
                queue = shared.changed.wait(queue).unwrap();
            }
        };
        // The lock is released before the job runs, and a panic stays in
        // its job.
        job();
    }
}
