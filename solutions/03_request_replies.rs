//! # request_replies · lesson 03 · fix a conversation that hangs (A9)
//!
//! Reference answer. Both channels are bounded: once the answers channel
//! is full, the actor waits for room before it takes another question;
//! once the questions channel is full, the old `ask_all` waited for room
//! too, and it read no answers until it had sent every question. Each
//! waited for the other. Here sending and receiving run at the same time
//! (`join!` polls both in one task), so answers are taken while questions
//! are still going out.
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
