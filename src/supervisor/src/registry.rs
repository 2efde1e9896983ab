//! The one list of what is alive: every supervised child while it runs, so
//! that a signal handler or a quitting TUI can stop them all.
use crate::stopper::Stopper;
use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

static ALIVE: Mutex<BTreeMap<i32, Stopper>> = Mutex::new(BTreeMap::new());

pub(crate) fn add(pid: i32, stopper: Stopper) {
    ALIVE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(pid, stopper);
}

pub(crate) fn remove(pid: i32) {
    ALIVE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&pid);
}

/// How many supervised children are alive.
pub fn alive() -> usize {
    ALIVE.lock().unwrap_or_else(PoisonError::into_inner).len()
}

/// Stops every supervised child and its whole tree (their owners see
/// [`crate::Outcome::Stopped`]). Safe to call from any thread, any time.
pub fn stop_all() {
    let stoppers: Vec<Stopper> = ALIVE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .values()
        .cloned()
        .collect();
    for stopper in stoppers {
        stopper.stop();
    }
}
