//! The sampler: what the kernel saw of every thread of the run, with no
//! instrumentation in the lesson. Every few milliseconds it reads each
//! thread's `/proc/PID/task/TID/schedstat` (nanoseconds on a CPU, nanoseconds
//! waiting in a run queue) and `stat` (state letter, name) for the lesson and
//! every process descended from it, and sends the readings as Sample records
//! on [`SAMPLER_CONN`] (see [`crate::wire`]).
//!
//! Cost is kept bounded two ways. A round is cheap: one `pread` of each
//! thread's `schedstat` on a file kept open, `stat` every few rounds, and
//! new processes and threads looked for only when the kernel created some
//! task ([`tree`]). And the interval adapts ([`pace`]): the sampler
//! measures its own CPU time per turn of its loop and waits long enough
//! that it stays near [`BUDGET`] of one core on average, however many
//! threads the run has.
mod pace;
mod procfs;
mod tree;

use super::RunEvent;
use crate::wire::{Record, SAMPLER_CONN};
use pace::Pace;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender as Sender;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tree::Tree;

/// The shortest interval: fine enough to see a 10 ms time slice.
pub const MIN_INTERVAL: Duration = Duration::from_millis(5);
/// The longest: a run of thousands of threads is read ten times a second.
const MAX_INTERVAL: Duration = Duration::from_millis(100);
/// The share of one core the sampler aims to stay under, on average.
pub const BUDGET: f64 = 0.01;
/// CPU time the sampler may spend ahead of its budget: the start of a run,
/// when every thread is new and its files are opened, is sampled finely
/// however short the run.
pub const BURST: Duration = Duration::from_millis(4);

/// What the runner asks of the sampler between rounds.
#[derive(Debug, Default)]
pub struct Requests {
    /// Records to send with the next round (the runner's Freeze records).
    pending: Mutex<Vec<Record>>,
    /// Read every thread's state in the next round: it just changed.
    read_states: AtomicBool,
}

impl Requests {
    /// Sends `record` with the next round, whose readings of every
    /// thread's state are fresh.
    pub fn send_with_next_round(&self, record: Record) {
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(record);
        self.read_states.store(true, Ordering::SeqCst);
    }

    fn take(&self) -> (Vec<Record>, bool) {
        let read_states = self.read_states.swap(false, Ordering::SeqCst);
        let pending =
            std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner));
        (pending, read_states)
    }
}

/// A running sampler; [`Sampler::finish`] stops it.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Sampler {
    /// Samples the process group `root` (the lesson's pid) and descendants
    /// of its processes. `started` is the run's epoch, so sample times line
    /// up with the recorder's.
    pub fn start(
        root: u32,
        started: Instant,
        requests: Arc<Requests>,
        tx: Sender<RunEvent>,
    ) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let for_thread = stop.clone();
        let handle = std::thread::Builder::new()
            .name("kernel-sampler".into())
            .spawn(move || {
                let mut batch = Batch::default();
                let send = |records| batch.add(records, &tx);
                sample_loop(root, started, &for_thread, &requests, send);
                batch.send(&tx);
            })
            .ok();
        Sampler { stop, handle }
    }

    pub fn finish(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(handle) = self.handle.take() {
            handle.thread().unpark();
            let _ = handle.join();
        }
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(handle) = &self.handle {
            handle.thread().unpark();
        }
    }
}

/// Rounds' samples are sent together at most this often: each send wakes
/// the thread that takes the run's events in (and, in the terminal app,
/// draws), and a round comes every [`MIN_INTERVAL`]; one send in four
/// costs a quarter of the wake-ups and is still within the 30 ms between
/// two frames of the view. The samples carry their own times.
const SEND_EVERY: Duration = Duration::from_millis(20);

/// Samples of a few rounds on their way to the run's events.
struct Batch {
    records: Vec<Record>,
    sent: Instant,
}

