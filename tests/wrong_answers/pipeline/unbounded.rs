//! WRONG: mpsc::channel() instead of sync_channel(bound): every item arrives in order and the pipeline ends, but a fast source runs far ahead of a slow sink; the checks must hold the sink and count what the source gave.
use std::sync::mpsc;
use std::thread;

/// Runs `source` through `transform` into `sink`; the number of items sunk.
pub fn pipeline<I, F, S>(source: I, bound: usize, transform: F, mut sink: S) -> usize
where
    I: IntoIterator<Item = u64>,
    I::IntoIter: Send,
    F: Fn(u64) -> u64 + Sync,
    S: FnMut(u64),
{
    let items = source.into_iter();
    let (raw_tx, raw_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel();
    let transform = &transform;
    thread::scope(|scope| {
        scope.spawn(move || {
            for item in items {
                if raw_tx.send(item).is_err() {
                    break;
                }
            }
        });
        scope.spawn(move || {
            for item in raw_rx {
                if done_tx.send(transform(item)).is_err() {
                    break;
                }
            }
        });
        let mut sunk = 0;
        for result in done_rx {
            sink(result);
            sunk += 1;
        }
        sunk
    })
}
