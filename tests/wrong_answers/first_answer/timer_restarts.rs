//! WRONG: a loop that selects between the next result and a fresh sleep(deadline) each time round: every failed mirror restarts the timer, so the deadline moves; the checks must count the deadline from the call.
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
    loop {
        tokio::select! {
            next = running.next() => match next {
                Some((index, Ok(answer))) => return Some((index, answer)),
                Some((_, Err(_))) => continue,
                None => return None,
            },
            () = tokio::time::sleep(deadline) => return None,
        }
    }
}
