//! loom models: loom runs each closure under every interleaving of its threads
//! (up to a bound), so a bug that needs an unlucky schedule is found for sure.

mod lost_update {
    use crate::lost_update::Counter;
    use loom::sync::Arc;

    #[test]
    fn two_increments_make_two() {
        isolated!();
        loom::model(|| {
            let counter = Arc::new(Counter::new());
            let other = Arc::clone(&counter);
            let thread = loom::thread::spawn(move || other.increment());
            counter.increment();
            thread.join().unwrap();
            let count = counter.get();
            assert_eq!(
                count, 2,
                "loom found a schedule where two increments left the count at {count}: one increment was lost"
            );
        });
    }

    #[test]
    fn the_last_ticket_is_sold_once() {
        isolated!();
        loom::model(|| {
            let counter = Arc::new(Counter::new());
            let other = Arc::clone(&counter);
            let thread = loom::thread::spawn(move || other.take_ticket(1));
            let mine = counter.take_ticket(1);
            let theirs = thread.join().unwrap();
            assert!(
                !(mine && theirs),
                "loom found a schedule where both threads got the only ticket"
            );
            assert!(
                mine || theirs,
                "loom found a schedule where neither thread got the only ticket"
            );
            assert_eq!(
                counter.get(),
                1,
                "one ticket sold, but the count says otherwise"
            );
        });
    }

    #[test]
    fn two_takers_of_two_tickets_both_get_one() {
        isolated!();
        loom::model(|| {
            let counter = Arc::new(Counter::new());
            let other = Arc::clone(&counter);
            let thread = loom::thread::spawn(move || other.take_ticket(2));
            let mine = counter.take_ticket(2);
            let theirs = thread.join().unwrap();
            assert!(
                mine && theirs,
                "loom found a schedule where a thread was refused a ticket while one was left \
                 (got {mine} and {theirs} for two takers of two tickets)"
            );
            assert_eq!(
                counter.get(),
                2,
                "two tickets taken, but the count says otherwise"
            );
        });
    }
}

mod bounded_buffer {
    use crate::bounded_buffer::BoundedBuffer;
    use loom::sync::Arc;

    #[test]
    fn two_consumers_one_producer() {
        isolated!();
        let mut model = loom::model::Builder::new();
        model.preemption_bound = Some(3);
        model.check(|| {
            let buffer = Arc::new(BoundedBuffer::new(1));
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    let buffer = Arc::clone(&buffer);
                    loom::thread::spawn(move || buffer.pop())
                })
                .collect();
            buffer.push(1);
            buffer.push(2);
            let mut got: Vec<u32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
            got.sort_unstable();
            assert_eq!(got, [1, 2], "each consumer should get one item");
        });
    }

    #[test]
    fn two_producers_never_overfill() {
        isolated!();
        let mut model = loom::model::Builder::new();
        model.preemption_bound = Some(3);
        model.check(|| {
            let buffer = Arc::new(BoundedBuffer::new(1));
            buffer.push(0);
            let producers: Vec<_> = (1..=2)
                .map(|item| {
                    let buffer = Arc::clone(&buffer);
                    loom::thread::spawn(move || {
                        buffer.push(item);
                        let len = buffer.len();
                        assert!(
                            len <= 1,
                            "loom found a schedule where a buffer of capacity 1 held {len} items"
                        );
                    })
                })
                .collect();
            let mut got: Vec<u32> = (0..3).map(|_| buffer.pop()).collect();
            for producer in producers {
                producer.join().unwrap();
            }
            got.sort_unstable();
            assert_eq!(got, [0, 1, 2], "every item pushed is popped once");
        });
    }
}

mod semaphore {
    use crate::semaphore::Semaphore;
    use loom::sync::Arc;
    use loom::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn one_permit_one_holder() {
        isolated!();
        loom::model(|| {
            let semaphore = Arc::new(Semaphore::new(1));
            let inside = Arc::new(AtomicUsize::new(0));
            let threads: Vec<_> = (0..2)
                .map(|_| {
                    let (semaphore, inside) = (Arc::clone(&semaphore), Arc::clone(&inside));
                    loom::thread::spawn(move || {
                        let _permit = semaphore.acquire();
                        let others = inside.fetch_add(1, Ordering::SeqCst);
                        assert_eq!(others, 0, "two threads held the only permit at once");
                        inside.fetch_sub(1, Ordering::SeqCst);
                    })
                })
                .collect();
            for thread in threads {
                thread.join().unwrap();
            }
            assert_eq!(semaphore.available(), 1, "every permit was given back");
        });
    }

    /// Three threads and one permit: a thread woken for a released permit
    /// may find that a third thread took it first.
    #[test]
    fn three_threads_one_permit() {
        isolated!();
        let mut model = loom::model::Builder::new();
        model.preemption_bound = Some(2);
        model.check(|| {
            let semaphore = Arc::new(Semaphore::new(1));
            let inside = Arc::new(AtomicUsize::new(0));
            let threads: Vec<_> = (0..3)
                .map(|_| {
                    let (semaphore, inside) = (Arc::clone(&semaphore), Arc::clone(&inside));
                    loom::thread::spawn(move || {
                        let _permit = semaphore.acquire();
                        let others = inside.fetch_add(1, Ordering::SeqCst);
                        assert_eq!(
                            others, 0,
                            "loom found a schedule where two threads held the only permit at once"
                        );
                        inside.fetch_sub(1, Ordering::SeqCst);
                    })
                })
                .collect();
            for thread in threads {
                thread.join().unwrap();
            }
            assert_eq!(semaphore.available(), 1, "every permit was given back");
        });
    }
}

