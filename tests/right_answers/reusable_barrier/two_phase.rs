//! RIGHT: no round number: a round fills up, then drains; arrivals for the next round wait until the last thread of this one has left.
//! # reusable_barrier · lesson 04 · a barrier you can use round after round (S2, S3)
use crate::sync::{Condvar, Mutex};

pub struct Barrier {
    parties: usize,
    state: Mutex<State>,
    changed: Condvar,
}

struct State {
    inside: usize,
    draining: bool,
}

impl Barrier {
    pub fn new(parties: usize) -> Self {
        assert!(parties > 0, "a barrier needs at least one party");
        Self {
            parties,
            state: Mutex::new(State {
                inside: 0,
                draining: false,
            }),
            changed: Condvar::new(),
        }
    }

    pub fn wait(&self) -> bool {
        let mut state = self.state.lock().unwrap();
        // Wait until the last round has emptied out.
        while state.draining {
            state = self.changed.wait(state).unwrap();
        }
        state.inside += 1;
        let leader = state.inside == self.parties;
        if leader {
            state.draining = true;
            self.changed.notify_all();
        } else {
            while !state.draining {
                state = self.changed.wait(state).unwrap();
            }
        }
        state.inside -= 1;
        if state.inside == 0 {
            state.draining = false;
            self.changed.notify_all();
        }
        leader
    }
}
