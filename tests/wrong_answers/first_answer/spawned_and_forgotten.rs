//! WRONG: spawns every mirror with tokio::spawn and returns the first success from a channel, without aborting the rest: the right answer at the right time, and the other mirrors run on; the checks must see them finish.
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use std::pin::Pin;
use std::time::Duration;

/// One mirror's answer to the question, or why it failed.
pub type Mirror = Pin<Box<dyn Future<Output = Result<String, String>> + Send>>;

/// The first successful answer and its mirror's index, or `None`.
pub async fn first_answer(mirrors: Vec<Mirror>, deadline: Duration) -> Option<(usize, String)> {
    let (answer_tx, mut answer_rx) = tokio::sync::mpsc::unbounded_channel();
    for (index, mirror) in mirrors.into_iter().enumerate() {
        let answer_tx = answer_tx.clone();
        tokio::spawn(async move {
            let _ = answer_tx.send((index, mirror.await));
        });
    }
    drop(answer_tx);
    let first_ok = async {
        while let Some((index, answer)) = answer_rx.recv().await {
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
}
