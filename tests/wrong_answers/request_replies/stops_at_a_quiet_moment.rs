//! WRONG: ends the receiving loop when no answer came for 50 ms (a timeout) instead of when every answer is in or the channel closed: a slow answer cuts the list short: the checks must see the missing answers.
use tokio::sync::mpsc;

/// Sends every question in `list`, and returns the answers in order (fewer,
/// if the actor stopped early).
pub async fn ask_all(
    questions: &mpsc::Sender<u64>,
    answers: &mut mpsc::Receiver<u64>,
    list: &[u64],
) -> Vec<u64> {
    let send_all = async {
        for &question in list {
            if questions.send(question).await.is_err() {
                break; // the actor stopped
            }
        }
    };
    let receive_all = async {
        let mut received = Vec::with_capacity(list.len());
        for _ in list {
            match tokio::time::timeout(std::time::Duration::from_millis(50), answers.recv()).await {
                Ok(Some(answer)) => received.push(answer),
                _ => break, // quiet for a while, or the actor stopped
            }
        }
        received
    };
    let ((), received) = tokio::join!(send_all, receive_all);
    received
}
