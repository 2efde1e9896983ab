use super::within;
use crate::ex::blocking_executor::handle_all;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// Runs `handle_all` on a single-threaded runtime beside a heartbeat task.
/// The fake `render` waits for a heartbeat that is sent after it started: it
/// gets one only if the runtime's thread is free to run the heartbeat task,
/// that is, only if `render` is not running on that thread.
#[test]
fn render_does_not_block_the_executor() {
    isolated!();
    let (results, blocked) = within(Duration::from_secs(8), "handle_all never returned", || {
        let (beat_tx, beat_rx) = mpsc::channel::<()>();
        let beats = Arc::new(Mutex::new(beat_rx));
        let blocked = Arc::new(AtomicBool::new(false));
        let render = {
            let blocked = Arc::clone(&blocked);
            Arc::new(move |request: u64| {
                if !blocked.load(Ordering::Relaxed) {
                    let beats = beats.lock().unwrap();
                    while beats.try_recv().is_ok() {} // only a fresh beat counts
                    if beats.recv_timeout(Duration::from_secs(1)).is_err() {
                        blocked.store(true, Ordering::Relaxed);
                    }
                }
                request * 10
            })
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let results = runtime.block_on(async move {
            tokio::spawn(async move {
                while beat_tx.send(()).is_ok() {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            });
            handle_all(vec![1, 2, 3, 4], render).await
        });
        (results, blocked.load(Ordering::Relaxed))
    });
    assert!(
        !blocked,
        "on a single-threaded runtime, a task sending a heartbeat every 1 ms sent none for 1 s \
         while render ran: no other task could run until render returned"
    );
    assert_eq!(results, [10, 20, 30, 40], "the responses, in request order");
}

/// Renders of different lengths (the first request takes longest) on a
/// multi-threaded runtime: the responses still come in request order.
#[test]
fn responses_in_request_order() {
    isolated!();
    let results = within(Duration::from_secs(8), "handle_all never returned", || {
        let render = Arc::new(|request: u64| {
            std::thread::sleep(Duration::from_millis(20 * (6 - request)));
            request * 10
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(handle_all(vec![1, 2, 3, 4, 5], render))
    });
    assert_eq!(
        results,
        [10, 20, 30, 40, 50],
        "renders of 100, 80, 60, 40 and 20 ms: the responses, in request order"
    );
}
