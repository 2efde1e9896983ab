//! The sampler: what the kernel saw of every thread of the run, with no
//! instrumentation in the lesson. Every few milliseconds it reads each
//! thread's `/proc/PID/task/TID/schedstat` (nanoseconds on a CPU, nanoseconds
//! waiting in a run queue) and `stat` (state letter, name) for the lesson and
//! every process descended from it, and sends the readings as Sample records
//! on [`SAMPLER_CONN`] (see [`crate::wire`]).
//!
//! Cost is kept bounded by adapting the interval: the sampler measures its
//! own CPU time per round and waits long enough that it stays near
//! [`BUDGET`] of one core, however many threads the run has. Files stay
//! open between rounds and are re-read with `pread`, so a round costs two
//! reads per thread plus one directory listing per process.
use super::RunEvent;
use crate::wire::{Record, SAMPLER_CONN, Sample};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender as Sender;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The shortest interval: fine enough to see a 10 ms time slice.
pub const MIN_INTERVAL: Duration = Duration::from_millis(5);
const MAX_INTERVAL: Duration = Duration::from_millis(50);
/// New threads opened per round: a storm of short-lived threads (lesson
/// 01's `too_many_threads` starts 2,000) costs a bounded amount per round,
/// and threads that die before their turn cost nothing.
const NEW_THREADS_PER_ROUND: usize = 64;
/// How often /proc is listed for new processes of the run.
const DISCOVER_EVERY: Duration = Duration::from_millis(40);
/// Rounds between two readings of a thread's `stat` (state and name).
const STAT_EVERY: u32 = 8;
/// The share of one core the sampler aims to stay under.
pub const BUDGET: f64 = 0.01;

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
                let send = |records| {
                    tx.send(RunEvent::Trace {
                        conn: SAMPLER_CONN,
                        records,
                    })
                    .is_ok()
                };
                sample_loop(root, started, &for_thread, &requests, send);
            })
            .ok();
        Sampler { stop, handle }
    }

    pub fn finish(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
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
/// nobody listens any more).
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
    let own = File::open("/proc/thread-self/schedstat").ok();
    let mut interval = MIN_INTERVAL;
    while !stop.load(Ordering::SeqCst) {
        let cost_before = own.as_ref().and_then(read_own);
        let (mut records, read_states) = requests.take();
        tree.round(started, read_states, &mut records);
        if !records.is_empty() && !send(records) {
            return;
        }
        if let (Some(before), Some(after)) = (cost_before, own.as_ref().and_then(read_own)) {
            interval = next_interval(interval, Duration::from_nanos(after - before));
        }
        sleep_unless_stopped(interval, stop);
    }
    // A freeze or resume asked for just before the end still goes out.
    let (pending, _) = requests.take();
    if !pending.is_empty() {
        send(pending);
    }
}

/// Long enough after a round that cost `cost` that the sampler stays within
/// [`BUDGET`]; moves halfway there each round so one slow round (a page
/// fault, a preemption) does not swing it.
pub fn next_interval(current: Duration, cost: Duration) -> Duration {
    let wanted = cost.div_f64(BUDGET).clamp(MIN_INTERVAL, MAX_INTERVAL);
    (current + wanted) / 2
}

fn sleep_unless_stopped(interval: Duration, stop: &AtomicBool) {
    let deadline = Instant::now() + interval;
    while !stop.load(Ordering::SeqCst) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(Duration::from_millis(20)));
    }
}

fn read_own(file: &File) -> Option<u64> {
    let mut buf = [0u8; 128];
    let n = file.read_at(&mut buf, 0).ok()?;
    parse_schedstat(std::str::from_utf8(&buf[..n]).ok()?).map(|(cpu, _)| cpu)
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

/// One thread's open files and what was last sent about it.
struct ThreadFiles {
    schedstat: File,
    stat: File,
    comm: String,
    state: u8,
}

/// The run's processes and their threads, kept between rounds.
struct Tree {
    group: u32,
    processes: HashMap<u32, HashMap<u32, ThreadFiles>>,
    /// Pids checked and found not to be part of the run: not read again.
    others: HashSet<u32>,
    /// When /proc was last listed.
    discovered: Option<Instant>,
    rounds: u32,
    buf: Vec<u8>,
}

impl Tree {
    fn new(group: u32) -> Tree {
        Tree {
            group,
            processes: HashMap::new(),
            others: HashSet::new(),
            discovered: None,
            rounds: 0,
            buf: vec![0; 1024],
        }
    }

    /// One round: find new processes and threads, then read every thread
    /// (its state too when `read_states`), adding to `records`.
    fn round(&mut self, started: Instant, read_states: bool, records: &mut Vec<Record>) {
        // Listing /proc and each process's threads costs more than reading
        // a few threads: new ones are looked for every [`DISCOVER_EVERY`].
        let discover = self
            .discovered
            .is_none_or(|at| at.elapsed() >= DISCOVER_EVERY);
        if discover {
            self.discover(records);
            self.discovered = Some(Instant::now());
        }
        // The state letter and name change seldom and `stat` costs more
        // than `schedstat` to make: read every few rounds.
        let read_stat = read_states || self.rounds % STAT_EVERY == 0;
        self.rounds += 1;
        let ts = started.elapsed().as_nanos() as u64;
        let buf = &mut self.buf;
        for (&pid, threads) in &mut self.processes {
            if discover || threads.is_empty() {
                list_threads(pid, threads);
            }
            threads.retain(|&tid, files| {
                let Some((on_cpu, queued)) = read_schedstat(files, buf) else {
                    return false;
                };
                let mut changed = false;
                if read_stat || files.comm.is_empty() {
                    let Some((state, comm)) = read_stat_line(files, buf) else {
                        return false;
                    };
                    files.state = state;
                    changed = comm != files.comm;
                    if changed {
                        files.comm = comm;
                    }
                }
                // The runner's recording thread is the runner's cost, not
                // the lesson's work: it is left out.
                if files.comm != crate::timeline::RECORDER_COMM {
                    records.push(Record::Sample(Sample {
                        pid,
                        tid,
                        ts,
                        on_cpu,
                        queued,
                        state: files.state,
                        comm: if changed {
                            files.comm.clone()
                        } else {
                            String::new()
                        },
                    }));
                }
                true
            });
        }
        self.processes.retain(|_, threads| !threads.is_empty());
    }

    /// Finds processes in the run's group, or children of its processes
    /// (which may have made a group of their own). Only pids not seen
    /// before are read, so a round costs one listing of /proc.
    fn discover(&mut self, records: &mut Vec<Record>) {
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return;
        };
        let mut listed = HashSet::new();
        for entry in dir.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            listed.insert(pid);
            if self.processes.contains_key(&pid) || self.others.contains(&pid) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            let Some((comm, _, ppid, pgrp)) = parse_stat(&text) else {
                continue;
            };
            if pgrp == self.group || self.processes.contains_key(&ppid) {
                records.push(Record::Process {
                    pid,
                    ppid,
                    name: command_line(pid).unwrap_or_else(|| comm.to_string()),
                });
                self.processes.insert(pid, HashMap::new());
            } else {
                self.others.insert(pid);
            }
        }
        self.others.retain(|pid| listed.contains(pid));
    }
}

