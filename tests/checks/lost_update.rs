use super::{LIMIT, within};
use crate::ex::lost_update::Counter;
use std::sync::Arc;

const THREADS: u64 = 8;

#[test]
fn no_increment_is_lost() {
    isolated!();
    let per_thread = 100_000;
    let total = within(LIMIT, "the threads never finished", move || {
        let counter = Arc::new(Counter::new());
        let barrier = Arc::new(std::sync::Barrier::new(THREADS as usize));
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                let (counter, barrier) = (Arc::clone(&counter), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    barrier.wait();
                    (0..per_thread).for_each(|_| counter.increment());
                })
            })
            .collect();
        handles.into_iter().for_each(|h| h.join().unwrap());
        counter.get()
    });
    assert!(
        total == THREADS * per_thread,
        "8 threads × 100,000 increments left the count at {total}: increments were lost"
    );
}

#[test]
fn no_ticket_is_sold_twice() {
    isolated!();
    for _ in 0..50 {
        let limit = 100;
        let sold = within(LIMIT, "the threads never finished", move || {
            let counter = Arc::new(Counter::new());
            let barrier = Arc::new(std::sync::Barrier::new(THREADS as usize));
            let handles: Vec<_> = (0..THREADS)
                .map(|_| {
                    let (counter, barrier) = (Arc::clone(&counter), Arc::clone(&barrier));
                    std::thread::spawn(move || {
                        barrier.wait();
                        (0..50).filter(|_| counter.take_ticket(limit)).count() as u64
                    })
                })
                .collect();
            let sold: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
            (sold, counter.get())
        });
        assert_eq!(
            sold,
            (limit, limit),
            "8 threads taking tickets from {limit}: (tickets sold, count) came out as {sold:?}"
        );
    }
}
