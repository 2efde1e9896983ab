//! WRONG: asks the mirrors one after another and returns the first success: the right answer when the quick mirror comes first in the list, late otherwise; the checks must put the quickest mirror later in the list.
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use std::pin::Pin;
use std::time::Duration;

/// One mirror's answer to the question, or why it failed.
pub type Mirror = Pin<Box<dyn Future<Output = Result<String, String>> + Send>>;

/// The first successful answer and its mirror's index, or `None`.
pub async fn first_answer(mirrors: Vec<Mirror>, deadline: Duration) -> Option<(usize, String)> {
    let all = async {
        for (index, mirror) in mirrors.into_iter().enumerate() {
            if let Ok(answer) = mirror.await {
                return Some((index, answer));
            }
        }
        None
    };
    tokio::time::timeout(deadline, all).await.ok().flatten()
}
