use super::within;
use crate::ex::philosophers::{dine, forks_for};
use std::time::Duration;

#[test]
fn everyone_gets_to_eat() {
    isolated!();
    let eaten = within(
        Duration::from_secs(3),
        "likely a deadlock: each philosopher holds one fork and waits for the next \
         (take the lower-numbered fork first)",
        || dine(5, 20),
    );
    assert_eq!(eaten, 100, "5 philosophers × 20 meals");
}

#[test]
fn forks_are_taken_in_one_global_order() {
    isolated!();
    for seats in 2..=7 {
        for seat in 0..seats {
            let (first, second) = forks_for(seat, seats);
            let mut mine = [seat, (seat + 1) % seats];
            let mut got = [first, second];
            mine.sort_unstable();
            got.sort_unstable();
            assert_eq!(
                got, mine,
                "philosopher {seat} of {seats} must use forks {mine:?}"
            );
            assert!(
                first < second,
                "philosopher {seat} of {seats} takes fork {first} before fork {second}: \
                 when everyone takes the left fork first, a cycle of waiting can form"
            );
        }
    }
}
