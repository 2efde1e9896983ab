//! The sampler's records in the model: lanes joined by OS thread id,
//! threads and processes nobody instrumented, slices between samples.
use super::fixtures::{hello, span, thread};
use super::{KernelStatus, LaneKind, Timeline};
use crate::wire::{Record, SAMPLER_CONN, Sample};

fn sample(pid: u32, tid: u32, ts: u64, on_cpu: u64, queued: u64, comm: &str) -> Record {
    Record::Sample(Sample {
        pid,
        tid,
        ts,
        on_cpu,
        queued,
        state: b'R',
        comm: comm.into(),
    })
}

fn lane_names(t: &Timeline) -> Vec<String> {
    t.ordered_lanes().iter().map(|l| l.name.clone()).collect()
}

#[test]
fn a_thread_sampled_before_the_recorder_named_it_keeps_one_lane() {
    let mut t = Timeline::new();
    t.ingest(SAMPLER_CONN, sample(7, 8, 0, 0, 0, "lesson"));
    t.ingest(SAMPLER_CONN, sample(7, 9, 0, 0, 0, "worker-1"));
    t.ingest(SAMPLER_CONN, sample(7, 9, 100, 60, 30, ""));
    t.ingest(1, hello(7, 1, "lesson"));
    t.ingest(1, thread(0, "worker-1"));
    t.ingest(1, Record::ThreadId { thread: 0, tid: 9 });
    t.ingest(1, span(1, "work", &[]));
    t.ingest(
        1,
        Record::Enter {
            span: 1,
            thread: 0,
            ts: 10,
        },
    );
    // Thread 8 was sampled once: nothing to draw, no lane.
    assert_eq!(lane_names(&t), ["lesson [7]", "worker-1"]);
    let worker = t.ordered_lanes()[1].id;
    assert_eq!(t.spans_in(worker, 0, u64::MAX).count(), 1);
    let slices = t.kernel_slices(worker);
    assert_eq!(slices.len(), 1);
    assert_eq!(
        (slices[0].on_cpu, slices[0].queued, slices[0].blocked()),
        (60, 30, 10)
    );
}

#[test]
fn a_thread_announced_first_gets_the_samples_that_follow() {
    let mut t = Timeline::new();
    t.ingest(1, hello(7, 1, "lesson"));
    t.ingest(1, thread(0, "main"));
    t.ingest(1, Record::ThreadId { thread: 0, tid: 7 });
    t.ingest(SAMPLER_CONN, sample(7, 7, 0, 0, 0, "lesson"));
    t.ingest(SAMPLER_CONN, sample(7, 7, 50, 50, 0, ""));
    assert_eq!(lane_names(&t), ["lesson [7]", "main"]);
    assert_eq!(t.kernel_slices(t.ordered_lanes()[1].id).len(), 1);
}

#[test]
fn an_uninstrumented_child_process_gets_lanes_named_by_the_kernel() {
    let mut t = Timeline::new();
    t.ingest(1, hello(7, 1, "lesson"));
    t.ingest(
        SAMPLER_CONN,
        Record::Process {
            pid: 20,
            ppid: 7,
            name: "python3 twin.py".into(),
        },
    );
    t.ingest(SAMPLER_CONN, sample(20, 21, 0, 0, 0, "python3"));
    t.ingest(SAMPLER_CONN, sample(20, 21, 10, 10, 0, ""));
    let lanes = t.ordered_lanes();
    assert_eq!(
        lane_names(&t),
        ["lesson [7]", "python3 twin.py [20]", "python3"]
    );
    assert_eq!(lanes[1].kind, LaneKind::Process);
    assert_eq!(lanes[1].parent, Some(lanes[0].id));
}

#[test]
fn the_recorders_own_thread_is_left_out_even_if_sampled_before_it_was_named() {
    let mut t = Timeline::new();
    t.ingest(SAMPLER_CONN, sample(7, 30, 0, 0, 0, "lesson"));
    t.ingest(
        SAMPLER_CONN,
        sample(7, 30, 10, 5, 0, crate::timeline::RECORDER_COMM),
    );
    t.ingest(SAMPLER_CONN, sample(7, 30, 20, 10, 0, ""));
    assert_eq!(lane_names(&t), ["pid 7 [7]"]);
}

#[test]
fn sampler_records_from_a_lesson_connection_are_refused() {
    let mut t = Timeline::new();
    t.ingest(1, hello(7, 1, "lesson"));
    t.ingest(1, sample(7, 7, 0, 0, 0, "forged"));
    assert_eq!(t.errors().count, 1);
    assert_eq!(lane_names(&t), ["lesson [7]"]);
}

