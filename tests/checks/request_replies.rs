use super::paused;
use crate::ex::request_replies::ask_all;
use std::time::Duration;
use tokio::sync::mpsc;

/// Starts an actor on channels of capacity 4 that answers `q` with `q * q`
/// after `q % 5 * 30` ms (virtual), and stops after `stop_after` questions.
fn actor(stop_after: usize) -> (mpsc::Sender<u64>, mpsc::Receiver<u64>) {
    let (questions, mut inbox) = mpsc::channel::<u64>(4);
    let (outbox, answers) = mpsc::channel::<u64>(4);
    tokio::spawn(async move {
        for _ in 0..stop_after {
            let Some(question) = inbox.recv().await else {
                break;
            };
            tokio::time::sleep(Duration::from_millis(question % 5 * 30)).await;
            if outbox.send(question * question).await.is_err() {
                break;
            }
        }
    });
    (questions, answers)
}

/// Asks `count` questions of an actor that stops after `stop_after`; the
/// answers, or `None` if ask_all had not returned after 10 virtual minutes.
fn conversation(count: u64, stop_after: usize) -> Option<Vec<u64>> {
    paused("ask_all blocked the thread", move || async move {
        let (questions, mut answers) = actor(stop_after);
        let list: Vec<u64> = (1..=count).collect();
        let asking = ask_all(&questions, &mut answers, &list);
        tokio::time::timeout(Duration::from_secs(600), asking)
            .await
            .ok()
    })
}

fn squares(count: u64) -> Vec<u64> {
    (1..=count).map(|q| q * q).collect()
}

#[test]
fn a_few_questions() {
    isolated!();
    let answers = conversation(3, usize::MAX).expect("3 questions: ask_all never returned");
    assert_eq!(answers, squares(3));
}

#[test]
fn many_more_questions_than_the_channels_hold() {
    isolated!();
    let count = 200;
    let answers = conversation(count, usize::MAX).unwrap_or_else(|| {
        panic!(
            "{count} questions over channels of capacity 4: ask_all never returned, and the actor \
             and ask_all were both waiting"
        )
    });
    assert_eq!(
        answers.len(),
        count as usize,
        "answers received for {count} questions"
    );
    assert!(
        answers == squares(count),
        "the answers are not the squares of 1..={count}, in order"
    );
}

#[test]
fn an_actor_that_stops_early_gives_what_it_answered() {
    isolated!();
    let answers = conversation(50, 10).expect(
        "the actor stopped after 10 of 50 questions (both its channels closed), and ask_all never returned",
    );
    assert_eq!(
        answers,
        squares(10),
        "the answers from an actor that stopped after 10 questions"
    );
}
