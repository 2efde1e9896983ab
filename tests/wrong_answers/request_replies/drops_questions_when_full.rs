//! WRONG: sends with try_send so it never waits, dropping a question whenever the channel is full; those questions never get answers and the receiver waits for them for ever: the checks must see the hang.
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
            let _ = questions.try_send(question); // never wait
        }
    };
    let receive_all = async {
        let mut received = Vec::with_capacity(list.len());
        for _ in list {
            match answers.recv().await {
                Some(answer) => received.push(answer),
                None => break, // the actor stopped
            }
        }
        received
    };
    let ((), received) = tokio::join!(send_all, receive_all);
    received
}
