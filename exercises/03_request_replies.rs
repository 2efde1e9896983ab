//! # request_replies · lesson 03 · fix a conversation that hangs (A9)
//!
//! An actor task answers questions: it takes each question from one bounded
//! channel and puts its answer on another, in the same order. [`ask_all`]
//! sends it a list of questions and collects the answers, one per question,
//! in order. If the actor stops early (its channels close), `ask_all`
//! returns the answers it got so far.
//!
//! The symptom: with a handful of questions, the answers come back at
//! once. With a hundred, `ask_all` never returns, and nothing uses any CPU.
//! Making the channels bigger only moves the number where it starts.
//!
//! When it hangs, what is `ask_all` waiting for, and what is the actor
//! waiting for? Fix `ask_all` (the channels and the actor are not yours to
//! change) so that any number of questions get their answers.
//!
//! The checks run an actor on channels of capacity 4, on tokio's paused
//! clock, so a hang shows at once.
//!
//! Check it: `cargo run -- check request_replies`
use tokio::sync::mpsc;

/// Sends every question in `list`, and returns the answers in order (fewer,
/// if the actor stopped early).
pub async fn ask_all(
    questions: &mpsc::Sender<u64>,
    answers: &mut mpsc::Receiver<u64>,
    list: &[u64],
) -> Vec<u64> {
    // TODO: fine for a few questions, stuck for many.
    for &question in list {
        if questions.send(question).await.is_err() {
            break; // the actor stopped
        }
    }
    let mut received = Vec::with_capacity(list.len());
    for _ in list {
        match answers.recv().await {
            Some(answer) => received.push(answer),
            None => break, // the actor stopped
        }
    }
    received
}
