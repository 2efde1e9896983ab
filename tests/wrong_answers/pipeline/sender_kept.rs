//! WRONG: the transform thread keeps a clone of the first channel sender (to "put back" items it cannot handle): that sender is never dropped, so the transform loop never ends; the checks must see the pipeline end.
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
    let retry_tx = raw_tx.clone();
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
            let _retry = retry_tx;
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
