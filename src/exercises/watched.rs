//! An exercise check with the kernel sampler on it, for the TUI. Each test
//! binary's process tree (the binary, and the process `isolated!()` starts
//! for each test) is sampled as a lesson's is, and the readings, the tests
//! as they end and how the check ended go out as a run's events
//! ([`RunEvent`], `Exited` last). So the learner's threads draw on the same
//! kernel rows as a lesson's: an answer that deadlocks shows its threads
//! blocked, one that busy-waits shows them on a core.
use super::runner::{Ended, Event};
use super::{CheckResult, check_with};
use crate::runner::sampler::Sampler;
use crate::runner::{Outcome, RunEvent, StopAsked};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// [`super::check_one_noting`], sending the check's run to `events`; once
/// `stop` is set, the test binary running then is stopped (its whole tree),
/// and so is any that starts after.
pub fn check_one_watched(
    name: &str,
    events: SyncSender<RunEvent>,
    stop: StopAsked,
) -> (CheckResult, Vec<String>) {
    let watch = KernelWatch::new(events, Some(stop));
    let (result, notes) = check_with(
        name,
        &mut |event| watch.on_event(&event),
        &|pid, stopper| Some(watch.on_binary(pid, stopper)),
    );
    watch.finish(&result);
    (result, notes)
}

/// What a watched check has sent so far.
pub(super) struct KernelWatch {
    events: SyncSender<RunEvent>,
    /// When the first test binary started: the timeline's time 0.
    started: OnceLock<Instant>,
    /// How the binaries ended: the first that did not succeed, else the last.
    ended: Arc<Mutex<Option<Outcome>>>,
    /// Whether the check was asked to stop (see [`check_one_watched`]).
    stop: Option<StopAsked>,
}

impl KernelWatch {
    pub(super) fn new(events: SyncSender<RunEvent>, stop: Option<StopAsked>) -> KernelWatch {
        KernelWatch {
            events,
            started: OnceLock::new(),
            ended: Arc::default(),
            stop,
        }
    }

    /// A closed channel means nobody shows the check any more: the check
    /// goes on, unseen.
    fn send(&self, event: RunEvent) {
        let _ = self.events.send(event);
    }

    /// Starts sampling a test binary's tree; the returned closure stops it
    /// when the binary has ended (see [`super::runner::Watch`]).
    pub(super) fn on_binary(&self, pid: u32, stopper: supervisor::Stopper) -> Ended {
        let first = self.started.get().is_none();
        let started = *self.started.get_or_init(Instant::now);
        if first {
            self.send(RunEvent::Started { pid });
        } else {
            self.send(RunEvent::Stdout(format!("next test binary (pid {pid})")));
        }
        let sampler = Sampler::start(pid, started, Arc::default(), self.events.clone());
        let over = Arc::new(AtomicBool::new(false));
        if let Some(stop) = self.stop.clone() {
            stop_when_asked(stop, stopper, over.clone());
        }
        let ended = self.ended.clone();
        Box::new(move |outcome: &supervisor::Outcome| {
            over.store(true, Ordering::SeqCst);
            sampler.finish();
            let outcome = match *outcome {
                supervisor::Outcome::Exited(code) => Outcome::Code(code),
                supervisor::Outcome::Signalled(signal) => Outcome::Signal(signal),
                supervisor::Outcome::TimedOut(limit) => Outcome::TimedOut(limit),
                supervisor::Outcome::Stopped => Outcome::Killed,
            };
            let mut slot = ended.lock().unwrap_or_else(PoisonError::into_inner);
            if slot.as_ref().is_none_or(Outcome::success) {
                *slot = Some(outcome);
            }
        })
    }

    pub(super) fn on_event(&self, event: &Event) {
        self.send(match *event {
            Event::Building => {
                RunEvent::Build("building the checks (cargo test --no-run -p exercises)".into())
            }
            Event::Planned(tests) => RunEvent::Stdout(format!(
                "{tests} check{} to run, each in a process of its own",
                if tests == 1 { "" } else { "s" }
            )),
            Event::Test { name, passed } => RunEvent::Stdout(format!(
                "test {name} ... {}",
                if passed { "ok" } else { "FAILED" }
            )),
        });
    }

    /// Says how the check ended; `Exited` is the last event.
    pub(super) fn finish(&self, result: &CheckResult) {
        let message = result.message.clone().unwrap_or_default();
        let ended = self
            .ended
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let outcome = match ended {
            Some(outcome) => outcome,
            None if message.starts_with(super::DO_NOT_COMPILE) => {
                self.send(RunEvent::BuildFailed(message.clone()));
                Outcome::FailedToStart("the exercises did not compile".into())
            }
            None => Outcome::FailedToStart(message.lines().next().unwrap_or("").to_string()),
        };
        let verdict = if result.passed {
            format!("{}: done ✓ ({} tests passed)", result.name, result.tests)
        } else {
            format!(
                "{}: pending, {} of {} tests failed",
                result.name, result.failed, result.tests
            )
        };
        self.send(RunEvent::Stdout(verdict));
        if ended_ran(&outcome) {
            for line in message.lines() {
                self.send(RunEvent::Stdout(line.to_string()));
            }
        }
        self.send(RunEvent::Exited(outcome));
    }
}

/// Stops the test binary's tree once `stop` is set, unless it is `over`
/// first (looked at every 50 ms, on a thread of its own).
fn stop_when_asked(stop: StopAsked, stopper: supervisor::Stopper, over: Arc<AtomicBool>) {
    let _ = std::thread::Builder::new()
        .name("check-stop".into())
        .spawn(move || {
            while !over.load(Ordering::SeqCst) {
                if stop.is_set() {
                    stopper.stop();
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
}

/// Whether a test binary ran (its failures are worth printing).
fn ended_ran(outcome: &Outcome) -> bool {
    !matches!(outcome, Outcome::FailedToStart(_))
}

#[cfg(test)]
#[path = "watched_tests.rs"]
mod tests;
