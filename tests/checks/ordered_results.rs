use super::{LIMIT, within};
use crate::ex::ordered_results::{in_completion_order, map_in_order};
use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[test]
fn map_keeps_the_order_and_uses_the_pool() {
    isolated!();
    let threads = Mutex::new(HashSet::new());
    let items: Vec<u64> = (0..64).collect();
    let squares = map_in_order(&items, |&x| {
        threads.lock().unwrap().insert(std::thread::current().id());
        // Items of different lengths, shuffled: they finish out of order.
        std::thread::sleep(Duration::from_millis((x * 7) % 5 + 1));
        x * x
    });
    assert_eq!(
        squares,
        items.iter().map(|x| x * x).collect::<Vec<_>>(),
        "the results should be in the order of the items"
    );
    if rayon::current_num_threads() > 1 {
        let seen = threads.lock().unwrap().len();
        assert!(
            seen > 1,
            "all 64 items ran on {seen} thread, with {} threads in rayon's pool",
            rayon::current_num_threads()
        );
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn completion_order() {
    isolated!();
    let (order, took) = within(
        LIMIT,
        "in_completion_order never returned: it was still waiting for an index after every job had ended",
        move || {
            let started = Instant::now();
            let order = in_completion_order(&[ms(800), ms(100), ms(400), ms(600), ms(250)]);
            (order, started.elapsed())
        },
    );
    assert_eq!(
        order,
        [1, 4, 2, 3, 0],
        "jobs of 800, 100, 400, 600 and 250 ms: the indexes in the order the jobs finish"
    );
    assert!(
        took >= ms(800),
        "returned after {took:?}, before the 800 ms job could have finished"
    );
    // One after another they take 2150 ms; at once, a little over 800.
    assert!(
        took < ms(1600),
        "jobs of 800, 100, 400, 600 and 250 ms took {took:?} in all: they did not all run at once"
    );
}

/// A job that ends long after the others must still be waited for: the
/// collector stops when every job is done, not after a quiet moment.
#[test]
fn a_late_job_is_waited_for() {
    isolated!();
    let order = within(LIMIT, "in_completion_order never returned", move || {
        in_completion_order(&[ms(1000), ms(100)])
    });
    assert_eq!(
        order,
        [1, 0],
        "jobs of 1000 and 100 ms: the 1000 ms job ends 900 ms after the other"
    );
}

#[test]
fn no_jobs_no_indexes() {
    isolated!();
    let order = within(LIMIT, "in_completion_order(&[]) never returned", || {
        in_completion_order(&[])
    });
    assert!(order.is_empty(), "no jobs, no indexes: got {order:?}");
}
