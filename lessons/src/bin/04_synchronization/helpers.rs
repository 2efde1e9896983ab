//! Small helpers for lesson 04 that are not the point of any demo.
use std::sync::{Barrier, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};
use tracing::info_span;

/// Waits at a barrier, recording the wait (lets threads start together).
pub fn wait_at(barrier: &Barrier) {
    let _waiting = info_span!("barrier", waiting_on = "start line").entered();
    barrier.wait();
}

/// Locks `mutex`, recording the wait in a span that names the lock.
pub fn lock<'a, T>(mutex: &'a Mutex<T>, name: &str) -> MutexGuard<'a, T> {
    let _waiting = info_span!("lock", waiting_on = name).entered();
    mutex
        .lock()
        .expect("a thread panicked while holding the lock")
}

/// Spawns a named scoped thread: names show in panics, debuggers and lanes.
pub fn named<'scope, T: Send + 'scope>(
    scope: &'scope thread::Scope<'scope, '_>,
    name: &str,
    work: impl FnOnce() -> T + Send + 'scope,
) -> thread::ScopedJoinHandle<'scope, T> {
    thread::Builder::new()
        .name(name.to_string())
        .spawn_scoped(scope, work)
        .expect("spawn a thread")
}

/// A tokio runtime with two worker threads (this lesson's machine has two
/// cores; the async demos here only wait, so more would not help).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("start a tokio runtime")
}

/// Keeps the CPU busy for `duration` (work that a flag can interrupt).
pub fn busy_for(duration: Duration) {
    let until = Instant::now() + duration;
    while Instant::now() < until {
        std::hint::spin_loop();
    }
}

/// `starvation`'s greedy thread: holds a lock 2 ms at a time for `period`,
/// taking it again the moment it lets go. Returns how many turns it took.
pub fn hog<G: std::ops::DerefMut<Target = u64>>(period: Duration, relock: impl Fn() -> G) -> u64 {
    let until = Instant::now() + period;
    let mut turns = 0;
    let mut value = relock();
    while Instant::now() < until {
        let held = info_span!("holding", lock = "shared").entered();
        *value += 1;
        thread::sleep(Duration::from_millis(2));
        turns += 1;
        drop(held);
        drop(value);
        value = relock(); // nothing between unlock and lock
    }
    turns
}
