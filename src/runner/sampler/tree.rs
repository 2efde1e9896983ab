//! The run's processes and threads as the sampler keeps them between
//! rounds: open files read again with `pread`, and new processes and
//! threads looked for only when the kernel says some task was created.
//!
//! What a round costs, per thread: one `pread` of `schedstat` (about a
//! microsecond), and every [`STAT_EVERY`] rounds one of `stat`. Looking for
//! new processes (a listing of /proc) and threads (of /proc/PID/task) costs
//! more than reading a hundred threads, so it is done only when the last
//! pid the kernel handed out (in /proc/loadavg) moved, and then only the
//! new pids are looked at when they are few (a busy machine makes dozens a
//! second, a listing of /proc costs as much as reading a hundred of them);
//! a process's threads are listed only when its `num_threads` says some
//! are unknown.
use super::parse_stat;
use super::procfs::{
    ThreadFiles, command_line, list_threads, read_num_threads, read_schedstat, read_stat_line,
    thread_group,
};
use crate::wire::{Record, Sample};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::time::{Duration, Instant};
/// How often, at most, new processes and threads are looked for.
const DISCOVER_EVERY: Duration = Duration::from_millis(40);
/// Rounds between two readings of a thread's `stat` (state and name).
const STAT_EVERY: u32 = 8;
/// New pids looked at one by one; more than this, and /proc is listed.
const MAX_PROBED: u32 = 256;

/// What the kernel created since the last look.
enum Created {
    Nothing,
    /// These pids were handed out (processes or threads, anywhere).
    Pids(std::ops::RangeInclusive<u32>),
    /// Too many, or it cannot tell: list /proc.
    Unknown,
}

/// One process of the run.
struct Process {
    /// `/proc/PID/stat`, for its thread count.
    stat: Option<File>,
    threads: HashMap<u32, ThreadFiles>,
    /// Whether the last listing of its threads opened every one it found.
    listed_all: bool,
}

pub(super) struct Tree {
    group: u32,
    processes: HashMap<u32, Process>,
    /// Pids checked and found not to be part of the run: not read again.
    others: HashSet<u32>,
    /// When new tasks were last looked for.
    discovered: Option<Instant>,
    /// `/proc/loadavg`, whose last field is the last pid handed out.
    loadavg: Option<File>,
    last_pid: Option<u32>,
    rounds: u32,
    buf: Vec<u8>,
}

impl Tree {
    pub(super) fn new(group: u32) -> Tree {
        Tree {
            group,
            processes: HashMap::new(),
            others: HashSet::new(),
            discovered: None,
            loadavg: File::open("/proc/loadavg").ok(),
            last_pid: None,
            rounds: 0,
            buf: vec![0; 1024],
        }
    }

    /// Samples `pid` as part of the run.
    pub(super) fn watch(&mut self, pid: u32) {
        self.processes.insert(
            pid,
            Process {
                stat: File::open(format!("/proc/{pid}/stat")).ok(),
                threads: HashMap::new(),
                listed_all: false,
            },
        );
    }

    /// One round: find new processes and threads, then read every thread
    /// (its state too when `read_states`), adding to `records`.
    pub(super) fn round(&mut self, started: Instant, read_states: bool, records: &mut Vec<Record>) {
        let due = self
            .discovered
            .is_none_or(|at| at.elapsed() >= DISCOVER_EVERY);
        let created = if due {
            self.created()
        } else {
            Created::Nothing
        };
        let discover = !matches!(created, Created::Nothing);
        match created {
            Created::Nothing => {}
            Created::Pids(pids) => {
                for pid in pids {
                    // A pid handed out anew is a new task, whatever it was.
                    self.others.remove(&pid);
                    if !self.processes.contains_key(&pid) {
                        self.consider(pid, true, records);
                    }
                }
            }
            Created::Unknown => self.discover(records),
        }
        if discover {
            self.discovered = Some(Instant::now());
        }
        // The state letter and name change seldom and `stat` costs more
        // than `schedstat` to make: read every few rounds.
        let read_stat = read_states || self.rounds % STAT_EVERY == 0;
        self.rounds += 1;
        let ts = started.elapsed().as_nanos() as u64;
        let buf = &mut self.buf;
        for (&pid, process) in &mut self.processes {
            let unknown_threads = discover
                && process
                    .stat
                    .as_ref()
                    .and_then(|stat| read_num_threads(stat, buf))
                    .is_none_or(|n| n > process.threads.len());
            if !process.listed_all || unknown_threads {
                process.listed_all = list_threads(pid, &mut process.threads);
            }
            process
                .threads
                .retain(|&tid, files| read_thread(pid, tid, files, read_stat, ts, buf, records));
        }
        self.processes.retain(|_, p| !p.threads.is_empty());
    }

