//! The compare verdict's figures, counted the same way for any program (a
//! Rust lesson or its Python twin): the demo's **worker threads** are every
//! thread of the run's first process and of the processes it started,
//! except the first process's main thread (whose id is the process id),
//! which only starts the workers and waits for them. **Cores used** is the
//! workers' time on a core, from the kernel's figures, divided by the time
//! at least one worker was alive. So a demo that also works on its main
//! thread (Rust's `cpu_bound` runs the job on one thread between its
//! rounds) is judged by its workers alone, and so is the twin.
//!
//! A launcher's helpers are not workers: `python3` may be a shim (pyenv)
//! that runs a few short shell processes before it becomes the interpreter.
//! When the first process has worker threads of its own, threads of other
//! processes that were over before the first of those started are left out.
use crate::timeline::{LaneId, LaneKind, Timeline};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Workers {
    /// Worker threads the sampler saw over the whole run.
    pub threads: usize,
    /// The most of them alive at one time.
    pub at_once: usize,
    /// Their time on a core over the time any of them was alive.
    pub cores: f64,
    /// How long at least one worker was alive, ns.
    pub alive_ns: u64,
}

impl std::fmt::Display for Workers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        write!(f, "{} worker thread{}", self.threads, plural(self.threads))?;
        if self.at_once != self.threads {
            write!(f, " ({} at a time)", self.at_once)?;
        }
        let cores = self.cores;
        let word = if (cores - 1.0).abs() < 0.05 {
            "core"
        } else {
            "cores"
        };
        write!(f, " used {cores:.1} {word} on average")
    }
}

/// What one line under the verdict says about how it was counted.
pub const COUNTED: &str = "worker threads: every thread but the main one, in the demo's process \
and the processes it started; cores used: their time on a core (the kernel's figure) over the \
time any of them was alive";

/// The run's first process and its descendants' worker threads; `None`
/// when there is no process or no worker the sampler saw.
pub fn workers(timeline: &Timeline) -> Option<Workers> {
    let root = timeline
        .ordered_lanes()
        .into_iter()
        .find(|l| l.kind == LaneKind::Process)?
        .id;
    let main = timeline.main_thread(root);
    let life = |thread: LaneId| {
        let slices = timeline.kernel_slices(thread);
        let (first, last) = (slices.first()?, slices.last()?);
        Some((first.start, last.end()))
    };
    // When the first process's own workers started (see the module's note
    // on launchers).
    let first_own = timeline
        .threads_of(root)
        .filter(|&t| Some(t) != main)
        .filter_map(|t| life(t).map(|l| l.0))
        .min();
    let mut lives: Vec<(u64, u64)> = Vec::new();
    let mut on_cpu = 0u64;
    for process in descendants(timeline, root) {
        for thread in timeline.threads_of(process) {
            let Some((start, end)) = life(thread) else {
                continue;
            };
            let helper = process != root && first_own.is_some_and(|own| end <= own);
            if Some(thread) == main || helper {
                continue;
            }
            lives.push((start, end));
            let slices = timeline.kernel_slices(thread);
            on_cpu += slices.iter().map(|s| u64::from(s.on_cpu)).sum::<u64>();
        }
    }
    let alive_ns = union_length(&mut lives);
    if alive_ns == 0 {
        return None;
    }
    Some(Workers {
        threads: lives.len(),
        at_once: most_at_once(&lives),
        cores: on_cpu as f64 / alive_ns as f64,
        alive_ns,
    })
}

/// `root` and every process lane below it.
fn descendants(timeline: &Timeline, root: LaneId) -> Vec<LaneId> {
    let lanes = timeline.lanes();
    let below = |mut lane: LaneId| {
        // Bounded: a parent chain is no longer than the lanes.
        for _ in 0..lanes.len() {
            if lane == root {
                return true;
            }
            match lanes[lane].parent {
                Some(parent) => lane = parent,
                None => return false,
            }
        }
        false
    };
    lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Process && below(l.id))
        .map(|l| l.id)
        .collect()
}

/// The length of the union of the intervals (sorts them by start).
fn union_length(intervals: &mut [(u64, u64)]) -> u64 {
    intervals.sort_unstable();
    let mut total = 0;
    let mut current: Option<(u64, u64)> = None;
    for &(start, end) in intervals.iter() {
        match &mut current {
            Some((_, cur_end)) if start <= *cur_end => *cur_end = (*cur_end).max(end),
            _ => {
                if let Some((s, e)) = current {
                    total += e - s;
                }
                current = Some((start, end));
            }
        }
    }
    total + current.map_or(0, |(s, e)| e - s)
}

