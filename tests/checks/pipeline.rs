use super::{LIMIT, within};
use crate::ex::pipeline::pipeline;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

const NEVER_ENDS: &str = "the pipeline never ended after its source ran out: \
    a stage was still waiting for more input";

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
        "the source gave {ahead} items while the sink was stuck on the first one, \
         with channels of {bound}"
    );
    assert!(
        ahead > bound,
        "the source gave only {ahead} item(s) in 300 ms while the sink was stuck on the first \
         one: the stages did not run at the same time"
    );
    let sunk = within(LIMIT, NEVER_ENDS, move || sunk.join().unwrap());
    assert_eq!(sunk, 10_000);
}

/// The threads each stage ran on.
#[derive(Default)]
struct Seen {
    source: Vec<ThreadId>,
    transform: Vec<ThreadId>,
    sink: Vec<ThreadId>,
}

#[test]
fn each_stage_on_its_own_thread() {
    isolated!();
    let seen = within(LIMIT, NEVER_ENDS, || {
        let seen = std::sync::Mutex::new(Seen::default());
        let source = (0..50).inspect(|_| seen.lock().unwrap().source.push(thread::current().id()));
        pipeline(
            source,
            2,
            |x| {
                seen.lock().unwrap().transform.push(thread::current().id());
                x
            },
            |_| seen.lock().unwrap().sink.push(thread::current().id()),
        );
        seen.into_inner().unwrap()
    });
    let one = |ids: &[ThreadId], stage: &str| -> ThreadId {
        let first = *ids
            .first()
            .unwrap_or_else(|| panic!("the {stage} never ran"));
        assert!(
            ids.iter().all(|id| *id == first),
            "the {stage} ran on more than one thread"
        );
        first
    };
    let source = one(&seen.source, "source");
    let transform = one(&seen.transform, "transform");
    let sink = one(&seen.sink, "sink");
    assert!(
        source != transform,
        "the source and the transform ran on the same thread"
    );
    assert!(
        transform != sink,
        "the transform and the sink ran on the same thread"
    );
    assert!(
        source != sink,
        "the source and the sink ran on the same thread"
    );
}

#[test]
fn the_sink_sees_the_calling_thread() {
    isolated!();
    let (caller, sink) = within(LIMIT, NEVER_ENDS, || {
        let mut sink_thread = None;
        pipeline(
            0..5,
            2,
            |x| x,
            |_| sink_thread = Some(thread::current().id()),
        );
        (thread::current().id(), sink_thread)
    });
    assert_eq!(
        sink,
        Some(caller),
        "the sink ran on another thread than the caller of pipeline"
    );
}

/// A source that pauses for 700 ms in the middle: the stages wait for it
/// (their loops end when the senders are gone, not after a quiet moment),
/// and the pipeline ends soon after the last item.
#[test]
fn a_pausing_source_is_waited_for() {
    isolated!();
    let (sunk, got, after_last) = within(LIMIT, NEVER_ENDS, || {
        let source = (0..10u64).inspect(|&i| {
            if i == 5 {
                thread::sleep(Duration::from_millis(700));
            }
        });
        let mut got = Vec::new();
        let mut last = Instant::now();
        let sunk = pipeline(
            source,
            2,
            |x| x * 10,
            |y| {
                got.push(y);
                last = Instant::now();
            },
        );
        (sunk, got, last.elapsed())
    });
    assert_eq!(
        got,
        (0..10).map(|x| x * 10).collect::<Vec<_>>(),
        "a source pausing 700 ms after 5 of its 10 items"
    );
    assert_eq!(sunk, 10, "pipeline returns how many items reached the sink");
    assert!(
        after_last < Duration::from_millis(500),
        "pipeline returned {after_last:?} after the last item reached the sink"
    );
}
