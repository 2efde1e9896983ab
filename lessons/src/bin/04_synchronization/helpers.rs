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
