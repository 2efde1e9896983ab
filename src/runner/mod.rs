//! The runner: builds a lesson, starts it in its own process group, streams
//! its output and trace records to the caller as they happen, stops it on
//! request or timeout, and always reaps it.
//!
//! Threads, after the pattern of bacon's executor: one owner thread that
//! builds, spawns, waits and kills; one reader per output stream (so neither
//! pipe fills up and blocks the lesson); one listener for trace connections
//! and one reader per connection. All of them feed one channel of
//! [`RunEvent`]s, and [`RunEvent::Exited`] is always the last.
//!
//! The channel is bounded ([`EVENT_CAPACITY`] events), so memory stays
//! bounded when a lesson floods spans faster than the caller takes them in:
//! a full channel holds the connection readers back, the socket fills, and
//! the lesson's recorder, which never waits, counts what it cannot send as
//! dropped (shown with the timeline). The lesson is never blocked by tracing.
mod build;
mod child;
mod freeze;
mod listen;
pub mod sampler;

use crate::catalog::Lesson;
use crate::wire::Record;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender as Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use build::lesson_binary;
pub use freeze::Freezer;
pub use listen::MAX_OPEN_CONNECTIONS;

/// Events the runner's channel holds before its senders wait: a trace batch
/// is at most one 64 KiB read, about 2,800 records (~200 KiB in memory), so
/// this bounds a run's queue to about 50 MiB.
pub const EVENT_CAPACITY: usize = 256;

/// How long a lesson may run before the runner stops it, wherever it runs
/// from (`workbook run`, `trace`, `compare`, the TUI, the trace bench): the
/// longest lesson run whole takes well under a minute even on a busy
/// 2-core machine, and a demo left hanging (a deadlock shown live) is
/// stopped after this. The build before it is not counted. `workbook run
/// --timeout` overrides it for one run.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEvent {
    /// A progress line from cargo ("Compiling workbook ...").
    Build(String),
    /// The compiler's errors, as cargo printed them, without colour codes.
    BuildFailed(String),
    Started {
        pid: u32,
    },
    /// One line of the lesson's standard output.
    Stdout(String),
    Stderr(String),
    Trace {
        conn: u32,
        records: Vec<Record>,
    },
    /// A trace connection closed: its process ended or crashed.
    Disconnected {
        conn: u32,
    },
    WireError {
        conn: u32,
        message: String,
    },
    /// How many processes the lesson left running (strays, those that left
    /// its process group too) were ended with it. Sent before `Exited`.
    Strays(usize),
    /// How the lesson ended. Always the last event.
    Exited(Outcome),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Code(i32),
    /// It exited with code 101 after a panic; the message is the panic's.
    Panicked {
        message: String,
    },
    Signal(i32),
    /// Stopped by [`Run::stop`].
    Killed,
    TimedOut(Duration),
    FailedToStart(String),
    /// The build failed: the compiler's errors went out before, as
    /// [`RunEvent::BuildFailed`].
    BuildFailed,
}

impl Outcome {
    pub fn success(&self) -> bool {
        *self == Outcome::Code(0)
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Code(0) => write!(f, "exited normally (code 0)"),
            Outcome::Code(code) => write!(f, "exited with code {code}"),
            Outcome::Panicked { message } => write!(f, "panicked: {message}"),
            Outcome::Signal(signal) => {
                let name =
                    nix::sys::signal::Signal::try_from(*signal).map_or("unknown", |s| s.as_str());
                write!(f, "killed by signal {signal} ({name})")
            }
            Outcome::Killed => write!(f, "stopped"),
            Outcome::TimedOut(limit) => {
                write!(f, "stopped after running longer than {}s", limit.as_secs())
            }
            Outcome::FailedToStart(why) => write!(f, "did not start: {why}"),
            Outcome::BuildFailed => write!(f, "did not compile"),
        }
    }
}

/// What a run's ending says about [`RunEvent::Strays`].
pub fn strays_line(count: usize) -> String {
    let noun = if count == 1 { "process" } else { "processes" };
    format!("workbook: ended {count} stray {noun} the lesson left running")
}

#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Run one demo (`--demo NAME`) instead of the whole lesson.
    pub demo: Option<String>,
    pub timeout: Option<Duration>,
    /// Run cargo first so the binary matches the source.
    pub build: bool,
    /// The most trace bytes the run's processes may send in all; `None`:
    /// [`MAX_TRACE_BYTES`]. Past it their records are refused and counted.
    pub trace_limit: Option<u64>,
}

/// A run's trace is taken up to this many bytes (a lesson flooding records
/// for minutes, or garbage after a good hello); the rest is refused, counted
/// and reported. Ten seconds of `workbook bench flood` stay well under it.
pub const MAX_TRACE_BYTES: u64 = 1 << 30;

/// A lesson run in progress. Dropping it stops the lesson and reaps it.
pub struct Run {
    events: Receiver<RunEvent>,
    control: Arc<Control>,
    owner: Option<std::thread::JoinHandle<()>>,
    /// Set when the bell of [`Run::ring`] has rung and the reader has not
    /// yet come for the events.
    rung: Arc<AtomicBool>,
}

/// See [`Run::stop_asked`].
#[derive(Clone)]
pub struct StopAsked(Arc<Control>);

impl StopAsked {
    pub fn is_set(&self) -> bool {
        self.0.stop.load(Ordering::SeqCst)
    }
}

/// Shared between the caller and the owner thread.
#[derive(Default)]
struct Control {
    stop: AtomicBool,
    /// Stops the lesson's whole tree; set while the lesson (or its build)
    /// runs.
    stopper: Mutex<Option<supervisor::Stopper>>,
    freeze: Mutex<freeze::FreezeState>,
}

