//! RIGHT: one loop that races sending the next question against receiving an answer in `tokio::select!`; a send that loses the race is simply sent again (mpsc's send is cancel-safe: a dropped send sent nothing).
use tokio::sync::mpsc;

/// Sends every question in `list`, and returns the answers in order (fewer,
/// if the actor stopped early).
pub async fn ask_all(
    questions: &mpsc::Sender<u64>,
    answers: &mut mpsc::Receiver<u64>,
    list: &[u64],
) -> Vec<u64> {
    let mut next = 0; // index of the next question to send
    let mut received = Vec::with_capacity(list.len());
    while received.len() < list.len() {
        tokio::select! {
            sent = questions.send(list[next.min(list.len() - 1)]), if next < list.len() => {
                match sent {
                    Ok(()) => next += 1,
                    Err(_) => next = list.len(), // the actor stopped: send no more
                }
            }
            answer = answers.recv() => match answer {
                Some(answer) => received.push(answer),
                None => break, // the actor stopped
            },
        }
    }
    received
}