/// The most intervals that overlap at one instant (an end at the same
/// instant as a start does not overlap it).
fn most_at_once(intervals: &[(u64, u64)]) -> usize {
    let mut edges: Vec<(u64, i32)> = intervals
        .iter()
        .flat_map(|&(s, e)| [(s, 1), (e, -1)])
        .collect();
    // Ends before starts at the same instant.
    edges.sort_unstable();
    let mut alive: i32 = 0;
    let mut most = 0;
    for (_, change) in edges {
        alive += change;
        most = most.max(alive);
    }
    most as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::fixtures::{hello, thread};
    use crate::wire::{Record, SAMPLER_CONN, Sample};

    /// A sample of thread `tid` of `pid` at `ts` with totals so far.
    fn sample(pid: u32, tid: u32, ts: u64, on_cpu: u64) -> Record {
        Record::Sample(Sample {
            pid,
            tid,
            ts,
            on_cpu,
            queued: 0,
            state: b'R',
            comm: format!("t{tid}"),
        })
    }

    /// A thread busy `share` of the time from `from` to `to`.
    fn busy(t: &mut Timeline, pid: u32, tid: u32, from: u64, to: u64, share: f64) {
        t.ingest(SAMPLER_CONN, sample(pid, tid, from, 0));
        let on_cpu = ((to - from) as f64 * share) as u64;
        t.ingest(SAMPLER_CONN, sample(pid, tid, to, on_cpu));
    }

    fn process(t: &mut Timeline, pid: u32, ppid: u32) {
        t.ingest(
            SAMPLER_CONN,
            Record::Process {
                pid,
                ppid,
                name: format!("p{pid}"),
            },
        );
    }

    #[test]
    fn the_main_thread_is_not_a_worker_and_time_between_workers_does_not_count() {
        let mut t = Timeline::new();
        process(&mut t, 10, 1);
        // Main busy all along (it works alone between two rounds).
        busy(&mut t, 10, 10, 0, 4_000, 1.0);
        // Round one: two workers, each on a core all the time.
        busy(&mut t, 10, 11, 0, 1_000, 1.0);
        busy(&mut t, 10, 12, 0, 1_000, 1.0);
        // Round two, after a gap: the same.
        busy(&mut t, 10, 13, 3_000, 4_000, 1.0);
        busy(&mut t, 10, 14, 3_000, 4_000, 1.0);
        let w = workers(&t).expect("workers");
        assert_eq!((w.threads, w.at_once, w.alive_ns), (4, 2, 2_000));
        assert!((w.cores - 2.0).abs() < 1e-9, "{w:?}");
        assert_eq!(
            w.to_string(),
            "4 worker threads (2 at a time) used 2.0 cores on average"
        );
    }

    #[test]
    fn threads_of_child_processes_are_workers_too() {
        let mut t = Timeline::new();
        process(&mut t, 20, 1);
        process(&mut t, 21, 20);
        process(&mut t, 22, 20);
        process(&mut t, 30, 1); // not started by the demo
        busy(&mut t, 20, 20, 0, 1_000, 0.1);
        busy(&mut t, 21, 21, 0, 1_000, 1.0);
        busy(&mut t, 22, 22, 0, 1_000, 1.0);
        busy(&mut t, 30, 30, 0, 1_000, 1.0);
        let w = workers(&t).expect("workers");
        assert_eq!((w.threads, w.at_once), (2, 2));
        assert!((w.cores - 2.0).abs() < 1e-9, "{w:?}");
    }

    #[test]
    fn a_launchers_helpers_that_ended_before_the_workers_are_not_workers() {
        let mut t = Timeline::new();
        process(&mut t, 60, 1);
        process(&mut t, 61, 60); // a shim's helper, over before the workers
        process(&mut t, 62, 60); // a worker process of the program
        busy(&mut t, 60, 60, 0, 2_000, 0.1);
        busy(&mut t, 61, 61, 0, 300, 1.0);
        busy(&mut t, 60, 63, 1_000, 2_000, 1.0);
        busy(&mut t, 62, 62, 900, 2_000, 1.0);
        let w = workers(&t).expect("workers");
        assert_eq!((w.threads, w.at_once, w.alive_ns), (2, 2, 1_100));
    }

    #[test]
    fn threads_taking_turns_use_one_core() {
        // Four threads alive together, each on a core a quarter of the time:
        // what the GIL does to CPU work.
        let mut t = Timeline::new();
        process(&mut t, 40, 1);
        for tid in 41..45 {
            busy(&mut t, 40, tid, 100, 1_100, 0.25);
        }
        let w = workers(&t).expect("workers");
        assert_eq!(w.to_string(), "4 worker threads used 1.0 core on average");
    }

    #[test]
    fn a_recorded_main_thread_is_known_by_its_os_id() {
        let mut t = Timeline::new();
        t.ingest(1, hello(50, 1, "lesson"));
        t.ingest(1, thread(0, "main"));
        t.ingest(1, Record::ThreadId { thread: 0, tid: 50 });
        busy(&mut t, 50, 50, 0, 1_000, 1.0);
        // Only the main thread: no workers, no verdict.
        assert_eq!(workers(&t), None);
        busy(&mut t, 50, 51, 0, 500, 1.0);
        assert_eq!(workers(&t).map(|w| w.threads), Some(1));
    }

    #[test]
    fn overlaps_and_unions() {
        let mut v = vec![(5, 10), (0, 3), (2, 4), (10, 12)];
        assert_eq!(union_length(&mut v), 4 + 7);
        assert_eq!(most_at_once(&v), 2);
        assert_eq!(union_length(&mut []), 0);
    }
}
