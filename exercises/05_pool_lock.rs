//! # pool_lock · lesson 05 · fix a thread pool that runs one job at a time (V2, S1)
//!
//! A [`ThreadPool`] of `size` worker threads takes jobs from one channel.
//! `std::sync::mpsc::Receiver` cannot be shared, so the workers share it
//! behind an `Arc<Mutex<..>>` and take turns receiving.
//!
//! The symptom: the pool has four workers, but its jobs run one at a time.
//! How long does each worker hold the receiver's lock?
//!
//! Fix the worker loop so that the lock is held only while receiving a job.
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
