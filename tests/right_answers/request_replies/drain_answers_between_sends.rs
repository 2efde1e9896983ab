//! RIGHT: sends one question at a time and, before each send, takes the answers already waiting (try_recv); the rest are received after the last send. It cannot stick: the actor waits on a full answers channel only after taking a question, which frees the slot a waiting send needs, so the next drain always comes.
use tokio::sync::mpsc;

/// Sends every question in `list`, and returns the answers in order (fewer,
/// if the actor stopped early).
pub async fn ask_all(
    questions: &mpsc::Sender<u64>,
    answers: &mut mpsc::Receiver<u64>,
    list: &[u64],
) -> Vec<u64> {
    let mut received = Vec::with_capacity(list.len());
    for &question in list {
        // Take the answers that are already there, so the actor has room.
        while let Ok(answer) = answers.try_recv() {
            received.push(answer);
        }
        if questions.send(question).await.is_err() {
            break; // the actor stopped
        }
    }
    while received.len() < list.len() {
        match answers.recv().await {
            Some(answer) => received.push(answer),
            None => break, // the actor stopped
        }
    }
    received
}