mod budget {
    use crate::budget::Budget;
    use loom::sync::Arc;

    #[test]
    fn the_last_unit_is_taken_once() {
        isolated!();
        loom::model(|| {
            let budget = Arc::new(Budget::new(1));
            let other = Arc::clone(&budget);
            let thread = loom::thread::spawn(move || other.try_take(1));
            let mine = budget.try_take(1);
            let theirs = thread.join().unwrap();
            assert!(
                mine != theirs,
                "loom found a schedule where {} threads got the only unit (left() then read {})",
                if mine { 2 } else { 0 },
                budget.left()
            );
            assert_eq!(budget.left(), 0);
        });
    }

    #[test]
    fn a_refused_take_lets_nobody_take_more_than_is_left() {
        isolated!();
        loom::model(|| {
            let budget = Arc::new(Budget::new(1));
            let other = Arc::clone(&budget);
            let thread = loom::thread::spawn(move || other.try_take(2));
            let mine = budget.try_take(2);
            let theirs = thread.join().unwrap();
            assert!(
                !mine && !theirs,
                "loom found a schedule where a thread took 2 units from a budget of 1 \
                 while the other thread's take of 2 was being refused (left() then read {})",
                budget.left()
            );
            assert_eq!(budget.left(), 1, "two refused takes changed the budget");
        });
    }

    #[test]
    fn a_refused_take_does_not_refuse_another() {
        isolated!();
        loom::model(|| {
            let budget = Arc::new(Budget::new(1));
            let other = Arc::clone(&budget);
            let thread = loom::thread::spawn(move || other.try_take(2));
            let mine = budget.try_take(1);
            let theirs = thread.join().unwrap();
            assert!(
                mine && !theirs,
                "loom found a schedule where, from a budget of 1, a take of 1 got {mine} \
                 and a take of 2 got {theirs} (left() then read {})",
                budget.left()
            );
            assert_eq!(budget.left(), 0);
        });
    }

    #[test]
    fn two_units_serve_two_threads() {
        isolated!();
        loom::model(|| {
            let budget = Arc::new(Budget::new(2));
            let other = Arc::clone(&budget);
            let thread = loom::thread::spawn(move || other.try_take(1));
            let mine = budget.try_take(1);
            let theirs = thread.join().unwrap();
            assert!(
                mine && theirs,
                "loom found a schedule where a thread was refused while 2 units were \
                 there for 2 threads asking for 1 each"
            );
            assert_eq!(budget.left(), 0);
        });
    }
}

mod relaxed_flag {
    use crate::relaxed_flag::Mailbox;
    use loom::sync::Arc;

    #[test]
    fn the_reader_never_sees_the_message_before_it_was_written() {
        isolated!();
        loom::model(|| {
            let mailbox = Arc::new(Mailbox::new());
            let writer = {
                let mailbox = Arc::clone(&mailbox);
                loom::thread::spawn(move || mailbox.send(42))
            };
            let seen = mailbox.try_receive();
            writer.join().unwrap();
            assert!(
                matches!(seen, None | Some(42)),
                "loom found a schedule where the reader got {seen:?}: it saw the mailbox full, \
                 but not the message the writer had stored before"
            );
        });
    }
}

mod reusable_barrier {
    use crate::reusable_barrier::Barrier;
    use loom::sync::Arc;
    use loom::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn two_threads_two_rounds() {
        isolated!();
        let mut model = loom::model::Builder::new();
        model.preemption_bound = Some(3);
        model.check(|| {
            let barrier = Arc::new(Barrier::new(2));
            let arrived = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
            let run = {
                let (barrier, arrived) = (Arc::clone(&barrier), Arc::clone(&arrived));
                move || {
                    let mut leader_of = 0;
                    for round in 0..2 {
                        arrived[round].fetch_add(1, Ordering::SeqCst);
                        if barrier.wait() {
                            leader_of += 1;
                        }
                        assert_eq!(
                            arrived[round].load(Ordering::SeqCst),
                            2,
                            "loom found a schedule where a thread got past round {round} alone"
                        );
                    }
                    leader_of
                }
            };
            let other = loom::thread::spawn(run.clone());
            let mine = run();
            let theirs = other.join().unwrap();
            assert_eq!(mine + theirs, 2, "one leader per round, two rounds");
        });
    }
}

mod countdown_latch {
    use crate::countdown_latch::Latch;
    use std::pin::pin;
    use std::task::{Context, Wake, Waker};

    /// Wakes by unparking the loom thread that polls.
    struct Unpark(loom::thread::Thread);

    impl Wake for Unpark {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.unpark();
        }
    }

    /// A count-down on another thread can land between `poll`'s look at the
    /// count and its storing of the waker; loom tries every such schedule.
    #[test]
    fn a_count_down_on_another_thread_is_never_missed() {
        isolated!();
        loom::model(|| {
            let latch = Latch::new(1);
            let other = latch.clone();
            let thread = loom::thread::spawn(move || other.count_down());
            let waker = Waker::from(std::sync::Arc::new(Unpark(loom::thread::current())));
            let mut wait = pin!(latch.wait());
            // A lost wake-up leaves this thread parked for ever, which loom
            // reports as a deadlock.
            while wait
                .as_mut()
                .poll(&mut Context::from_waker(&waker))
                .is_pending()
            {
                loom::thread::park();
            }
            thread.join().unwrap();
        });
    }
}