#[test]
fn status_and_freezes_are_kept() {
    let mut t = Timeline::new();
    assert_eq!(*t.kernel_status(), KernelStatus::Unknown);
    t.ingest(
        SAMPLER_CONN,
        Record::Sampler {
            interval: 0,
            cpus: 2,
            note: "no /proc".into(),
        },
    );
    assert_eq!(
        *t.kernel_status(),
        KernelStatus::Unavailable("no /proc".into())
    );
    t.ingest(
        SAMPLER_CONN,
        Record::Freeze {
            ts: 5,
            frozen: true,
        },
    );
    t.ingest(
        SAMPLER_CONN,
        Record::Freeze {
            ts: 9,
            frozen: false,
        },
    );
    t.ingest(
        SAMPLER_CONN,
        Record::Freeze {
            ts: 12,
            frozen: true,
        },
    );
    assert_eq!(t.freezes(), [(5, Some(9)), (12, None)]);
}

#[test]
fn a_wait_the_kernel_adds_up_late_is_credited_to_the_slices_it_took() {
    // A thread queued from 0 to 25 ns, then on a core: the kernel adds the
    // wait to its total only when it gets the core, so at 10 and 20 the
    // totals have not moved, and at 30 both jumped.
    let mut t = Timeline::new();
    for (ts, on_cpu, queued) in [(0, 0, 0), (10, 0, 0), (20, 0, 0), (30, 5, 25)] {
        t.ingest(SAMPLER_CONN, sample(7, 8, ts, on_cpu, queued, "spinner"));
    }
    let lane = t.lanes().iter().find(|l| l.name == "spinner").unwrap().id;
    let shares: Vec<(u32, u32, u32)> = t
        .kernel_slices(lane)
        .iter()
        .map(|s| (s.on_cpu, s.queued, s.blocked()))
        .collect();
    assert_eq!(shares, [(0, 10, 0), (0, 10, 0), (5, 5, 0)]);
}

fn totals(thread: u32, ts: u64, on_cpu: u64, queued: u64) -> Record {
    Record::Totals {
        thread,
        ts,
        on_cpu,
        queued,
    }
}

/// The shares of each kernel slice of the lane named `name`.
fn shares_of(t: &Timeline, name: &str) -> Vec<(u64, u32, u32, u32, u32)> {
    let lane = t.lanes().iter().find(|l| l.name == name).unwrap().id;
    t.kernel_slices(lane)
        .iter()
        .map(|s| (s.start, s.len, s.on_cpu, s.queued, s.blocked()))
        .collect()
}

#[test]
fn a_thread_the_sampler_never_saw_gets_one_slice_from_its_own_totals() {
    let mut t = Timeline::new();
    t.ingest(1, hello(7, 1, "lesson"));
    t.ingest(1, thread(1, "ThreadId(2)"));
    t.ingest(1, Record::ThreadId { thread: 1, tid: 9 });
    t.ingest(1, totals(1, 1_000, 40, 0));
    t.ingest(1, totals(1, 21_000, 15_040, 3_000));
    // 20,000 ns of life: 15,000 on a core, 3,000 queued, the rest blocked.
    assert_eq!(
        shares_of(&t, "ThreadId(2)"),
        [(1_000, 20_000, 15_000, 3_000, 2_000)]
    );
    assert_eq!(t.errors().count, 0);
}

#[test]
fn totals_older_than_the_samplers_last_reading_are_left_out() {
    let mut t = Timeline::new();
    t.ingest(1, hello(7, 1, "lesson"));
    t.ingest(1, thread(1, "worker"));
    t.ingest(1, Record::ThreadId { thread: 1, tid: 9 });
    t.ingest(SAMPLER_CONN, sample(7, 9, 100, 0, 0, "worker"));
    t.ingest(SAMPLER_CONN, sample(7, 9, 200, 50, 10, ""));
    // Read at its start, before the sampler's readings, but arrived after.
    t.ingest(1, totals(1, 90, 0, 0));
    // Read as it ended: the last stretch, 200 to 260.
    t.ingest(1, totals(1, 260, 100, 10));
    assert_eq!(
        shares_of(&t, "worker"),
        [(100, 100, 50, 10, 40), (200, 60, 50, 0, 10)]
    );
}

#[test]
fn totals_of_a_thread_without_an_id_are_an_error() {
    let mut t = Timeline::new();
    t.ingest(1, hello(7, 1, "lesson"));
    t.ingest(1, thread(1, "worker"));
    t.ingest(1, totals(1, 10, 5, 0));
    t.ingest(1, totals(2, 10, 5, 0));
    assert_eq!(t.errors().count, 2);
}
