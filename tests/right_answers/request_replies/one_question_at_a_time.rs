//! RIGHT: asks one question, waits for its answer, then asks the next: slower (no question waits in the channel), but never stuck, and in order.
use tokio::sync::mpsc;

pub async fn ask_all(
    questions: &mpsc::Sender<u64>,
    answers: &mut mpsc::Receiver<u64>,
    list: &[u64],
) -> Vec<u64> {
    let mut received = Vec::with_capacity(list.len());
    for &question in list {
        if questions.send(question).await.is_err() {
            break;
        }
        match answers.recv().await {
            Some(answer) => received.push(answer),
            None => break,
        }
    }
    received
}
