//! # pool_lock · lesson 05 · fix a thread pool that runs one job at a time (V2, S1)
//!
//! A [`ThreadPool`] of `size` worker threads takes jobs from one channel.
//! `std::sync::mpsc::Receiver` cannot be shared, so the workers share it
//! behind an `Arc<Mutex<..>>` and take turns receiving.
//!
//! The bug: the pool has four workers but runs its jobs one at a time. A
//! worker keeps the receiver's lock while it runs its job, so the other
//! workers wait for the lock instead of taking the next job. A lock guard
//! unlocks when it is dropped, and a guard held in a variable lives until the
//! end of its block, here the whole loop body, job included.
//!
//! Fix the worker loop so that the lock is held only while receiving: take
//! the job in one statement (`let job = receiver.lock().unwrap().recv();`),
//! where the guard is a temporary dropped at the `;`, then run the job.
//! (Beware the one-line `while let Ok(job) = receiver.lock().unwrap().recv()`:
//! temporaries in a `while let` condition live until the end of the body, so
//! it holds the lock during the job too.)
//!
//! Dropping the pool closes the channel and joins the workers, so every job
//! submitted before the drop has run when the drop returns.
//!
//! Check it: `cargo run -- check pool_lock`
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed number of worker threads running submitted jobs.
pub struct ThreadPool {
    jobs: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl ThreadPool {
    pub fn new(size: usize) -> Self {
        let (jobs, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let workers = (0..size)
            .map(|id| {
                let receiver = Arc::clone(&receiver);
                thread::Builder::new()
                    .name(format!("pool-{id}"))
                    .spawn(move || work(&receiver))
                    .expect("cannot start a worker")
            })
            .collect();
        Self {
            jobs: Some(jobs),
            workers,
        }
    }

    /// Queues `job` to run on one of the workers.
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        self.jobs
            .as_ref()
            .expect("the pool is running")
            .send(Box::new(job))
            .expect("the workers have stopped");
    }
}

fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        let receiver = receiver.lock().unwrap();
        // TODO: the pool runs only one job at a time. Why?
        match receiver.recv() {
            Ok(job) => job(),
            Err(_) => break, // every sender dropped: the pool is shutting down
        }
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}
