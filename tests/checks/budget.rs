use super::{LIMIT, within};
use crate::ex::budget::Budget;
use std::sync::atomic::{AtomicU64, Ordering};

#[test]
fn takes_all_or_nothing() {
    isolated!();
    within(LIMIT, "try_take never returned", || {
        let budget = Budget::new(5);
        assert!(budget.try_take(3), "3 of 5 units left: refused");
        assert_eq!(budget.left(), 2, "5 units, 3 taken");
        assert!(!budget.try_take(3), "took 3 units when only 2 were left");
        assert_eq!(
            budget.left(),
            2,
            "a refused take changed what is left (it must take nothing)"
        );
        assert!(budget.try_take(2), "2 of 2 units left: refused");
        assert!(!budget.try_take(1), "took a unit from an empty budget");
        assert_eq!(budget.left(), 0);
    });
}

#[test]
fn many_threads_spend_exactly_the_budget() {
    isolated!();
    let (taken, left) = within(LIMIT, "try_take never returned under contention", || {
        const UNITS: u64 = 20_000;
        let budget = Budget::new(UNITS);
        let taken = AtomicU64::new(0);
        std::thread::scope(|scope| {
            for thread in 0..4u64 {
                let (budget, taken) = (&budget, &taken);
                scope.spawn(move || {
                    // Each thread asks for more than its share, in sizes 1 to 3.
                    for attempt in 0..4_000u64 {
                        let units = 1 + (attempt + thread) % 3;
                        if budget.try_take(units) {
                            taken.fetch_add(units, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        (taken.load(Ordering::Relaxed), budget.left())
    });
    assert!(
        taken <= 20_000,
        "4 threads took {taken} units from a budget of 20000 (left() now reads {left})"
    );
    assert_eq!(
        taken + left,
        20_000,
        "4 threads took {taken} units and {left} are left, of a budget of 20000"
    );
    assert!(
        left < 3,
        "{left} units were left after 16000 requests for 1 to 3 units, \
         asking for 32000 in all: some takes were refused while enough were left"
    );
}
