use super::{LIMIT, within};
use crate::ex::semaphore::Semaphore;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

#[test]
fn permits_are_counted() {
    isolated!();
    within(
        LIMIT,
        "acquire or try_acquire waited although a permit was free, or try_acquire waited when none was",
        || {
            let semaphore = Semaphore::new(2);
            let a = semaphore.acquire();
            let b = semaphore.try_acquire().expect("a second permit is free");
            assert_eq!(semaphore.available(), 0);
            assert!(semaphore.try_acquire().is_none(), "no third permit");
            drop(a);
            assert_eq!(semaphore.available(), 1, "dropping a permit gives it back");
            drop(b);
            assert_eq!(semaphore.available(), 2);
        },
    );
}

#[test]
fn acquire_waits_for_a_release() {
    isolated!();
    within(
        LIMIT,
        "a thread waiting in acquire was still waiting 3 s after the only permit was dropped",
        || {
            let semaphore = Semaphore::new(1);
            let got_it = AtomicBool::new(false);
            std::thread::scope(|scope| {
                let held = semaphore.acquire();
                scope.spawn(|| {
                    let _permit = semaphore.acquire();
                    got_it.store(true, Ordering::SeqCst);
                });
                std::thread::sleep(Duration::from_millis(100));
                assert!(
                    !got_it.load(Ordering::SeqCst),
                    "acquire returned while no permit was free"
                );
                drop(held);
            });
            assert!(got_it.load(Ordering::SeqCst));
        },
    );
}

#[test]
fn never_more_than_the_permits() {
    isolated!();
    let most = within(
        LIMIT,
        "8 threads sharing 3 permits never finished: some were still waiting in acquire",
        || {
            let semaphore = Semaphore::new(3);
            let (running, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
            std::thread::scope(|scope| {
                for _ in 0..8 {
                    scope.spawn(|| {
                        for _ in 0..30 {
                            let _permit = semaphore.acquire();
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            std::thread::yield_now();
                            running.fetch_sub(1, Ordering::SeqCst);
                        }
                    });
                }
            });
            most.into_inner()
        },
    );
    assert!(
        most <= 3,
        "{most} threads held a permit at once, with 3 permits"
    );
}
