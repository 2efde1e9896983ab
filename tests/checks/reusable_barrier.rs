use super::{LIMIT, within};
use crate::ex::reusable_barrier::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};

const PARTIES: usize = 4;
const ROUNDS: usize = 200;

#[test]
fn one_party_never_waits() {
    isolated!();
    within(LIMIT, "a barrier for one thread made it wait", || {
        let barrier = Barrier::new(1);
        for _ in 0..3 {
            assert!(barrier.wait(), "the only party is the leader of its round");
        }
    });
}

#[test]
fn nobody_starts_a_round_before_everyone_finished_the_last() {
    isolated!();
    let leaders = within(
        LIMIT,
        "the threads never all got through 200 rounds: at least one waits at the barrier \
         for a round that already ended",
        || {
            let barrier = Barrier::new(PARTIES);
            // done[r]: how many threads finished their part of round r.
            let done: Vec<AtomicUsize> = (0..ROUNDS).map(|_| AtomicUsize::new(0)).collect();
            let leaders: Vec<AtomicUsize> = (0..ROUNDS).map(|_| AtomicUsize::new(0)).collect();
            std::thread::scope(|scope| {
                for thread in 0..PARTIES {
                    let (barrier, done, leaders) = (&barrier, &done, &leaders);
                    scope.spawn(move || {
                        for round in 0..ROUNDS {
                            // Uneven work, so threads arrive in changing orders.
                            if (round + thread) % PARTIES == 0 {
                                std::thread::yield_now();
                            }
                            done[round].fetch_add(1, Ordering::SeqCst);
                            if barrier.wait() {
                                leaders[round].fetch_add(1, Ordering::SeqCst);
                            }
                            let finished = done[round].load(Ordering::SeqCst);
                            assert_eq!(
                                finished, PARTIES,
                                "a thread got past the barrier in round {round} while only \
                                 {finished} of {PARTIES} threads had arrived"
                            );
                        }
                    });
                }
            });
            leaders
                .iter()
                .map(|l| l.load(Ordering::SeqCst))
                .collect::<Vec<_>>()
        },
    );
    for (round, count) in leaders.iter().enumerate() {
        assert_eq!(
            *count, 1,
            "round {round} had {count} leaders (wait returned true {count} times)"
        );
    }
}
