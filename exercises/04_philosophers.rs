//! # philosophers · lesson 04 · fix the dining philosophers' deadlock (S6)
//!
//! `seats` philosophers sit at a round table with one fork between each pair.
//! Philosopher `i` needs fork `i` (on the left) and fork `(i + 1) % seats`
//! (on the right) to eat. Each fork is a `Mutex`. [`dine`] seats them and
//! lets each eat `meals` times.
//!
//! The symptom: dinner never ends. Run the check: it gives up after 3 s
//! instead of hanging. When it hangs, which fork is each philosopher waiting
//! for, and who holds it?
//!
//! Change only [`forks_for`], the order in which a philosopher picks up the
//! two forks, so that dinner always ends, for any number of seats. Leave
//! `dine` as it is.
//!
//! Check it: `cargo run -- check philosophers`
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

/// The forks philosopher `seat` picks up: first, then second.
pub fn forks_for(seat: usize, seats: usize) -> (usize, usize) {
    let left = seat;
    let right = (seat + 1) % seats;
    // TODO: which fork first? Dinner must always end.
    (left, right)
}

/// Every philosopher eats `meals` times; returns the meals eaten in all.
pub fn dine(seats: usize, meals: usize) -> usize {
    let forks: Vec<Mutex<()>> = (0..seats).map(|_| Mutex::new(())).collect();
    let eaten = AtomicUsize::new(0);
    thread::scope(|scope| {
        for seat in 0..seats {
            let (forks, eaten) = (&forks, &eaten);
            thread::Builder::new()
                .name(format!("philosopher-{seat}"))
                .spawn_scoped(scope, move || {
                    for _ in 0..meals {
                        let (first, second) = forks_for(seat, seats);
                        let _first = forks[first].lock().unwrap();
                        // Reaching for the other fork takes a moment: long
                        // enough for everyone to be holding one.
                        thread::sleep(Duration::from_millis(1));
                        let _second = forks[second].lock().unwrap();
                        eaten.fetch_add(1, Ordering::Relaxed);
                    }
                })
                .expect("cannot start a philosopher");
        }
    });
    eaten.into_inner()
}
