//! WRONG: an `open` flag instead of a round number: the last arrival sets it, and the first arrival of the next round clears it; a slow waiter of the last round that has not woken yet sees it cleared and waits on, for a round it is not in (the checks must see the hang).
use crate::sync::{Condvar, Mutex};

/// A barrier for `parties` threads, reusable round after round.
pub struct Barrier {
    parties: usize,
    state: Mutex<State>,
    opened: Condvar,
}

struct State {
    arrived: usize,
    open: bool,
}

impl Barrier {
    pub fn new(parties: usize) -> Self {
        assert!(parties > 0, "a barrier needs at least one party");
        Self {
            parties,
            state: Mutex::new(State {
                arrived: 0,
                open: false,
            }),
            opened: Condvar::new(),
        }
    }

    /// Waits until all parties reached the barrier in this round; true in
    /// exactly one of them.
    pub fn wait(&self) -> bool {
        let mut state = self.state.lock().unwrap();
        if state.arrived == 0 {
            state.open = false; // a new round starts closed
        }
        state.arrived += 1;
        if state.arrived == self.parties {
            state.arrived = 0;
            state.open = true;
            self.opened.notify_all();
            return true;
        }
        while !state.open {
            state = self.opened.wait(state).unwrap();
        }
        false
    }
}
