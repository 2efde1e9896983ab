//! WRONG: execute runs the job at once on the thread that calls it: every job runs and the drop is clean, but on the caller thread, one at a time; the checks must see where the jobs run.
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
        job();
    }
}

fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        // The guard is a temporary of this statement: unlocked at the `;`.
        let job = receiver.lock().unwrap().recv();
        match job {
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
