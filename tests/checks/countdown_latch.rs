use super::within;
use crate::ex::countdown_latch::Latch;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

/// A waker that counts how often it was woken.
struct Counting(AtomicUsize);

impl Wake for Counting {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn counting_waker() -> (Arc<Counting>, Waker) {
    let counter = Arc::new(Counting(AtomicUsize::new(0)));
    (Arc::clone(&counter), Waker::from(counter))
}

fn wakes(counter: &Counting) -> usize {
    counter.0.load(Ordering::SeqCst)
}

fn poll_with<F: Future>(future: std::pin::Pin<&mut F>, waker: &Waker) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(waker))
}

#[test]
fn pending_until_zero_then_woken_once_and_ready() {
    isolated!();
    within(super::LIMIT, "a latch operation never returned", || {
        let latch = Latch::new(3);
        let mut wait = pin!(latch.wait());
        let (counter, waker) = counting_waker();
        assert!(
            poll_with(wait.as_mut(), &waker).is_pending(),
            "ready while the count is 3"
        );
        assert_eq!(
            wakes(&counter),
            0,
            "a Pending poll woke its own task: that is busy polling"
        );
        latch.count_down();
        latch.count_down();
        assert_eq!(latch.remaining(), 1);
        assert_eq!(
            wakes(&counter),
            0,
            "woken by a count-down that left the count at 1: nothing can have changed for the waiter"
        );
        assert!(
            poll_with(wait.as_mut(), &waker).is_pending(),
            "ready while the count is 1"
        );
        latch.count_down();
        assert_eq!(wakes(&counter), 1, "wakes when the count reached zero");
        assert!(
            poll_with(wait.as_mut(), &waker).is_ready(),
            "still Pending at zero"
        );
        latch.count_down();
        assert_eq!(
            latch.remaining(),
            0,
            "a count-down at zero must stay at zero"
        );
        assert_eq!(wakes(&counter), 1, "woken again by a count-down at zero");
    });
}

#[test]
fn the_waker_of_the_latest_poll_is_woken() {
    isolated!();
    within(super::LIMIT, "a latch operation never returned", || {
        let latch = Latch::new(1);
        let mut wait = pin!(latch.wait());
        let (first, first_waker) = counting_waker();
        let (latest, latest_waker) = counting_waker();
        assert!(poll_with(wait.as_mut(), &first_waker).is_pending());
        assert!(poll_with(wait.as_mut(), &latest_waker).is_pending());
        latch.count_down();
        assert_eq!(
            wakes(&latest),
            1,
            "polled with waker A, then waker B, then the count reached zero: B was woken {} times \
             (A {} times); the task now listens on B",
            wakes(&latest),
            wakes(&first)
        );
    });
}

#[test]
fn every_waiter_is_woken_exactly_once() {
    isolated!();
    within(super::LIMIT, "a latch operation never returned", || {
        let latch = Latch::new(2);
        let other_handle = latch.clone();
        let mut waits: Vec<_> = (0..3).map(|_| Box::pin(latch.wait())).collect();
        let wakers: Vec<_> = (0..3).map(|_| counting_waker()).collect();
        for _ in 0..10 {
            for (wait, (_, waker)) in waits.iter_mut().zip(&wakers) {
                assert!(poll_with(wait.as_mut(), waker).is_pending());
            }
        }
        other_handle.count_down();
        other_handle.count_down();
        let counts: Vec<usize> = wakers.iter().map(|(c, _)| wakes(c)).collect();
        assert_eq!(
            counts,
            vec![1, 1, 1],
            "wakes per waiter after each of 3 waiters was polled 10 times with its own waker and \
             the count reached zero (through a clone of the latch)"
        );
        for (wait, (_, waker)) in waits.iter_mut().zip(&wakers) {
            assert!(poll_with(wait.as_mut(), waker).is_ready());
        }
    });
}

#[test]
fn an_open_latch_is_ready_at_once() {
    isolated!();
    within(super::LIMIT, "a latch operation never returned", || {
        let (counter, waker) = counting_waker();
        let latch = Latch::new(0);
        assert!(
            poll_with(pin!(latch.wait()), &waker).is_ready(),
            "Latch::new(0) is open"
        );
        let latch = Latch::new(1);
        latch.count_down();
        assert!(
            poll_with(pin!(latch.wait()), &waker).is_ready(),
            "a latch counted to zero is open"
        );
        assert_eq!(wakes(&counter), 0);
    });
}

/// Wraps a future and counts its polls.
struct CountPolls<F> {
    inner: std::pin::Pin<Box<F>>,
    polls: Arc<AtomicUsize>,
}

impl<F: Future> Future for CountPolls<F> {
    type Output = F::Output;
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.polls.fetch_add(1, Ordering::SeqCst);
        self.inner.as_mut().poll(cx)
    }
}

#[test]
fn on_tokio_a_waiter_is_polled_only_when_woken() {
    isolated!();
    let polls =
        within(
            Duration::from_secs(5),
            "a task awaiting the latch never finished",
            || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async {
                    let latch = Latch::new(5);
                    let polls = Arc::new(AtomicUsize::new(0));
                    let waiter = tokio::spawn(CountPolls {
                        inner: Box::pin(latch.wait()),
                        polls: Arc::clone(&polls),
                    });
                    let counter = latch.clone();
                    std::thread::spawn(move || {
                        for _ in 0..5 {
                            std::thread::sleep(Duration::from_millis(20));
                            counter.count_down();
                        }
                    });
                    tokio::time::timeout(Duration::from_secs(3), waiter)
                .await
                .expect("a task awaiting the latch was not done 3 s after the count reached zero")
                .unwrap();
                    polls.load(Ordering::SeqCst)
                })
            },
        );
    assert!(
        polls <= 3,
        "the task awaiting the latch was polled {polls} times while 5 count-downs 20 ms apart \
         brought it to zero: it should be polled once, then once more when woken"
    );
}

#[test]
fn count_downs_on_other_threads_are_never_missed() {
    isolated!();
    within(
        Duration::from_secs(8),
        "tasks awaiting a latch never finished: a count-down was missed (a lost wake-up)",
        || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                for round in 0..300 {
                    let latch = Latch::new(2);
                    let waiters: Vec<_> = (0..3).map(|_| tokio::spawn(latch.wait())).collect();
                    let threads: Vec<_> = (0..2)
                        .map(|_| {
                            let latch = latch.clone();
                            std::thread::spawn(move || latch.count_down())
                        })
                        .collect();
                    for waiter in waiters {
                        tokio::time::timeout(Duration::from_secs(2), waiter)
                            .await
                            .unwrap_or_else(|_| {
                                panic!("round {round}: a task awaiting the latch was not woken after the count reached zero")
                            })
                            .unwrap();
                    }
                    threads.into_iter().for_each(|t| t.join().unwrap());
                }
            });
        },
    );
}
