//! RIGHT: a sense-reversing barrier: the shared `sense` flips once per round, and each waiter waits until it differs from the sense it saw when it arrived, however soon the next round starts counting.
use crate::sync::{Condvar, Mutex};

/// A barrier for `parties` threads, reusable round after round.
pub struct Barrier {
    parties: usize,
    state: Mutex<State>,
    flipped: Condvar,
}

struct State {
    /// Parties still to arrive in this round.
    missing: usize,
    /// Flips when a round is complete.
    sense: bool,
}

impl Barrier {
    pub fn new(parties: usize) -> Self {
        assert!(parties > 0, "a barrier needs at least one party");
        Self {
            parties,
            state: Mutex::new(State {
                missing: parties,
                sense: false,
            }),
            flipped: Condvar::new(),
        }
    }

    /// Waits until all parties reached the barrier in this round; true in
    /// exactly one of them.
    pub fn wait(&self) -> bool {
        let mut state = self.state.lock().unwrap();
        let arrived_with = state.sense;
        state.missing -= 1;
        if state.missing == 0 {
            state.missing = self.parties;
            state.sense = !state.sense;
            self.flipped.notify_all();
            return true;
        }
        while state.sense == arrived_with {
            state = self.flipped.wait(state).unwrap();
        }
        false
    }
}
