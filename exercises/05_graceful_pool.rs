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
    workers: Vec<JoinHandle<()>>,
    // TODO: what the pool shares with its workers.
}

impl Pool {
    /// Starts `workers` threads.
    pub fn new(workers: usize) -> Self {
        // TODO
        todo!("start the workers")
    }

    /// Queues `job` to run on a worker.
    pub fn submit(&self, job: impl FnOnce() + Send + 'static) {
        // TODO
        todo!("hand the job to a worker")
    }

    /// Runs every job submitted so far, then ends and joins the workers.
    pub fn shutdown(self) {
        // TODO
        todo!("drain, then stop")
    }

    /// Drops the jobs not started yet, lets running ones finish, joins the
    /// workers; returns how many jobs were dropped.
    pub fn abort(self) -> usize {
        // TODO
        todo!("stop soon")
    }
}