impl Control {
    fn freeze(&self) -> std::sync::MutexGuard<'_, freeze::FreezeState> {
        self.freeze
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Notes what to stop; stops it at once if a stop was asked meanwhile.
    fn supervise(&self, stopper: supervisor::Stopper) {
        let mut slot = self
            .stopper
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.stop.load(Ordering::SeqCst) {
            stopper.stop();
        }
        *slot = Some(stopper);
    }

    fn supervise_none(&self) {
        *self
            .stopper
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }
}

impl Run {
    pub fn start(lesson: &Lesson, options: RunOptions) -> anyhow::Result<Run> {
        let exe = lesson_binary(lesson.bin)?;
        Ok(Self::start_program(exe, lesson.bin, options))
    }

    /// Runs any lesson-like program (tests use this with small fixtures).
    pub fn start_program(exe: PathBuf, bin: &'static str, options: RunOptions) -> Run {
        let (tx, events) = std::sync::mpsc::sync_channel(EVENT_CAPACITY);
        let control = Arc::new(Control::default());
        let for_owner = control.clone();
        let owner = std::thread::Builder::new()
            .name("run-owner".into())
            .spawn(move || own(&exe, bin, &options, &for_owner, &tx))
            .expect("spawning a thread");
        Run {
            events,
            control,
            owner: Some(owner),
            rung: Arc::default(),
        }
    }

    /// A run whose events another thread sends (an exercise check with
    /// the kernel sampler on it, a compare): nothing here owns a process,
    /// so dropping it does not wait; [`Run::stop`] only sets what
    /// [`Run::stop_asked`] reads. The sender learns the run is gone when
    /// its sends fail.
    pub fn watching(events: Receiver<RunEvent>) -> Run {
        Run {
            events,
            control: Arc::new(Control::default()),
            owner: None,
            rung: Arc::default(),
        }
    }

    /// Whether [`Run::stop`] was called, for the thread that sends a
    /// [`Run::watching`] run's events.
    pub fn stop_asked(&self) -> StopAsked {
        StopAsked(self.control.clone())
    }

    pub fn events(&self) -> &Receiver<RunEvent> {
        &self.events
    }

    /// Calls `bell` when events arrive, once until the reader comes for
    /// them ([`Run::rearm`]), so a reader that sleeps on a channel of its
    /// own (the TUI's loop) wakes for them without polling. A relay thread
    /// moves the events into a channel as bounded as the runner's, so a
    /// reader that falls behind still holds the runner back. The relay ends
    /// with the run's last sender, or when the reader is gone.
    pub fn ring(&mut self, bell: impl Fn() + Send + 'static) -> std::io::Result<()> {
        let (tx, relayed) = std::sync::mpsc::sync_channel(EVENT_CAPACITY);
        let rung = self.rung.clone();
        // The runner's receiver goes to the thread once it exists: if it
        // cannot be started, the run keeps its events and is read as before.
        let (hand_over, handed) = std::sync::mpsc::channel::<Receiver<RunEvent>>();
        std::thread::Builder::new()
            .name("run-bell".into())
            .spawn(move || {
                let Ok(from) = handed.recv() else { return };
                for event in from {
                    if tx.send(event).is_err() {
                        return;
                    }
                    if !rung.swap(true, Ordering::SeqCst) {
                        bell();
                    }
                }
            })?;
        let from = std::mem::replace(&mut self.events, relayed);
        // The thread is waiting for it: the send cannot fail.
        let _ = hand_over.send(from);
        Ok(())
    }

    /// The reader is about to take the events: the next event rings again.
    /// Called before taking them, so none is left without a ring.
    pub fn rearm(&self) {
        self.rung.store(false, Ordering::SeqCst);
    }

    /// Freezes and resumes the lesson's whole tree (see [`Freezer`]).
    pub fn freezer(&self) -> Freezer {
        Freezer {
            control: self.control.clone(),
        }
    }

    /// Kills the lesson and every process it started. [`RunEvent::Exited`]
    /// follows.
    pub fn stop(&self) {
        let slot = self
            .control
            .stopper
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.control.stop.store(true, Ordering::SeqCst);
        if let Some(stopper) = &*slot {
            stopper.stop();
        }
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        self.stop();
        if let Some(owner) = self.owner.take() {
            // Keep taking events while the owner winds down: the channel is
            // bounded, and a reader or the owner itself may be waiting to
            // send into it.
            while !owner.is_finished() {
                if let Err(RecvTimeoutError::Disconnected) =
                    self.events.recv_timeout(Duration::from_millis(10))
                {
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
            let _ = owner.join();
        }
    }
}

/// The owner thread: build, spawn, wait, and always send `Exited`.
fn own(
    exe: &std::path::Path,
    bin: &str,
    options: &RunOptions,
    control: &Control,
    tx: &Sender<RunEvent>,
) {
    if options.build {
        let failed = match build::build(bin, tx, control) {
            Ok(()) => None,
            Err(build::BuildError::Stopped) => Some(Outcome::Killed),
            Err(build::BuildError::Failed) => Some(Outcome::BuildFailed),
            Err(build::BuildError::CannotRun(why)) => Some(Outcome::FailedToStart(why)),
        };
        if let Some(outcome) = failed {
            let _ = tx.send(RunEvent::Exited(outcome));
            return;
        }
    }
    if control.stop.load(Ordering::SeqCst) {
        let _ = tx.send(RunEvent::Exited(Outcome::Killed));
        return;
    }
    let outcome = child::run(exe, options, control, tx);
    let _ = tx.send(RunEvent::Exited(outcome));
}
