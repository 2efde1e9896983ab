//! RIGHT: the free count is an AtomicUsize taken with a compare-and-swap loop (no lock on the fast path); the Mutex<()> and Condvar are only for sleeping, and a release takes the lock before notifying so no sleeper misses it.
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Condvar, Mutex};

pub struct Semaphore {
    free: AtomicUsize,
    sleepers: Mutex<()>,
    released: Condvar,
}

pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Self {
            free: AtomicUsize::new(permits),
            sleepers: Mutex::new(()),
            released: Condvar::new(),
        }
    }

    pub fn acquire(&self) -> Permit<'_> {
        loop {
            if let Some(permit) = self.try_acquire() {
                return permit;
            }
            let mut guard = self.sleepers.lock().unwrap();
            // Looked at under the lock: a release cannot slip in between
            // this look and the wait, because it must take the lock to notify.
            while self.free.load(Ordering::SeqCst) == 0 {
                guard = self.released.wait(guard).unwrap();
            }
        }
    }

    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        self.free
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |free| {
                free.checked_sub(1)
            })
            .ok()
            .map(|_| Permit { semaphore: self })
    }

    pub fn available(&self) -> usize {
        self.free.load(Ordering::SeqCst)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.free.fetch_add(1, Ordering::SeqCst);
        let _guard = self.semaphore.sleepers.lock().unwrap();
        self.semaphore.released.notify_one();
    }
}
