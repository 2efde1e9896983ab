//! RIGHT: everyone takes the left fork first except philosopher 0, who takes the right one first: that single exception breaks the cycle.
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

/// The forks philosopher `seat` picks up: first, then second.
pub fn forks_for(seat: usize, seats: usize) -> (usize, usize) {
    let left = seat;
    let right = (seat + 1) % seats;
    if seat == 0 {
        (right, left)
    } else {
        (left, right)
    }
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
