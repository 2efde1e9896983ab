use super::{LIMIT, within};
use crate::ex::graceful_pool::Pool;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// What the jobs of one check record.
#[derive(Default)]
struct Record {
    started: AtomicUsize,
    finished: AtomicUsize,
    running: AtomicUsize,
    most_running: AtomicUsize,
    /// (job, thread) for every job that ran.
    ran: Mutex<Vec<(usize, ThreadId)>>,
    /// Worker threads that ran a job and have since ended.
    threads_ended: Arc<AtomicUsize>,
}

/// Counts the end of the thread it lives on (thread-locals are dropped as
/// their thread exits).
struct ThreadEnd(Arc<AtomicUsize>);
impl Drop for ThreadEnd {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}
thread_local! {
    static THREAD_END: std::cell::OnceCell<ThreadEnd> = const { std::cell::OnceCell::new() };
}

fn job(record: &Arc<Record>, id: usize, ms: u64) -> impl FnOnce() + Send + 'static {
    let record = Arc::clone(record);
    move || {
        THREAD_END.with(|end| {
            end.get_or_init(|| ThreadEnd(Arc::clone(&record.threads_ended)));
        });
        record.started.fetch_add(1, Ordering::SeqCst);
        let now = record.running.fetch_add(1, Ordering::SeqCst) + 1;
        record.most_running.fetch_max(now, Ordering::SeqCst);
        record
            .ran
            .lock()
            .unwrap()
            .push((id, std::thread::current().id()));
        std::thread::sleep(Duration::from_millis(ms));
        record.running.fetch_sub(1, Ordering::SeqCst);
        record.finished.fetch_add(1, Ordering::SeqCst);
    }
}

fn worker_threads(record: &Record) -> usize {
    let ran = record.ran.lock().unwrap();
    let mut threads: Vec<ThreadId> = ran.iter().map(|(_, thread)| *thread).collect();
    threads.sort_by_key(|t| format!("{t:?}"));
    threads.dedup();
    threads.len()
}

#[test]
fn shutdown_runs_every_job_once_on_the_workers() {
    isolated!();
    let record = Arc::new(Record::default());
    let caller = std::thread::current().id();
    let inner = Arc::clone(&record);
    within(LIMIT, "shutdown never returned", move || {
        let pool = Pool::new(3);
        for id in 0..30 {
            pool.submit(job(&inner, id, 1 + (id as u64 * 7) % 11));
        }
        pool.shutdown();
    });
    let at_return = record.finished.load(Ordering::SeqCst);
    let ended_at_return = record.threads_ended.load(Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(100));
    let mut ids: Vec<usize> = record
        .ran
        .lock()
        .unwrap()
        .iter()
        .map(|(id, _)| *id)
        .collect();
    ids.sort_unstable();
    let missing: Vec<usize> = (0..30).filter(|id| !ids.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "jobs submitted before shutdown never ran: {missing:?}"
    );
    assert_eq!(ids, (0..30).collect::<Vec<_>>(), "some job ran twice");
    assert_eq!(
        at_return, 30,
        "shutdown returned when {at_return} of 30 jobs had finished"
    );
    let threads = worker_threads(&record);
    assert!(
        record
            .ran
            .lock()
            .unwrap()
            .iter()
            .all(|(_, thread)| *thread != caller),
        "a job ran on the thread that submitted it"
    );
    assert!(
        threads >= 2 && record.most_running.load(Ordering::SeqCst) >= 2,
        "30 jobs on a pool of 3 never ran two at a time ({threads} thread(s) ran jobs)"
    );
    assert_eq!(
        ended_at_return,
        threads,
        "shutdown returned while {} of the {threads} worker threads that ran jobs were still alive",
        threads - ended_at_return
    );
}

#[test]
fn abort_starts_nothing_new_and_finishes_what_runs() {
    isolated!();
    let record = Arc::new(Record::default());
    let inner = Arc::clone(&record);
    let dropped = within(LIMIT, "abort never returned", move || {
        let pool = Pool::new(2);
        for id in 0..20 {
            pool.submit(job(&inner, id, 200));
        }
        let waited = Instant::now();
        while inner.started.load(Ordering::SeqCst) < 2 && waited.elapsed() < Duration::from_secs(2)
        {
            std::thread::sleep(Duration::from_millis(1));
        }
        pool.abort()
    });
    let (started, finished) = (
        record.started.load(Ordering::SeqCst),
        record.finished.load(Ordering::SeqCst),
    );
    let ended_at_return = record.threads_ended.load(Ordering::SeqCst);
    assert_eq!(
        finished,
        started,
        "abort returned while {} started job(s) were still running",
        started - finished
    );
    assert!(
        started <= 6,
        "abort was called while 2 jobs of 200 ms ran and 18 waited; {started} jobs ran in all"
    );
    assert_eq!(
        started + dropped,
        20,
        "{started} jobs ran and abort said {dropped} were dropped, of 20 submitted"
    );
    std::thread::sleep(Duration::from_millis(300));
    let later = record.started.load(Ordering::SeqCst);
    assert_eq!(
        later,
        started,
        "{} job(s) started after abort returned",
        later - started
    );
    let threads = worker_threads(&record);
    assert_eq!(
        ended_at_return,
        threads,
        "abort returned while {} worker thread(s) were still alive",
        threads - ended_at_return
    );
}

#[test]
fn a_panicking_job_does_not_take_the_pool_down() {
    isolated!();
    let record = Arc::new(Record::default());
    let inner = Arc::clone(&record);
    within(
        LIMIT,
        "shutdown never returned after a job panicked",
        move || {
            let pool = Pool::new(1);
            pool.submit(|| panic!("job 0 broke"));
            for id in 1..6 {
                pool.submit(job(&inner, id, 1));
            }
            pool.shutdown();
        },
    );
    let ran = record.ran.lock().unwrap().len();
    assert_eq!(
        ran, 5,
        "a pool of 1 worker: job 0 panicked, then only {ran} of the 5 jobs after it ran"
    );
}