impl Default for Batch {
    fn default() -> Batch {
        Batch {
            records: Vec::new(),
            sent: Instant::now(),
        }
    }
}

impl Batch {
    /// Holds a round's records, or sends them with those held when
    /// [`SEND_EVERY`] has passed or when they say more than samples do (a
    /// freeze, a new process, the sampler's status): those go at once.
    /// False when nobody listens any more.
    fn add(&mut self, records: Vec<Record>, tx: &Sender<RunEvent>) -> bool {
        let at_once = records.iter().any(|r| !matches!(r, Record::Sample(_)));
        self.records.extend(records);
        if at_once || self.sent.elapsed() >= SEND_EVERY {
            return self.send(tx);
        }
        true
    }

    fn send(&mut self, tx: &Sender<RunEvent>) -> bool {
        self.sent = Instant::now();
        if self.records.is_empty() {
            return true;
        }
        tx.send(RunEvent::Trace {
            conn: SAMPLER_CONN,
            records: std::mem::take(&mut self.records),
        })
        .is_ok()
    }
}

/// Why this machine cannot be sampled, if it cannot.
pub fn unavailable() -> Option<String> {
    match std::fs::read_to_string("/proc/thread-self/schedstat") {
        Ok(text) if parse_schedstat(&text).is_some() => None,
        Ok(_) => Some("/proc/thread-self/schedstat has an unexpected format".into()),
        Err(e) => Some(format!(
            "cannot read /proc/thread-self/schedstat ({e}): no /proc or a kernel without schedstats"
        )),
    }
}

/// Runs rounds until `stop`, sending each round's records, after what
/// `requests` asked to send, through `send` (which returns false when
/// nobody listens any more). Whoever sets `stop` unparks this thread.
pub fn sample_loop(
    root: u32,
    started: Instant,
    stop: &AtomicBool,
    requests: &Requests,
    mut send: impl FnMut(Vec<Record>) -> bool,
) {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get() as u16);
    if let Some(note) = unavailable() {
        send(vec![Record::Sampler {
            interval: 0,
            cpus,
            note,
        }]);
        // Nothing to read, but the runner's requests still go out.
        while !stop.load(Ordering::SeqCst) {
            sleep_unless_stopped(MAX_INTERVAL, stop);
            let (pending, _) = requests.take();
            if !pending.is_empty() && !send(pending) {
                return;
            }
        }
        return;
    }
    let first = Record::Sampler {
        interval: MIN_INTERVAL.as_nanos() as u64,
        cpus,
        note: String::new(),
    };
    if !send(vec![first]) {
        return;
    }
    let mut tree = Tree::new(root);
    let mut pace = Pace::default();
    let mut interval = MIN_INTERVAL;
    let mut cpu_before = thread_cpu();
    let mut turn_began = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        let (mut records, read_states) = requests.take();
        tree.round(started, read_states, &mut records);
        if !records.is_empty() && !send(records) {
            return;
        }
        // The cost of a whole turn of the loop: the round, the send, and
        // the last sleep's wake-up.
        let cpu_after = thread_cpu();
        if let (Some(before), Some(after)) = (cpu_before, cpu_after) {
            interval = pace.after(after.saturating_sub(before), turn_began.elapsed());
        }
        cpu_before = cpu_after;
        turn_began = Instant::now();
        sleep_unless_stopped(interval, stop);
    }
    // A freeze or resume asked for just before the end still goes out.
    let (pending, _) = requests.take();
    if !pending.is_empty() {
        send(pending);
    }
}

/// Waits `interval`, or less if `stop` is set: whoever sets it unparks this
/// thread, so the wait needs no waking up in between (each wake-up costs).
fn sleep_unless_stopped(interval: Duration, stop: &AtomicBool) {
    let deadline = Instant::now() + interval;
    while !stop.load(Ordering::SeqCst) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        std::thread::park_timeout(left);
    }
}