    /// What the kernel created since the last look, from the last pid it
    /// handed out.
    fn created(&mut self) -> Created {
        let last = self.loadavg.as_ref().and_then(|file| {
            let n = file.read_at(&mut self.buf, 0).ok()?;
            let text = std::str::from_utf8(&self.buf[..n]).ok()?;
            text.split_ascii_whitespace().nth(4)?.parse::<u32>().ok()
        });
        let before = std::mem::replace(&mut self.last_pid, last);
        match (before, last) {
            (Some(b), Some(l)) if b == l => Created::Nothing,
            (Some(b), Some(l)) if l > b && l - b <= MAX_PROBED => Created::Pids(b + 1..=l),
            _ => Created::Unknown,
        }
    }

    /// Finds processes in the run's group, or children of its processes
    /// (which may have made a group of their own), listing /proc. Only pids
    /// not seen before are read.
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
            if !self.processes.contains_key(&pid) && !self.others.contains(&pid) {
                self.consider(pid, false, records);
            }
        }
        self.others.retain(|pid| listed.contains(pid));
    }

    /// Watches `pid` if it is a process of the run. A pid handed out may be
    /// a thread's (`maybe_thread`): a thread of a process is not a process.
    fn consider(&mut self, pid: u32, maybe_thread: bool, records: &mut Vec<Record>) {
        let Ok(text) = supervisor::procfs::read_to_string(format!("/proc/{pid}/stat")) else {
            return;
        };
        let Some((comm, _, ppid, pgrp)) = parse_stat(&text) else {
            return;
        };
        if pgrp != self.group && !self.processes.contains_key(&ppid) {
            self.others.insert(pid);
            return;
        }
        if maybe_thread && thread_group(pid).is_some_and(|tgid| tgid != pid) {
            return;
        }
        records.push(Record::Process {
            pid,
            ppid,
            name: command_line(pid).unwrap_or_else(|| comm.to_string()),
        });
        self.watch(pid);
    }
}

/// Reads one thread into `records`; false once it is gone.
fn read_thread(
    pid: u32,
    tid: u32,
    files: &mut ThreadFiles,
    read_stat: bool,
    ts: u64,
    buf: &mut [u8],
    records: &mut Vec<Record>,
) -> bool {
    let Some((on_cpu, queued)) = read_schedstat(files, buf) else {
        return false;
    };
    let mut renamed = false;
    if read_stat || files.comm.is_empty() {
        let Some((comm, state)) = read_stat_line(files, buf) else {
            return false;
        };
        files.state = state;
        // Compared before copied: a name is allocated only when it changes.
        if comm != files.comm {
            files.comm = comm.to_string();
            renamed = true;
        }
    }
    // The runner's recording thread is the runner's cost, not the
    // lesson's work: it is left out.
    if files.comm != crate::timeline::RECORDER_COMM {
        records.push(Record::Sample(Sample {
            pid,
            tid,
            ts,
            on_cpu,
            queued,
            state: files.state,
            comm: if renamed {
                files.comm.clone()
            } else {
                String::new()
            },
        }));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_of_a_process_of_the_run_is_not_taken_for_a_process() {
        let Ok(_) = File::open("/proc/self/stat") else {
            return;
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let (done_tx, done) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            tx.send(nix::unistd::gettid().as_raw() as u32).unwrap();
            let _ = done.recv();
        });
        let tid = rx.recv().unwrap();
        // This process's group is the "run": its thread shares the group.
        let me = std::process::id();
        let mut tree = Tree::new(nix::unistd::getpgrp().as_raw() as u32);
        let mut records = Vec::new();
        tree.consider(tid, true, &mut records);
        tree.consider(me, true, &mut records);
        done_tx.send(()).unwrap();
        thread.join().unwrap();
        assert!(
            !tree.processes.contains_key(&tid),
            "a thread is not a process"
        );
        assert!(tree.processes.contains_key(&me), "the process is");
    }
}
