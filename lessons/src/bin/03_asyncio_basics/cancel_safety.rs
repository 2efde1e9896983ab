//! Lesson 03's `cancel_safety`: a `select!` loop that loses messages, each
//! loss counted and marked where it happens, then two fixes.
use std::collections::BTreeSet;
use std::pin::pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::sync::mpsc::{self, Receiver};
use tokio::time::{Interval, MissedTickBehavior, interval, sleep};
use tracing::{Instrument, info_span};

pub const MESSAGES: u32 = 30;
static LOST: AtomicU32 = AtomicU32::new(0);

/// Holds a received message until its pair is complete. Dropped with the
/// message still inside, it is the loss: counted and marked.
struct Holding(Option<u32>);

impl Drop for Holding {
    fn drop(&mut self) {
        if let Some(n) = self.0 {
            LOST.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(message = n, "lost: its future was dropped");
        }
    }
}

/// Receives two messages (one at the end if the channel closes). Not cancel
/// safe: between the two `.await`s the first message lives only inside this
/// future, so dropping the future drops the message.
async fn next_pair(rx: &mut Receiver<u32>) -> Option<Vec<u32>> {
    let first = rx.recv().await?;
    let mut holding = Holding(Some(first));
    let second = rx.recv().await;
    let first = holding.0.take().expect("still held");
    Some(std::iter::once(first).chain(second).collect())
}

/// Sends 1..=MESSAGES, one every 6 ms, then closes the channel.
fn start_producer() -> Receiver<u32> {
    let (tx, rx) = mpsc::channel(8);
    let producer = async move {
        for n in 1..=MESSAGES {
            sleep(Duration::from_millis(6))
                .instrument(info_span!("pace", waiting_on = "6 ms between messages"))
                .await;
            tx.send(n).await.expect("the consumer is alive");
        }
    };
    tokio::spawn(producer.instrument(info_span!("producer", task = "producer")));
    rx
}

/// A 10 ms heartbeat, the other branch of every `select!` below.
fn heartbeat() -> Interval {
    let mut tick = interval(Duration::from_millis(10));
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    tick
}

/// Wrong: a fresh `next_pair` future each time round the loop. When the
/// heartbeat wins while a pair is half received, the future is dropped and
/// its first message with it.
async fn lossy() -> Vec<u32> {
    let (mut rx, mut got, mut tick) = (start_producer(), Vec::new(), heartbeat());
    loop {
        tokio::select! {
            pair = next_pair(&mut rx).instrument(info_span!("pair", waiting_on = "a pair")) => {
                let Some(pair) = pair else { break };
                got.extend(pair);
            }
            _ = tick.tick() => {}
        }
    }
    got
}

/// Fix 1: keep one future alive across iterations. The whole consumer is a
/// single pinned future; `select!` polls it by `&mut` and never drops it
/// before it is done, only the heartbeat's future is made afresh.
async fn kept_future() -> Vec<u32> {
    let (mut rx, mut tick) = (start_producer(), heartbeat());
    let consume = async {
        let mut got = Vec::new();
        while let Some(pair) = next_pair(&mut rx)
            .instrument(info_span!("pair", waiting_on = "a pair"))
            .await
        {
            got.extend(pair);
        }
        got
    };
    let mut consume = pin!(consume);
    loop {
        tokio::select! {
            got = &mut consume => return got,
            _ = tick.tick() => {}
        }
    }
}

/// Fix 2: a cancel-safe method. `recv()` either returns a message or has
/// taken nothing, so losing the race costs nothing; the half-built pair
/// lives in the loop, outside any future.
async fn cancel_safe_recv() -> Vec<u32> {
    let (mut rx, mut got, mut tick) = (start_producer(), Vec::new(), heartbeat());
    let mut pair = Vec::new();
    loop {
        tokio::select! {
            message = rx.recv().instrument(info_span!("recv", waiting_on = "a message")) => {
                let Some(n) = message else { break };
                pair.push(n);
                if pair.len() == 2 {
                    got.append(&mut pair);
                }
            }
            _ = tick.tick() => {}
        }
    }
    got.append(&mut pair);
    got
}

/// Runs the three consumers one after the other and prints what each lost.
/// Returns the losses counted by the drop guard, per consumer.
pub async fn run() -> Vec<u32> {
    let mut counted = Vec::new();
    for (label, consumer) in [
        ("new next_pair() each loop  ", 0),
        ("one future kept, &mut      ", 1),
        ("recv() (cancel safe) + state", 2),
    ] {
        LOST.store(0, Ordering::Relaxed);
        let got = match consumer {
            0 => lossy().await,
            1 => kept_future().await,
            _ => cancel_safe_recv().await,
        };
        let received: BTreeSet<u32> = got.iter().copied().collect();
        let missing: Vec<u32> = (1..=MESSAGES).filter(|n| !received.contains(n)).collect();
        let lost = LOST.load(Ordering::Relaxed);
        println!(
            "{label}: received {:>2} of {MESSAGES}, missing {:>2} {missing:?}; dropped inside a future: {lost}",
            got.len(),
            missing.len()
        );
        counted.push(lost);
    }
    counted
}
