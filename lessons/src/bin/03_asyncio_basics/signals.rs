//! Lesson 03's `broadcast_watch_notify`: the three tokio channels that are
//! not queues to one consumer. `broadcast`: every subscriber gets every
//! message (a slow one is told how many it missed). `watch`: only the latest
//! value, changes coalesce. `Notify`: a wake-up with no data.
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Notify, broadcast, watch};
use tokio::time::sleep;
use tracing::{Instrument, info_span};

pub async fn run() {
    broadcast_demo().await;
    watch_demo().await;
    notify_demo().await;
}

async fn broadcast_demo() {
    let (tx, _) = broadcast::channel::<u32>(4);
    let mut listeners = Vec::new();
    for (name, per_message_ms) in [("fast", 0), ("slow", 15)] {
        let mut rx = tx.subscribe();
        let listen = async move {
            let (mut got, mut skipped) = (0, 0);
            loop {
                let next = rx
                    .recv()
                    .instrument(info_span!("recv", waiting_on = "the next broadcast"))
                    .await;
                match next {
                    Ok(_) => got += 1,
                    Err(broadcast::error::RecvError::Lagged(n)) => skipped += n,
                    Err(broadcast::error::RecvError::Closed) => break,
                }
                sleep(Duration::from_millis(per_message_ms))
                    .instrument(info_span!("handle", waiting_on = "its own work"))
                    .await;
            }
            (name, got, skipped)
        };
        listeners.push(tokio::spawn(listen.instrument(info_span!(
            "listener",
            task = format!("{name} subscriber").as_str()
        ))));
    }
    for n in 0..12 {
        tx.send(n).expect("subscribers exist");
        sleep(Duration::from_millis(2))
            .instrument(info_span!("pace", waiting_on = "2 ms between sends"))
            .await;
    }
    drop(tx); // closes the channel: each subscriber ends after the last message
    for listener in listeners {
        let (name, got, skipped) = listener.await.expect("no panic");
        println!(
            "broadcast (capacity 4), 12 sent: {name} subscriber received {got:>2}, told it missed {skipped:>2} (Lagged)"
        );
    }
}

async fn watch_demo() {
    let (tx, mut rx) = watch::channel(0_u32);
    let reader = async move {
        let mut seen = Vec::new();
        while rx
            .changed()
            .instrument(info_span!("changed", waiting_on = "a new config"))
            .await
            .is_ok()
        {
            seen.push(*rx.borrow_and_update());
            sleep(Duration::from_millis(20))
                .instrument(info_span!("reload", waiting_on = "reloading (20 ms)"))
                .await;
        }
        seen
    };
    let reader = tokio::spawn(reader.instrument(info_span!("reader", task = "config reader")));
    for version in 1..=20 {
        tx.send_replace(version);
        sleep(Duration::from_millis(3))
            .instrument(info_span!("pace", waiting_on = "3 ms between versions"))
            .await;
    }
    drop(tx);
    let seen = reader.await.expect("no panic");
    println!(
        "watch, 20 versions sent 3 ms apart: the reader (20 ms a reload) saw {} of them, {seen:?}: never a stale one, always the latest at the end",
        seen.len()
    );
}

async fn notify_demo() {
    let started = Instant::now();
    let bell = Arc::new(Notify::new());
    let mut waiters = Vec::new();
    for w in 1..=3 {
        let bell = Arc::clone(&bell);
        let wait = async move {
            bell.notified()
                .instrument(info_span!("notified", waiting_on = "the bell"))
                .await;
            (w, started.elapsed().as_millis())
        };
        waiters.push(tokio::spawn(wait.instrument(info_span!(
            "waiter",
            task = format!("waiter {w}").as_str()
        ))));
    }
    sleep(Duration::from_millis(30)).await;
    bell.notify_one(); // wakes one waiter
    sleep(Duration::from_millis(30)).await;
    bell.notify_waiters(); // wakes every waiter registered now; stores nothing
    for waiter in waiters {
        let (w, at) = waiter.await.expect("no panic");
        println!("Notify: waiter {w} woke at {at:>2} ms");
    }
    println!("  (notify_one at 30 ms woke one; notify_waiters at 60 ms woke the rest)");
    bell.notify_one(); // nobody waits: one permit is stored
    let early = Instant::now();
    bell.notified().await;
    println!(
        "  a notify_one with nobody waiting is kept as a permit: the next notified() returned in {} µs",
        early.elapsed().as_micros()
    );
}