/// The program and its arguments, as the process was started: what tells
/// the workers of a pool apart.
fn command_line(pid: u32) -> Option<String> {
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let words: Vec<String> = raw
        .split(|&b| b == 0)
        .filter(|w| !w.is_empty())
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    let (exe, args) = words.split_first()?;
    let exe = exe.rsplit('/').next().unwrap_or(exe);
    Some(
        std::iter::once(exe.to_string())
            .chain(args.iter().cloned())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Opens files for threads of `pid` not yet known, a bounded number a round.
fn list_threads(pid: u32, threads: &mut HashMap<u32, ThreadFiles>) {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return;
    };
    let mut opened = 0;
    for entry in dir.flatten() {
        if opened == NEW_THREADS_PER_ROUND {
            return;
        }
        let Some(tid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if threads.contains_key(&tid) {
            continue;
        }
        let base = format!("/proc/{pid}/task/{tid}");
        if let (Ok(schedstat), Ok(stat)) = (
            File::open(format!("{base}/schedstat")),
            File::open(format!("{base}/stat")),
        ) {
            opened += 1;
            threads.insert(
                tid,
                ThreadFiles {
                    schedstat,
                    stat,
                    comm: String::new(),
                    state: b'?',
                },
            );
        }
    }
}

/// A thread's totals on a CPU and queued; `None` once it is gone.
fn read_schedstat(files: &ThreadFiles, buf: &mut [u8]) -> Option<(u64, u64)> {
    let n = files.schedstat.read_at(buf, 0).ok().filter(|&n| n > 0)?;
    parse_schedstat(std::str::from_utf8(&buf[..n]).ok()?)
}

/// A thread's state letter and name; `None` once it is gone.
fn read_stat_line(files: &ThreadFiles, buf: &mut [u8]) -> Option<(u8, String)> {
    let n = files.stat.read_at(buf, 0).ok().filter(|&n| n > 0)?;
    let (comm, state, _, _) = parse_stat(std::str::from_utf8(&buf[..n]).ok()?)?;
    Some((state, comm.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_lines_parse_even_with_odd_names() {
        let line = "4242 (my (odd) name) S 10 4240 4240 0 -1 4194560 ...";
        assert_eq!(parse_stat(line), Some(("my (odd) name", b'S', 10, 4240)));
        assert_eq!(parse_stat("garbage"), None);
        assert_eq!(parse_schedstat("1234 56 7\n"), Some((1234, 56)));
        assert_eq!(parse_schedstat("x"), None);
    }

    #[test]
    fn the_interval_grows_with_the_cost_of_a_round_within_bounds() {
        let cheap = next_interval(MIN_INTERVAL, Duration::from_micros(10));
        assert_eq!(cheap, MIN_INTERVAL);
        // 400 µs a round at 1% wants 40 ms; halfway from 5 ms is 22.5 ms.
        let costly = next_interval(MIN_INTERVAL, Duration::from_micros(400));
        assert_eq!(costly, Duration::from_micros(22_500));
        let huge = next_interval(MAX_INTERVAL, Duration::from_secs(1));
        assert_eq!(huge, MAX_INTERVAL);
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
        tree.processes.insert(std::process::id(), HashMap::new());
        let started = Instant::now();
        let (mut first, mut second) = (Vec::new(), Vec::new());
        tree.round(started, false, &mut first);
        std::thread::sleep(Duration::from_millis(50));
        tree.round(started, false, &mut second);
        stop.store(true, Ordering::Relaxed);
        spinner.join().unwrap();
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
        assert!(cpu(&second) > cpu(&first), "its time on a core grew");
        assert!(
            samples(&second)
                .iter()
                .any(|s| s.tid == spinner_tid && s.comm.is_empty()),
            "names are sent only when they change"
        );
    }
}
