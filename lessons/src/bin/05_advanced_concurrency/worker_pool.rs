//! The async worker pool of the `async_worker_pool` demo: N worker tasks
//! share one bounded job queue; each job carries a oneshot sender for its
//! answer; closing the queue is the stop signal (no sentinels).
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use tracing::{Instrument, info_span};

pub struct WorkerPool {
    jobs: tokio::sync::mpsc::Sender<Job>,
    workers: JoinSet<usize>,
}

struct Job {
    id: u32,
    cost: Duration,
    reply: oneshot::Sender<String>,
}

impl WorkerPool {
    pub fn start(workers: usize, queue: usize) -> Self {
        let (jobs, inbox) = tokio::sync::mpsc::channel::<Job>(queue);
        let inbox = Arc::new(tokio::sync::Mutex::new(inbox));
        let mut set = JoinSet::new();
        for w in 0..workers {
            let inbox = inbox.clone();
            let worker = async move {
                let mut done = 0;
                loop {
                    // The inbox guard lives only inside this async block, so
                    // it is dropped before the job runs.
                    // `while let Some(job) = inbox.lock().await.recv().await`
                    // would hold the lock through the whole job.
                    let next = async { inbox.lock().await.recv().await }
                        .instrument(info_span!("recv", waiting_on = "the next job"))
                        .await;
                    let Some(job) = next else { break };
                    tokio::time::sleep(job.cost) // a sleep standing in for the job's I/O
                        .instrument(info_span!("job", waiting_on = "the job's I/O"))
                        .await;
                    let _ = job.reply.send(format!("job {} by worker {w}", job.id));
                    done += 1;
                }
                done
            };
            set.spawn(worker.instrument(info_span!("worker", task = %format!("worker {w}"))));
        }
        WorkerPool { jobs, workers: set }
    }

    pub async fn submit(&self, id: u32, cost: Duration) -> oneshot::Receiver<String> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { id, cost, reply })
            .instrument(info_span!("send", waiting_on = "room in the queue"))
            .await
            .expect("the workers are running");
        answer
    }

    /// Closes the queue; the workers finish what is queued, then return.
    pub async fn shutdown(self) -> Vec<usize> {
        let WorkerPool { jobs, workers } = self;
        drop(jobs);
        workers
            .join_all()
            .instrument(info_span!("join", waiting_on = "the workers to finish"))
            .await
    }
}
