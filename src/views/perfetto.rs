//! Chrome trace event JSON, which Perfetto (`ui.perfetto.dev`) and `chrome://tracing` open.
//!
//! A pid per process with `process_name`; a tid per thread with
//! `thread_name`; each task gets a track of its own (tid from
//! [`TASK_TID_BASE`] up) named `task: NAME`. Spans are complete slices
//! (`ph: "X"`) whose `cat` says what they are: `running`, `waiting`, `poll`
//! (a task's poll, on the task's track and on the worker thread's, with
//! `args.task` naming the task) or `process`. Marks are thread-scoped
//! instants.
//!
//! What the kernel saw (the runner's sampler) becomes counter tracks, which
//! the JSON format scopes to a process: per thread, `NAME · kernel` with two
//! series, `on-CPU` and `run queue`, each the share of the time between two
//! samples; per process, `cores used`. A frozen stretch (SIGSTOP) is a
//! `frozen` slice on the first process's track.
use super::coverage::cores_used;
use crate::timeline::{KernelStatus, LaneKind, State, Timeline};
use serde_json::{Value, json};
use std::collections::HashMap;

pub const TASK_TID_BASE: u64 = 1_000_000;

pub fn export(timeline: &Timeline) -> Value {
    let mut events = Vec::new();
    let mut tids: HashMap<usize, (u32, u64)> = HashMap::new();
    let mut next_tid: HashMap<u32, (u64, u64)> = HashMap::new();
    for lane in timeline.ordered_lanes() {
        let (threads, tasks) = next_tid.entry(lane.pid).or_insert((1, TASK_TID_BASE));
        match lane.kind {
            LaneKind::Process => {
                events.push(json!({"ph": "M", "name": "process_name", "pid": lane.pid, "args": {"name": lane.name}}));
                tids.insert(lane.id, (lane.pid, 0));
            }
            LaneKind::Thread => {
                let tid = *threads;
                *threads += 1;
                events.push(json!({"ph": "M", "name": "thread_name", "pid": lane.pid, "tid": tid, "args": {"name": lane.name}}));
                tids.insert(lane.id, (lane.pid, tid));
            }
            LaneKind::Task => {
                let tid = *tasks;
                *tasks += 1;
                events.push(json!({"ph": "M", "name": "thread_name", "pid": lane.pid, "tid": tid, "args": {"name": format!("task: {}", lane.name)}}));
                tids.insert(lane.id, (lane.pid, tid));
            }
        }
    }
    let lanes = timeline.lanes();
    for lane in timeline.ordered_lanes() {
        let (pid, tid) = tids[&lane.id];
        kernel_counters(timeline, lane, pid, &mut events);
        for span in timeline.spans_in(lane.id, 0, u64::MAX) {
            let def = timeline.def(span);
            let end = span.end.unwrap_or(timeline.end());
            let mut args: serde_json::Map<String, Value> = def
                .fields
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            let is_poll = def.task.is_some() && span.other_lane.is_some();
            let cat = match (lane.kind, span.state) {
                (LaneKind::Process, _) => "process",
                _ if is_poll => "poll",
                (_, State::Waiting) => "waiting",
                (_, State::Running) => "running",
            };
            if let Some(other) = span.other_lane {
                let key = if lane.kind == LaneKind::Task {
                    "polled_by"
                } else {
                    "task_lane"
                };
                args.insert(key.into(), Value::String(lanes[other].name.clone()));
            }
            events.push(json!({
                "ph": "X", "name": def.name, "cat": cat, "pid": pid, "tid": tid,
                "ts": micros(span.start), "dur": micros(end - span.start), "args": args,
            }));
        }
        for mark in timeline.marks_in(lane.id, 0, u64::MAX) {
            let args: serde_json::Map<String, Value> = mark
                .fields
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            events.push(json!({
                "ph": "i", "s": "t", "name": mark.name, "cat": "mark",
                "pid": pid, "tid": tid, "ts": micros(mark.ts), "args": args,
            }));
        }
    }
    if let Some(root) = timeline.ordered_lanes().first() {
        for &(start, end) in timeline.freezes() {
            let end = end.unwrap_or(timeline.end());
            events.push(json!({
                "ph": "X", "name": "frozen (SIGSTOP)", "cat": "frozen", "pid": root.pid, "tid": 0,
                "ts": micros(start), "dur": micros(end - start), "args": {},
            }));
        }
    }
    json!({
        "traceEvents": events,
        "displayTimeUnit": "ms",
        "otherData": {
            "generator": "workbook",
            "malformed_records": timeline.errors().count,
            "dropped_records": timeline.dropped(),
            "not_kept_past_limit": timeline.not_kept(),
        },
    })
}

