//! WRONG: the sink loop uses recv_timeout(200 ms) and stops at the first timeout instead of when the senders are gone: a source that pauses loses the rest of its items; the checks must make the source pause.
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
    let (raw_tx, raw_rx) = mpsc::sync_channel(bound);
    let (done_tx, done_rx) = mpsc::sync_channel(bound);
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
        while let Ok(result) = done_rx.recv_timeout(std::time::Duration::from_millis(200)) {
            sink(result);
            sunk += 1;
        }
        sunk
    })
}
