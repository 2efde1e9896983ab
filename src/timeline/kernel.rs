//! What the kernel saw: the runner's sampler readings (see [`crate::wire`],
//! records 11 to 14) turned into slices of time per thread lane. Between two
//! samples of one thread, it was on a core for the growth of its on-CPU
//! total, queued for a core for the growth of its run-queue total, and
//! blocked for the rest.
//!
//! A thread the recorder announced (with its OS thread id) and the same
//! thread seen by the sampler share one lane, whichever arrives first; a
//! thread or process nobody instrumented gets a lane named by the kernel.
use super::{LaneId, LaneKind, Timeline};
use crate::wire::Sample;
use std::collections::{HashMap, HashSet};

/// Slices kept for the whole run (24 bytes each); past this they are counted
/// in [`Timeline::kernel_dropped`] instead of kept.
const MAX_SLICES: usize = 2_000_000;

/// The recorder's writer thread (`workbook-recorder`) as the kernel names it
/// (15 bytes at most): the runner's cost, not the lesson's work.
pub const RECORDER_COMM: &str = "workbook-record";

/// One thread between two samples. Times are ns since the run started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KernelSlice {
    pub start: u64,
    /// Length of the slice, ns.
    pub len: u32,
    /// Of which on a core, ns.
    pub on_cpu: u32,
    /// Of which runnable, waiting in a run queue, ns.
    pub queued: u32,
    /// The state letter at the end of the slice (`T`: stopped).
    pub state: u8,
}

impl KernelSlice {
    pub fn end(&self) -> u64 {
        self.start + u64::from(self.len)
    }

    /// Neither on a core nor queued for one: sleeping, waiting on I/O, stopped.
    pub fn blocked(&self) -> u32 {
        self.len.saturating_sub(self.on_cpu + self.queued)
    }
}

/// Whether the sampler ran, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum KernelStatus {
    /// No word from a sampler (a run recorded before it existed, or a test).
    #[default]
    Unknown,
    Sampling {
        interval: u64,
        cpus: u16,
    },
    /// The machine has no /proc or no schedstat: spans only.
    Unavailable(String),
}

#[derive(Debug, Clone, Copy)]
struct Last {
    ts: u64,
    on_cpu: u64,
    queued: u64,
}

impl Last {
    fn of(sample: &Sample) -> Last {
        Last {
            ts: sample.ts,
            on_cpu: sample.on_cpu,
            queued: sample.queued,
        }
    }
}

#[derive(Debug, Default)]
pub(super) struct KernelState {
    /// Per lane, in time order.
    pub(super) slices: Vec<Vec<KernelSlice>>,
    last: HashMap<(u32, u32), Last>,
    /// The kernel's name of a thread sampled once, until it gets a lane.
    first_names: HashMap<(u32, u32), String>,
    /// Thread lanes by (pid, OS thread id).
    pub(super) tid_lanes: HashMap<(u32, u32), LaneId>,
    /// Process lanes by pid.
    pub(super) pid_lanes: HashMap<u32, LaneId>,
    /// Lanes named by the kernel, renamed when the thread renames itself or
    /// when the recorder names it.
    comm_named: HashSet<LaneId>,
    /// Lanes of the recorder's own thread, left out of every view.
    hidden: HashSet<LaneId>,
    kept: usize,
    dropped: u64,
    status: KernelStatus,
    /// Stretches when the run was frozen (SIGSTOP): start, end if resumed.
    freezes: Vec<(u64, Option<u64>)>,
}

impl Timeline {
    pub fn kernel_status(&self) -> &KernelStatus {
        &self.kernel.status
    }

    /// The sampler's slices of `lane` (empty for lanes it never saw).
    pub fn kernel_slices(&self, lane: LaneId) -> &[KernelSlice] {
        self.kernel.slices.get(lane).map_or(&[], Vec::as_slice)
    }

