//! RIGHT: an mpsc channel shared behind a Mutex<Receiver>; closing the channel ends the workers, and an abort flag makes them drop (and count) what they still receive.
//! # graceful_pool · lesson 05 · a thread pool that shuts down two ways (V2, V7)
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

pub type Job = Box<dyn FnOnce() + Send + 'static>;

pub struct Pool {
    sender: Sender<Job>,
    aborted: Arc<AtomicBool>,
    dropped: Arc<AtomicUsize>,
    workers: Vec<JoinHandle<()>>,
}

impl Pool {
    pub fn new(workers: usize) -> Self {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let aborted = Arc::new(AtomicBool::new(false));
        let dropped = Arc::new(AtomicUsize::new(0));
        let workers = (0..workers)
            .map(|_| {
                let (receiver, aborted, dropped) =
                    (Arc::clone(&receiver), Arc::clone(&aborted), Arc::clone(&dropped));
                std::thread::spawn(move || work(&receiver, &aborted, &dropped))
            })
            .collect();
        Self {
            sender,
            aborted,
            dropped,
            workers,
        }
    }

    pub fn submit(&self, job: impl FnOnce() + Send + 'static) {
        self.sender.send(Box::new(job)).expect("the workers are gone");
    }

    pub fn shutdown(self) {
        drop(self.sender);
        for worker in self.workers {
            worker.join().unwrap();
        }
    }

    pub fn abort(self) -> usize {
        self.aborted.store(true, Ordering::SeqCst);
        drop(self.sender);
        for worker in self.workers {
            worker.join().unwrap();
        }
        self.dropped.load(Ordering::SeqCst)
    }
}

fn work(receiver: &Mutex<Receiver<Job>>, aborted: &AtomicBool, dropped: &AtomicUsize) {
    loop {
        // The guard is a temporary: the lock is released before the job runs.
        let next = receiver.lock().unwrap().recv();
        let Ok(job) = next else { return };
        if aborted.load(Ordering::SeqCst) {
            dropped.fetch_add(1, Ordering::SeqCst);
        } else {
            let _ = catch_unwind(AssertUnwindSafe(job));
        }
    }
}
