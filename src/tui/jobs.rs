//! Starting the TUI's background jobs, each posting what it finishes to the
//! loop's one inbox as an [`Event::Done`]. The loop sleeps on that inbox
//! alone: keys, signals, a run's events and every job's result wake it, and
//! none waits for a tick.
use super::app::{Done, Event};
use super::bench_view::BenchView;
use super::exercise;
use super::inbox::Ticket;
use super::session::{self, Session};
use super::source::Highlighter;
use super::store;
use std::path::PathBuf;
use std::sync::mpsc::Sender;

/// The inbox's sending side, for the jobs the loop starts.
#[derive(Clone)]
pub struct Jobs {
    inbox: Sender<Event>,
}

impl Jobs {
    pub fn new(inbox: Sender<Event>) -> Jobs {
        Jobs { inbox }
    }

    /// Posts `done`; false once the loop has gone.
    fn post(&self, done: Done) -> bool {
        self.inbox.send(Event::Done(done)).is_ok()
    }

    /// The run's events ring the inbox when they arrive. If no thread can
    /// be started for that, says so: the run is then taken on each tick.
    pub fn ring(&self, session: &mut Session) -> Option<String> {
        let jobs = self.clone();
        session
            .ring(move || {
                jobs.post(Done::RunEvents);
            })
            .err()
            .map(|err| format!("the timeline lags (taken 4 times a second): cannot watch the run's events: {err}"))
    }

    /// Asks for more of the run's events after what else is waiting.
    pub fn more_run_events(&self) {
        self.post(Done::RunEvents);
    }

    pub fn highlight(&self, sources: Vec<&'static str>) {
        let jobs = self.clone();
        Highlighter::start(sources, move |lines| jobs.post(Done::Highlighted(lines)));
    }

    /// Prunes old runs (never `current`), saying what went, if anything.
    pub fn prune(&self, current: PathBuf) {
        let jobs = self.clone();
        let _ = std::thread::Builder::new()
            .name("prune runs".into())
            .spawn(move || {
                if let Some(said) = crate::run::store::prune_now(&current) {
                    jobs.post(Done::Pruned(said));
                }
            });
    }

    /// Opens a past run in the background; dropping the ticket calls it off.
    pub fn open_run(&self, dir: PathBuf) -> Ticket {
        let (ticket, stub) = Ticket::new();
        let jobs = self.clone();
        session::open_in_background(dir, move |loading| {
            stub.wanted() && jobs.post(Done::Opening(stub.id, loading))
        });
        ticket
    }

    /// Lists the past runs (a folder of hundreds takes a while).
    pub fn list_runs(&self) {
        let jobs = self.clone();
        let spawned = std::thread::Builder::new()
            .name("list runs".into())
            .spawn(move || {
                jobs.post(Done::Runs(store::Browser::open()));
            });
        if spawned.is_err() {
            self.post(Done::Runs(store::Browser::open()));
        }
    }

    /// Reads exercise `index`'s file (read number `seq`).
    pub fn read_exercise(&self, index: usize, seq: u64) {
        let info = &crate::exercises::catalog()[index];
        let jobs = self.clone();
        let spawned = std::thread::Builder::new()
            .name("read exercise".into())
            .spawn(move || {
                let text = exercise::read_file(info);
                jobs.post(Done::ExerciseFile { index, seq, text });
            });
        if let Err(err) = spawned {
            self.post(Done::ExerciseFile {
                index,
                seq,
                text: Err(format!("cannot read it: {err}")),
            });
        }
    }

    /// Measures for the Benchmark view.
    pub fn bench(&self) -> BenchView {
        let jobs = self.clone();
        BenchView::start(move |id, printed| {
            jobs.post(Done::Measured(id, printed));
        })
    }

    /// Where a check's result goes.
    pub fn checked(&self) -> impl FnOnce(exercise::Checked) + Send + 'static {
        let jobs = self.clone();
        move |checked| {
            jobs.post(Done::Checked(checked));
        }
    }
}
