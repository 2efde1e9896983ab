use super::{assert_about, paused};
use crate::ex::first_answer::{Mirror, first_answer};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::{Instant, sleep};

/// Counts the mirrors dropped and the mirrors that ran to the end.
#[derive(Default)]
struct Tally {
    dropped: AtomicUsize,
    finished: AtomicUsize,
}

struct DropCount(Arc<Tally>);

impl Drop for DropCount {
    fn drop(&mut self) {
        self.0.dropped.fetch_add(1, Ordering::SeqCst);
    }
}

fn mirror(tally: &Arc<Tally>, secs: f64, answer: Result<&str, &str>) -> Mirror {
    let guard = DropCount(Arc::clone(tally));
    let answer = answer.map(str::to_string).map_err(str::to_string);
    Box::pin(async move {
        let _guard = guard;
        sleep(Duration::from_secs_f64(secs)).await;
        _guard.0.finished.fetch_add(1, Ordering::SeqCst);
        answer
    })
}

#[test]
fn the_first_success_wins_and_the_rest_are_cancelled() {
    isolated!();
    let (answer, took, dropped, finished) = paused("first_answer never returned", || async {
        let tally = Arc::new(Tally::default());
        let mirrors = vec![
            mirror(&tally, 3.0, Ok("slow")),
            mirror(&tally, 1.0, Err("mirror 1 is down")),
            mirror(&tally, 2.0, Ok("quick")),
            mirror(&tally, 5.0, Ok("slowest")),
        ];
        let start = Instant::now();
        let answer = first_answer(mirrors, Duration::from_secs(10)).await;
        let took = start.elapsed();
        // Give aborted tasks (if any were spawned) time to be dropped.
        sleep(Duration::from_secs(10)).await;
        let tally = &tally;
        (
            answer,
            took,
            tally.dropped.load(Ordering::SeqCst),
            tally.finished.load(Ordering::SeqCst),
        )
    });
    assert_eq!(
        answer,
        Some((2, "quick".to_string())),
        "mirror 2 answers first (mirror 1 fails)"
    );
    assert_about(
        took,
        Duration::from_secs(2),
        "the answer comes when mirror 2 answers",
    );
    assert_eq!(
        dropped, 4,
        "10 s after the answer, only {dropped} of the 4 mirrors had been dropped"
    );
    assert_eq!(
        finished, 2,
        "{finished} mirrors ran to their end, though only 2 (the failing one and the quick one) \
         had ended when the answer came: the others went on running after it"
    );
}

#[test]
fn the_deadline_gives_none() {
    isolated!();
    let (answer, took) = paused("first_answer never returned", || async {
        let tally = Arc::new(Tally::default());
        let mirrors = vec![
            mirror(&tally, 1.0, Ok("late")),
            mirror(&tally, 0.1, Err("down")),
        ];
        let start = Instant::now();
        (
            first_answer(mirrors, Duration::from_millis(500)).await,
            start.elapsed(),
        )
    });
    assert_eq!(answer, None, "no answer before the deadline");
    assert_about(
        took,
        Duration::from_millis(500),
        "None should come at the deadline",
    );
}

#[test]
fn all_failing_gives_none_at_once() {
    isolated!();
    let (answer, took) = paused("first_answer never returned", || async {
        let tally = Arc::new(Tally::default());
        let mirrors = vec![
            mirror(&tally, 1.0, Err("down")),
            mirror(&tally, 2.0, Err("down")),
        ];
        let start = Instant::now();
        (
            first_answer(mirrors, Duration::from_secs(60)).await,
            start.elapsed(),
        )
    });
    assert_eq!(answer, None);
    assert_about(
        took,
        Duration::from_secs(2),
        "when the last mirror fails there is nothing to wait for",
    );
}