/// This thread's CPU time, exact to the nanosecond: its schedstat file is
/// not (the kernel brings a running thread's total up to date only when it
/// is switched out or at a tick), so a round timed by it looks free.
fn thread_cpu() -> Option<Duration> {
    let t = nix::time::clock_gettime(nix::time::ClockId::CLOCK_THREAD_CPUTIME_ID).ok()?;
    Some(Duration::new(t.tv_sec() as u64, t.tv_nsec() as u32))
}

/// `on_cpu_ns run_queue_ns timeslices` from a schedstat file.
pub fn parse_schedstat(text: &str) -> Option<(u64, u64)> {
    let mut fields = text.split_ascii_whitespace();
    let on_cpu = fields.next()?.parse().ok()?;
    let queued = fields.next()?.parse().ok()?;
    Some((on_cpu, queued))
}

/// From a `stat` line: the name (between the first `(` and the last `)`,
/// since a name may hold either), then the state letter, ppid and pgrp.
pub fn parse_stat(text: &str) -> Option<(&str, u8, u32, u32)> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text.get(open + 1..close)?;
    let mut rest = text.get(close + 1..)?.split_ascii_whitespace();
    let state = *rest.next()?.as_bytes().first()?;
    let ppid = rest.next()?.parse().ok()?;
    let pgrp = rest.next()?.parse().ok()?;
    Some((comm, state, ppid, pgrp))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Sample;

    #[test]
    fn stat_lines_parse_even_with_odd_names() {
        let line = "4242 (my (odd) name) S 10 4240 4240 0 -1 4194560 ...";
        assert_eq!(parse_stat(line), Some(("my (odd) name", b'S', 10, 4240)));
        assert_eq!(parse_stat("garbage"), None);
        assert_eq!(parse_schedstat("1234 56 7\n"), Some((1234, 56)));
        assert_eq!(parse_schedstat("x"), None);
    }

    #[test]
    fn a_spinning_thread_of_this_process_is_seen_on_a_core() {
        if unavailable().is_some() {
            return; // no /proc here: nothing to read
        }
        let stop = Arc::new(AtomicBool::new(false));
        let spin_stop = stop.clone();
        let spinner = std::thread::Builder::new()
            .name("test-spinner".into())
            .spawn(move || {
                while !spin_stop.load(Ordering::Relaxed) {
                    std::hint::spin_loop();
                }
            })
            .unwrap();
        let mut tree = Tree::new(0);
        tree.watch(std::process::id());
        let started = Instant::now();
        let (mut first, mut second) = (Vec::new(), Vec::new());
        tree.round(started, false, &mut first);
        let samples = |records: &[Record]| -> Vec<Sample> {
            records
                .iter()
                .filter_map(|r| match r {
                    Record::Sample(s) => Some(s.clone()),
                    _ => None,
                })
                .collect()
        };
        let spinner_tid = samples(&first)
            .iter()
            .find(|s| s.comm == "test-spinner")
            .map(|s| s.tid)
            .expect("the spinner was sampled, named");
        let cpu = |records: &[Record]| {
            samples(records)
                .iter()
                .find(|s| s.tid == spinner_tid)
                .map(|s| s.on_cpu)
                .expect("the spinner was sampled twice")
        };
        // On a busy machine the spinner may wait for a core for a while:
        // sample until its time grows, for at most 40 rounds (2 s quiet).
        let grew = (0..40).any(|_| {
            std::thread::sleep(Duration::from_millis(50));
            second.clear();
            tree.round(started, false, &mut second);
            cpu(&second) > cpu(&first)
        });
        stop.store(true, Ordering::Relaxed);
        spinner.join().unwrap();
        assert!(grew, "its time on a core grew");
        assert!(
            samples(&second)
                .iter()
                .any(|s| s.tid == spinner_tid && s.comm.is_empty()),
            "names are sent only when they change"
        );
    }
}
