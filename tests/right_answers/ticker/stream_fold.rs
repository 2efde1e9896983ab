//! RIGHT: turns the receiver into a stream with `futures::stream::unfold` (the stream ends on Closed, a lag is an item) and folds it into the Seen.
//! # ticker · lesson 05 · every subscriber sees every price: tokio broadcast (V1, A6)
//!
//! A `tokio::sync::broadcast` channel delivers every message to every
//! receiver (unlike mpsc, where each message goes to one). It keeps the
//! last `capacity` messages; a receiver that falls further behind loses
//! the oldest ones, and its next `recv` says how many it lost.
//!
//! [`follow`] reads prices from one receiver until the channel is closed
//! (every sender dropped) and returns what it saw. Most of it is written;
//! complete the `match`:
//! - a receiver that fell behind is not finished: count how many prices it
//!   missed, and keep reading from the oldest one still kept;
//! - only a closed channel ends the loop; a quiet channel (no price for a
//!   long while) does not.
//!
//! Check it: `cargo run -- check ticker`
use futures::StreamExt;
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::RecvError;

/// What one subscriber saw.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Seen {
    /// The prices received, in the order they were sent.
    pub prices: Vec<u64>,
    /// How many prices were sent but lost because this receiver fell behind.
    pub missed: u64,
}

/// Reads `prices` until the channel closes.
pub async fn follow(prices: Receiver<u64>) -> Seen {
    // One item per `recv` that did not say Closed: a price, or a lag.
    let events = futures::stream::unfold(prices, |mut prices| async move {
        match prices.recv().await {
            Err(RecvError::Closed) => None,
            event => Some((event, prices)),
        }
    });
    events
        .fold(Seen::default(), |mut seen, event| async move {
            match event {
                Ok(price) => seen.prices.push(price),
                Err(RecvError::Lagged(lost)) => seen.missed += lost,
                Err(RecvError::Closed) => unreachable!("the stream ends on Closed"),
            }
            seen
        })
        .await
}
