//! WRONG: a source thread and one bounded channel, but the calling thread applies transform before sinking: two stages, not three; the checks must see which thread runs transform.
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
    thread::scope(|scope| {
        scope.spawn(move || {
            for item in items {
                if raw_tx.send(item).is_err() {
                    break;
                }
            }
        });
        let mut sunk = 0;
        for item in raw_rx {
            sink(transform(item));
            sunk += 1;
        }
        sunk
    })
}
