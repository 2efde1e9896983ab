//! WRONG: sends and receives at once, but treats a closed answers channel as impossible (expect), so an actor that stops early makes it panic: the checks must see it fail instead of returning what it got.
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
            received.push(answers.recv().await.expect("the actor always answers"));
        }
        received
    };
    let ((), received) = tokio::join!(send_all, receive_all);
    received
}