    /// The slices of `lane` that overlap `[from, to)`.
    pub fn kernel_slices_in(&self, lane: LaneId, from: u64, to: u64) -> &[KernelSlice] {
        let all = self.kernel_slices(lane);
        let first = all.partition_point(|s| s.end() <= from);
        let last = all.partition_point(|s| s.start < to);
        &all[first..last.max(first)]
    }

    /// Sampler slices not kept (memory bound reached).
    pub fn kernel_dropped(&self) -> u64 {
        self.kernel.dropped
    }

    /// Online CPUs when the sampler ran.
    pub fn cpus(&self) -> Option<u16> {
        match self.kernel.status {
            KernelStatus::Sampling { cpus, .. } => Some(cpus),
            _ => None,
        }
    }

    /// When the run was frozen: (start, end), the end `None` while frozen.
    pub fn freezes(&self) -> &[(u64, Option<u64>)] {
        &self.kernel.freezes
    }

    /// A process lane's main thread (the one whose id is the process id),
    /// if the sampler or the recorder saw it.
    pub fn main_thread(&self, process: LaneId) -> Option<LaneId> {
        let pid = self.lanes.get(process)?.pid;
        self.kernel.tid_lanes.get(&(pid, pid)).copied()
    }

    /// The thread lanes of a process lane.
    pub fn threads_of(&self, process: LaneId) -> impl Iterator<Item = LaneId> + '_ {
        self.lanes
            .iter()
            .filter(move |l| l.kind == LaneKind::Thread && l.parent == Some(process))
            .map(|l| l.id)
    }

    pub(super) fn sampler_status(&mut self, interval: u64, cpus: u16, note: String) {
        self.kernel.status = if note.is_empty() {
            KernelStatus::Sampling { interval, cpus }
        } else {
            KernelStatus::Unavailable(note)
        };
    }

    pub(super) fn freeze(&mut self, ts: u64, frozen: bool) {
        self.end = self.end.max(ts);
        let open = self.kernel.freezes.last().is_some_and(|f| f.1.is_none());
        match (frozen, open) {
            (true, false) => self.kernel.freezes.push((ts, None)),
            (false, true) => {
                if let Some(last) = self.kernel.freezes.last_mut() {
                    last.1 = Some(ts.max(last.0));
                }
            }
            _ => {}
        }
    }

    /// A process the sampler found: its lane, unless it has one already.
    pub(super) fn sampled_process(&mut self, pid: u32, ppid: u32, name: &str) -> LaneId {
        if let Some(&lane) = self.kernel.pid_lanes.get(&pid) {
            return lane;
        }
        let parent = self.kernel.pid_lanes.get(&ppid).copied();
        let label = format!("{} [{pid}]", super::ingest::short_process_name(name));
        let lane = self.add_lane(LaneKind::Process, pid, label, parent);
        self.kernel.pid_lanes.insert(pid, lane);
        lane
    }

    pub(super) fn sample(&mut self, sample: Sample) {
        let key = (sample.pid, sample.tid);
        self.end = self.end.max(sample.ts);
        let lane = match self.kernel.tid_lanes.get(&key) {
            Some(&lane) => lane,
            // A thread sampled once has nothing to draw yet: thousands of
            // threads that live less than an interval get no lane.
            None if !self.kernel.last.contains_key(&key) => {
                self.kernel.last.insert(key, Last::of(&sample));
                self.kernel.first_names.insert(key, sample.comm);
                return;
            }
            None => {
                let process = self.sampled_process(sample.pid, 0, &format!("pid {}", sample.pid));
                let first_name = self.kernel.first_names.remove(&key).unwrap_or_default();
                let name = [&sample.comm, &first_name]
                    .into_iter()
                    .find(|n| !n.is_empty())
                    .map_or_else(|| format!("thread {}", sample.tid), Clone::clone);
                let lane = self.add_lane(LaneKind::Thread, sample.pid, name, Some(process));
                self.kernel.tid_lanes.insert(key, lane);
                self.kernel.comm_named.insert(lane);
                lane
            }
        };
        if !sample.comm.is_empty() && self.kernel.comm_named.contains(&lane) {
            self.lanes[lane].name.clone_from(&sample.comm);
            // A thread renames itself just after it starts, so the sampler
            // may have sent it before it knew it was the recorder's thread.
            if sample.comm == RECORDER_COMM {
                self.kernel.hidden.insert(lane);
                self.lanes[lane].parent = None;
                self.kernel.slices[lane].clear();
            }
        }
        if self.kernel.hidden.contains(&lane) {
            return;
        }
        let Some(last) = self.kernel.last.insert(key, Last::of(&sample)) else {
            return;
        };
        if sample.ts <= last.ts {
            return;
        }
        let len = (sample.ts - last.ts).min(u64::from(u32::MAX));
        let on_cpu_grew = sample.on_cpu.saturating_sub(last.on_cpu);
        let queued_grew = sample.queued.saturating_sub(last.queued);
        let on_cpu = on_cpu_grew.min(len);
        let queued = queued_grew.min(len - on_cpu);
        if self.kernel.kept >= MAX_SLICES {
            self.kernel.dropped += 1;
            return;
        }
        // The kernel adds a wait in the run queue to the total when the
        // wait ends (and time on a core at a tick or a switch), so growth
        // can exceed this slice: it happened in the slices before, which
        // showed it as blocked.
        let earlier = &mut self.kernel.slices[lane];
        credit_earlier(earlier, on_cpu_grew - on_cpu, |s| &mut s.on_cpu);
        credit_earlier(earlier, queued_grew - queued, |s| &mut s.queued);
        self.kernel.kept += 1;
        self.kernel.slices[lane].push(KernelSlice {
            start: last.ts,
            len: len as u32,
            on_cpu: on_cpu as u32,
            queued: queued as u32,
            state: sample.state,
        });
    }

    /// A recording thread's own totals (wire record 15): read like a
    /// sample of it, but only when later than its last reading, since the
    /// sampler's come on another connection and may be newer. A thread that
    /// lived between two of the sampler's rounds gets its one slice this way.
    pub(super) fn thread_totals(&mut self, pid: u32, tid: u32, ts: u64, on_cpu: u64, queued: u64) {
        let key = (pid, tid);
        if self.kernel.last.get(&key).is_some_and(|last| last.ts >= ts) {
            return;
        }
        self.sample(Sample {
            pid,
            tid,
            ts,
            on_cpu,
            queued,
            // It was running: it read its own totals.
            state: b'R',
            comm: String::new(),
        });
    }

    /// The recorder told which OS thread its thread lane is: if the sampler
    /// gave that thread a lane already, the recorder's thread takes it over.
    pub(super) fn adopt_thread(
        &mut self,
        pid: u32,
        tid: u32,
        name: &str,
        process: LaneId,
    ) -> LaneId {
        if let Some(&lane) = self.kernel.tid_lanes.get(&(pid, tid)) {
            self.kernel.comm_named.remove(&lane);
            self.lanes[lane].name = name.to_string();
            self.lanes[lane].parent = Some(process);
            return lane;
        }
        let lane = self.add_lane(LaneKind::Thread, pid, name.to_string(), Some(process));
        self.kernel.tid_lanes.insert((pid, tid), lane);
        lane
    }
}

/// How far back growth that did not fit its slice is credited.
const CREDIT_BACK: usize = 256;

/// Moves `excess` ns from blocked into `field` of the latest slices of
/// `slices` that have blocked time to give, latest first.
fn credit_earlier(
    slices: &mut [KernelSlice],
    mut excess: u64,
    field: impl Fn(&mut KernelSlice) -> &mut u32,
) {
    for slice in slices.iter_mut().rev().take(CREDIT_BACK) {
        if excess == 0 {
            return;
        }
        let moved = u64::from(slice.blocked()).min(excess);
        *field(slice) += moved as u32;
        excess -= moved;
    }
}
