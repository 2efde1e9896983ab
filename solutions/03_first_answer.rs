//! # first_answer · lesson 03 · the first answer wins, with a deadline (A11)
//!
//! The same question goes to several mirrors. Ask all of them at once and
//! return the first successful answer with the index of the mirror that gave
//! it. A mirror that fails is ignored. Return `None` when every mirror failed,
//! or when `deadline` passes before any answered.
//!
//! The mirrors still running when you return must be cancelled. In Rust a
//! future that is dropped is cancelled: it never runs again. So do not spawn
//! them and forget them; keep them in something that you drop on return.
//!
//! One way: put the mirrors in a `futures::stream::FuturesUnordered`, which
//! yields each result as it completes, and race that loop against
//! `tokio::time::sleep(deadline)` with `tokio::select!`.
//!
//! Check it: `cargo run -- check first_answer`
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use std::pin::Pin;
use std::time::Duration;

/// One mirror's answer to the question, or why it failed.
pub type Mirror = Pin<Box<dyn Future<Output = Result<String, String>> + Send>>;

/// The first successful answer and its mirror's index, or `None`.
pub async fn first_answer(mirrors: Vec<Mirror>, deadline: Duration) -> Option<(usize, String)> {
    let mut running: FuturesUnordered<_> = mirrors
        .into_iter()
        .enumerate()
        .map(|(index, mirror)| async move { (index, mirror.await) })
        .collect();
    let first_ok = async {
        while let Some((index, answer)) = running.next().await {
            if let Ok(answer) = answer {
                return Some((index, answer));
            }
        }
        None
    };
    tokio::select! {
        answer = first_ok => answer,
        () = tokio::time::sleep(deadline) => None,
    }
    // `running` is dropped here, and with it every mirror still running.
}
