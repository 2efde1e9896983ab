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
            assert_eq!(
                counter.get(),
                2,
                "loom found a schedule that loses an increment: both threads read 0, both wrote 1"
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
                "loom found a schedule where both threads got the only ticket: check and take in one atomic step"
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
}
