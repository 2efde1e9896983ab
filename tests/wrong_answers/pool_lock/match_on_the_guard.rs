//! WRONG: `match receiver.lock().unwrap().recv() { Ok(job) => job(), .. }`: the temporary guard of a match scrutinee lives until the end of the match, job included; the checks must see the jobs run one at a time.
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
        match receiver.lock().unwrap().recv() {
            Ok(job) => job(),
            Err(_) => break,
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
