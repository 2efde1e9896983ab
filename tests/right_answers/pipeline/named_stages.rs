//! RIGHT: each stage a named scoped thread with an explicit recv() loop, the senders dropped by hand when a stage ends.
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
    let mut items = source.into_iter();
    let (raw_tx, raw_rx) = mpsc::sync_channel::<u64>(bound);
    let (done_tx, done_rx) = mpsc::sync_channel::<u64>(bound);
    let transform = &transform;
    thread::scope(|scope| {
        thread::Builder::new()
            .name("source".into())
            .spawn_scoped(scope, move || {
                while let Some(item) = items.next() {
                    if raw_tx.send(item).is_err() {
                        return;
                    }
                }
                drop(raw_tx);
            })
            .expect("cannot start the source");
        thread::Builder::new()
            .name("transform".into())
            .spawn_scoped(scope, move || {
                while let Ok(item) = raw_rx.recv() {
                    if done_tx.send(transform(item)).is_err() {
                        return;
                    }
                }
                drop(done_tx);
            })
            .expect("cannot start the transform");
        let mut sunk = 0;
        while let Ok(result) = done_rx.recv() {
            sink(result);
            sunk += 1;
        }
        sunk
    })
}
