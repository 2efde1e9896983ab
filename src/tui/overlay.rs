//! What is laid over the screen and takes the keys while it is: one at a
//! time, so which one is on top needs no rule. The state only: its keys are
//! in `app/overlay_keys.rs`, its drawing in `ui/popups.rs`, `ui/run.rs`
//! (past runs) and `bench_view.rs`.
use super::bench_view::BenchView;
use super::store::Browser;
use crate::catalog::Lesson;
use crate::questions::{Measured, Question};

pub enum Overlay {
    Welcome,
    /// The keys, scrolled this many rows.
    Help {
        scroll: usize,
    },
    /// A demo's question, before it runs.
    Ask(Ask),
    /// The run's answer beside the learner's pick.
    Reveal(Reveal),
    /// The list of past runs.
    PastRuns(Browser),
    /// The Benchmark view; closing it stops any measuring. (Boxed: it is
    /// the largest by far, and the others come and go with every key.)
    Bench(Box<BenchView>),
}

/// A demo's question, asked before it runs.
pub struct Ask {
    pub lesson: usize,
    pub demo: usize,
    /// Where the answer is kept: `04/lost_update`.
    pub key: String,
    pub question: Question,
    /// The choice under the cursor.
    pub cursor: usize,
}

impl Ask {
    pub fn new(lessons: &[Lesson], lesson: usize, demo: usize) -> Option<Ask> {
        let l = lessons.get(lesson)?;
        let d = l.demos.get(demo)?;
        let question = Question::parse(&d.text).ok()??;
        Some(Ask {
            lesson,
            demo,
            key: crate::questions::key(l.bin, &d.name),
            question,
            cursor: 0,
        })
    }
}

/// A prediction waiting for its run to end.
pub struct Prediction {
    pub lesson: &'static str,
    pub demo: String,
    pub key: String,
    pub question: Question,
    pub picked: Option<usize>,
}

/// The run's measured answer beside the learner's pick.
pub struct Reveal {
    pub question: Question,
    pub picked: Option<usize>,
    /// `None`: the run printed no line the rule reads.
    pub measured: Option<Measured>,
    /// How the run ended, when it did not end well.
    pub ended: Option<String>,
}
