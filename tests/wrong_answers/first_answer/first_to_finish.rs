//! WRONG: returns whatever the first mirror to finish gives, and None when that is a failure: one mirror that fails quickly hides the good answers; the checks must include a quick failure.
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
            return answer.ok().map(|answer| (index, answer));
        }
        None
    };
    tokio::select! {
        answer = first_ok => answer,
        () = tokio::time::sleep(deadline) => None,
    }
    // `running` is dropped here, and with it every mirror still running.
}