/// Counter tracks for what the kernel saw of `lane`: per thread, its shares
/// on a core and in the run queue between samples; per process, the cores
/// its threads used, in steps of the sampling interval.
fn kernel_counters(
    timeline: &Timeline,
    lane: &crate::timeline::Lane,
    pid: u32,
    events: &mut Vec<Value>,
) {
    match lane.kind {
        LaneKind::Thread => {
            let name = format!("{} · kernel", lane.name);
            let slices = timeline.kernel_slices(lane.id);
            for slice in slices {
                let len = f64::from(slice.len.max(1));
                events.push(json!({
                    "ph": "C", "name": name, "pid": pid, "ts": micros(slice.start),
                    "args": {"on-CPU": f64::from(slice.on_cpu) / len, "run queue": f64::from(slice.queued) / len},
                }));
            }
            if let Some(last) = slices.last() {
                events.push(json!({
                    "ph": "C", "name": name, "pid": pid, "ts": micros(last.end()),
                    "args": {"on-CPU": 0.0, "run queue": 0.0},
                }));
            }
        }
        LaneKind::Process => {
            let KernelStatus::Sampling { interval, .. } = *timeline.kernel_status() else {
                return;
            };
            if timeline
                .threads_of(lane.id)
                .all(|t| timeline.kernel_slices(t).is_empty())
            {
                return;
            }
            // Steps of the sampling interval, at most 20,000 of them.
            let step = interval.max(timeline.end() / 20_000).max(1);
            let n = timeline.end().div_ceil(step) as usize;
            for (i, cores) in cores_used(timeline, lane.id, 0, step as f64, n)
                .iter()
                .enumerate()
            {
                events.push(json!({
                    "ph": "C", "name": "cores used", "pid": pid, "ts": micros(i as u64 * step),
                    "args": {"cores": cores},
                }));
            }
        }
        LaneKind::Task => {}
    }
}

fn micros(ns: u64) -> f64 {
    ns as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::fixtures::{hello, thread};
    use crate::wire::Record;

    #[test]
    fn tasks_get_tracks_and_polls_name_their_task() {
        let mut t = Timeline::new();
        for record in [
            hello(5, 1, "l"),
            thread(0, "worker-1"),
            Record::Span {
                span: 1,
                parent: 0,
                name: "fetch".into(),
                target: "t".into(),
                fields: vec![("task".into(), "fetch 1".into())],
            },
            Record::Enter {
                span: 1,
                thread: 0,
                ts: 1000,
            },
            Record::Exit {
                span: 1,
                thread: 0,
                ts: 3000,
            },
        ] {
            t.ingest(1, record);
        }
        let trace = export(&t);
        let events = trace["traceEvents"].as_array().unwrap();
        let names: Vec<_> = events
            .iter()
            .filter(|e| e["ph"] == "M")
            .map(|e| e["args"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["l [5]", "worker-1", "task: fetch 1"]);
        let polls: Vec<_> = events.iter().filter(|e| e["cat"] == "poll").collect();
        assert_eq!(polls.len(), 2);
        assert!(
            polls
                .iter()
                .all(|p| p["args"]["task"] == "fetch 1" && p["dur"] == 2.0)
        );
        let tids: Vec<_> = polls.iter().map(|p| p["tid"].as_u64().unwrap()).collect();
        assert!(tids.contains(&1) && tids.contains(&TASK_TID_BASE));
    }

    #[test]
    fn kernel_samples_become_counter_tracks_per_thread_and_process() {
        use crate::wire::{SAMPLER_CONN, Sample};
        let mut t = Timeline::new();
        t.ingest(1, hello(5, 1, "l"));
        let sample = |ts, on_cpu, queued| {
            Record::Sample(Sample {
                pid: 5,
                tid: 6,
                ts,
                on_cpu,
                queued,
                state: b'R',
                comm: "spin".into(),
            })
        };
        for record in [
            Record::Sampler {
                interval: 10,
                cpus: 2,
                note: String::new(),
            },
            sample(0, 0, 0),
            sample(10, 5, 5),
            sample(20, 15, 5),
        ] {
            t.ingest(SAMPLER_CONN, record);
        }
        let trace = export(&t);
        let events = trace["traceEvents"].as_array().unwrap();
        let thread: Vec<_> = events
            .iter()
            .filter(|e| e["ph"] == "C" && e["name"] == "spin · kernel")
            .map(|e| {
                (
                    e["args"]["on-CPU"].as_f64().unwrap(),
                    e["args"]["run queue"].as_f64().unwrap(),
                )
            })
            .collect();
        assert_eq!(thread, [(0.5, 0.5), (1.0, 0.0), (0.0, 0.0)]);
        let cores: Vec<_> = events
            .iter()
            .filter(|e| e["ph"] == "C" && e["name"] == "cores used")
            .map(|e| e["args"]["cores"].as_f64().unwrap())
            .collect();
        assert_eq!(cores, [0.5, 1.0]);
    }
}
