//! RIGHT: a Mutex<VecDeque> queue with no Condvar: idle workers park themselves, and submit, shutdown and abort unpark every worker thread by its handle.
//! # graceful_pool · lesson 05 · a thread pool that shuts down two ways (V2, V7)
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// A job for the pool.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    /// No more jobs will come: workers end once the queue is empty.
    closed: bool,
}

/// A fixed set of worker threads.
pub struct Pool {
    queue: Arc<Mutex<Queue>>,
    workers: Vec<JoinHandle<()>>,
}

impl Pool {
    /// Starts `workers` threads.
    pub fn new(workers: usize) -> Self {
        let queue = Arc::new(Mutex::new(Queue::default()));
        let workers = (0..workers)
            .map(|_| {
                let queue = Arc::clone(&queue);
                std::thread::spawn(move || work(&queue))
            })
            .collect();
        Self { queue, workers }
    }

    /// Queues `job` to run on a worker.
    pub fn submit(&self, job: impl FnOnce() + Send + 'static) {
        self.queue.lock().unwrap().jobs.push_back(Box::new(job));
        self.wake_all();
    }

    /// Runs every job submitted so far, then ends and joins the workers.
    pub fn shutdown(self) {
        self.queue.lock().unwrap().closed = true;
        self.wake_all();
        self.join();
    }

    /// Drops the jobs not started yet, lets running ones finish, joins the
    /// workers; returns how many jobs were dropped.
    pub fn abort(self) -> usize {
        let dropped = {
            let mut queue = self.queue.lock().unwrap();
            queue.closed = true;
            queue.jobs.drain(..).count()
        };
        self.wake_all();
        self.join();
        dropped
    }

    /// An unpark sent before the worker parks is kept as a token, so a
    /// worker that checked the queue and is about to park does not miss it.
    fn wake_all(&self) {
        for worker in &self.workers {
            worker.thread().unpark();
        }
    }

    fn join(self) {
        for worker in self.workers {
            worker.join().expect("a worker thread panicked");
        }
    }
}

fn work(queue: &Mutex<Queue>) {
    loop {
        let next = {
            let mut queue = queue.lock().unwrap();
            match queue.jobs.pop_front() {
                Some(job) => Some(job),
                None if queue.closed => return,
                None => None,
            }
        };
        match next {
            Some(job) => {
                let _ = catch_unwind(AssertUnwindSafe(job));
            }
            // park may also wake for no reason: the loop looks again.
            None => std::thread::park(),
        }
    }
}
