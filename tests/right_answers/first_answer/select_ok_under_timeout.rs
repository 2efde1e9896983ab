//! RIGHT: futures' select_ok (the first Ok, or every mirror failed) under tokio::time::timeout; returning drops select_ok and with it every mirror still running.
use futures::FutureExt;
use std::pin::Pin;
use std::time::Duration;

/// One mirror's answer to the question, or why it failed.
pub type Mirror = Pin<Box<dyn Future<Output = Result<String, String>> + Send>>;

/// The first successful answer and its mirror's index, or `None`.
pub async fn first_answer(mirrors: Vec<Mirror>, deadline: Duration) -> Option<(usize, String)> {
    if mirrors.is_empty() {
        return None; // select_ok needs at least one future
    }
    let tagged = mirrors.into_iter().enumerate().map(|(index, mirror)| {
        mirror
            .map(move |answer| answer.map(|answer| (index, answer)))
            .boxed()
    });
    match tokio::time::timeout(deadline, futures::future::select_ok(tagged)).await {
        Ok(Ok((first, _still_running))) => Some(first),
        // Every mirror failed, or the deadline passed first.
        Ok(Err(_)) | Err(_) => None,
    }
}
