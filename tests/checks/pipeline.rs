use super::{LIMIT, within};
use crate::ex::pipeline::pipeline;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

const NEVER_ENDS: &str = "the pipeline never ended: a stage still waits for input \
    because a Sender was never dropped (the loops end when all senders are gone)";

#[test]
fn every_item_in_order() {
    isolated!();
    let (sunk, got) = within(LIMIT, NEVER_ENDS, || {
        let mut got = Vec::new();
        let sunk = pipeline(0..1000, 4, |x| x * x, |y| got.push(y));
        (sunk, got)
    });
    assert_eq!(
        sunk, 1000,
        "pipeline returns how many items reached the sink"
    );
    assert_eq!(got, (0..1000).map(|x| x * x).collect::<Vec<_>>());
}

#[test]
fn the_source_cannot_run_ahead() {
    isolated!();
    let bound = 4;
    let pulled = Arc::new(AtomicUsize::new(0));
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let source = {
        let pulled = Arc::clone(&pulled);
        (0..10_000).inspect(move |_| {
            pulled.fetch_add(1, Ordering::SeqCst);
        })
    };
    let sunk = std::thread::spawn(move || {
        let mut first = true;
        pipeline(
            source,
            bound,
            |x| x + 1,
            move |_| {
                if first {
                    // A slow sink: it holds the first item until the check looks.
                    let _ = release_rx.recv_timeout(Duration::from_secs(2));
                    first = false;
                }
            },
        )
    });
    std::thread::sleep(Duration::from_millis(300));
    let ahead = pulled.load(Ordering::SeqCst);
    drop(release_tx);
    let limit = 2 * bound + 3;
    assert!(
        ahead <= limit,
        "the source took {ahead} items while the sink was stuck on the first one \
         (at most {limit} fit in two channels of {bound}): use sync_channel(bound)"
    );
    let sunk = within(LIMIT, NEVER_ENDS, move || sunk.join().unwrap());
    assert_eq!(sunk, 10_000);
}
