//! WRONG: races the mirrors but never looks at the deadline: correct while some mirror answers in time, late when none does; the checks must set a deadline before every answer.
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
    let _ = deadline;
    first_ok.await
    // `running` is dropped here, and with it every mirror still running.
}
