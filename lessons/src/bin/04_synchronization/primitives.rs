//! Two primitives std does not have, built from a `Mutex` and a `Condvar`:
//! a counting semaphore (the `semaphore` demo) and an event (`condvar_event`).
//!
//! Both follow the one shape every correct `Condvar` wait has: lock, then
//! `while` the state says "not yet", `wait` (which unlocks while asleep and
//! locks again on waking), then act on the state under the same guard.
use std::sync::{Condvar, Mutex};
use tracing::info_span;

/// A counting semaphore: `acquire` takes one of N permits, sleeping while
/// there are none; the permit gives itself back when dropped.
pub struct Semaphore {
    permits: Mutex<usize>,
    returned: Condvar,
}

/// One permit; dropping it returns it (RAII, like Python's `with semaphore:`).
pub struct Permit<'a>(&'a Semaphore);

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Semaphore {
            permits: Mutex::new(permits),
            returned: Condvar::new(),
        }
    }

    pub fn acquire(&self) -> Permit<'_> {
        let _waiting = info_span!("acquire", waiting_on = "semaphore").entered();
        let mut permits = self.permits.lock().expect("semaphore poisoned");
        // `while`, not `if`: a wait can return with no permit free.
        while *permits == 0 {
            permits = self.returned.wait(permits).expect("semaphore poisoned");
        }
        *permits -= 1;
        Permit(self)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.0.permits.lock().expect("semaphore poisoned") += 1;
        self.0.returned.notify_one();
    }
}

/// Python's `threading.Event`: a flag threads can wait on. The flag lives
/// behind the Mutex, so a `set` that comes before anyone waits is not lost
/// (a bare `notify` with nobody waiting would be).
pub struct Event {
    is_set: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    pub fn new() -> Self {
        Event {
            is_set: Mutex::new(false),
            changed: Condvar::new(),
        }
    }

    pub fn set(&self) {
        *self.is_set.lock().expect("event poisoned") = true;
        self.changed.notify_all();
    }

    pub fn wait(&self, name: &str) {
        let _waiting = info_span!("wait", waiting_on = name).entered();
        let mut is_set = self.is_set.lock().expect("event poisoned");
        // `while`, not `if`: a wait may return without a notify (a spurious
        // wake-up), or after another thread changed the state back.
        while !*is_set {
            is_set = self.changed.wait(is_set).expect("event poisoned");
        }
    }
}
