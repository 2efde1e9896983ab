use super::{LIMIT, within};
use crate::ex::ordered_results::{in_completion_order, map_in_order};
use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

#[test]
fn map_keeps_the_order_and_uses_the_pool() {
    isolated!();
    let threads = Mutex::new(HashSet::new());
    let items: Vec<u64> = (0..64).collect();
    let squares = map_in_order(&items, |&x| {
        threads.lock().unwrap().insert(std::thread::current().id());
        std::thread::sleep(Duration::from_millis(2));
        x * x
    });
    assert_eq!(squares, items.iter().map(|x| x * x).collect::<Vec<_>>());
    if rayon::current_num_threads() > 1 {
        assert!(
            threads.lock().unwrap().len() > 1,
            "every item ran on one thread: use rayon's par_iter"
        );
    }
}

#[test]
fn completion_order() {
    isolated!();
    let ms = Duration::from_millis;
    let order = within(
        LIMIT,
        "in_completion_order never returned: does the collector wait for a sender that is never dropped?",
        move || in_completion_order(&[ms(400), ms(10), ms(200)]),
    );
    assert_eq!(
        order,
        [1, 2, 0],
        "the 10 ms job finishes first and the 400 ms job last: the jobs must run at once"
    );
}
