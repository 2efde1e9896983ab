use super::{LIMIT, within};
use crate::ex::bounded_buffer::BoundedBuffer;
use std::sync::Arc;
use std::time::Duration;

#[test]
fn fifo_within_capacity() {
    isolated!();
    within(
        LIMIT,
        "push or pop waited with room or items in the buffer",
        || {
            let buffer = BoundedBuffer::new(3);
            buffer.push(1);
            buffer.push(2);
            assert_eq!(buffer.len(), 2);
            assert_eq!(buffer.pop(), 1);
            assert_eq!(buffer.pop(), 2);
            assert!(buffer.is_empty());
        },
    );
}

#[test]
fn many_producers_and_consumers() {
    isolated!();
    const PER_THREAD: u64 = 5_000;
    let sum = within(
        Duration::from_secs(4),
        "4 producers and 4 consumers on a buffer of 2 never finished: a producer or a consumer \
         was still waiting although the others had pushed or taken everything",
        || {
            let buffer = Arc::new(BoundedBuffer::new(2));
            let producers: Vec<_> = (0..4)
                .map(|_| {
                    let buffer = Arc::clone(&buffer);
                    std::thread::spawn(move || {
                        for i in 1..=PER_THREAD {
                            buffer.push(i);
                            let len = buffer.len();
                            assert!(len <= 2, "a buffer of capacity 2 held {len} items");
                        }
                    })
                })
                .collect();
            let consumers: Vec<_> = (0..4)
                .map(|_| {
                    let buffer = Arc::clone(&buffer);
                    std::thread::spawn(move || {
                        let mut sum = 0;
                        for _ in 0..PER_THREAD {
                            let item = buffer.pop();
                            let len = buffer.len();
                            assert!(len <= 2, "a buffer of capacity 2 held {len} items");
                            sum += item;
                        }
                        sum
                    })
                })
                .collect();
            producers.into_iter().for_each(|p| p.join().unwrap());
            consumers
                .into_iter()
                .map(|c| c.join().unwrap())
                .sum::<u64>()
        },
    );
    assert_eq!(
        sum,
        4 * PER_THREAD * (PER_THREAD + 1) / 2,
        "the consumers' items do not add up to what the producers pushed: items were lost or taken twice"
    );
}
