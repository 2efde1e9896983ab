use super::fixtures::{model, span, thread};
use crate::timeline::{LaneKind, State};
use crate::wire::Record;

fn hello(pid: u32, ppid: u32) -> Record {
    super::fixtures::hello(pid, ppid, "lesson")
}

#[test]
fn nested_spans_get_depths_and_states() {
    let t = model(vec![
        hello(10, 1),
        thread(0, "main"),
        span(1, "work", &[]),
        span(2, "lock", &[("waiting_on", "A")]),
        Record::Enter {
            span: 1,
            thread: 0,
            ts: 100,
        },
        Record::Enter {
            span: 2,
            thread: 0,
            ts: 150,
        },
        Record::Exit {
            span: 2,
            thread: 0,
            ts: 180,
        },
        Record::Exit {
            span: 1,
            thread: 0,
            ts: 200,
        },
    ]);
    assert_eq!(t.errors().count, 0);
    let main = t.lanes().iter().find(|l| l.name == "main").unwrap().id;
    let spans: Vec<_> = t.spans_in(main, 0, 1000).collect();
    assert_eq!(spans.len(), 2);
    assert_eq!((spans[1].depth, spans[1].state), (1, State::Waiting));
    assert_eq!(t.def(spans[1]).waiting_on.as_deref(), Some("A"));
    assert_eq!(t.span_at(main, 160).unwrap().depth, 1);
    assert_eq!(t.span_at(main, 190).unwrap().depth, 0);
    assert!(t.span_at(main, 250).is_none());
    assert_eq!(t.end(), 200);
}

#[test]
fn window_queries_skip_what_is_outside() {
    let mut records = vec![hello(10, 1), thread(0, "w"), span(1, "tick", &[])];
    for i in 0..100 {
        records.push(Record::Enter {
            span: 1,
            thread: 0,
            ts: i * 10,
        });
        records.push(Record::Exit {
            span: 1,
            thread: 0,
            ts: i * 10 + 5,
        });
    }
    let t = model(records);
    let w = t.lanes().iter().find(|l| l.name == "w").unwrap().id;
    let starts: Vec<u64> = t.spans_in(w, 203, 231).map(|s| s.start).collect();
    assert_eq!(starts, [200, 210, 220, 230]);
}

#[test]
fn a_task_polled_by_two_threads_shows_on_both_and_its_own_lane() {
    let t = model(vec![
        hello(10, 1),
        thread(0, "worker-1"),
        thread(1, "worker-2"),
        span(7, "fetch", &[("task", "fetch 1")]),
        Record::Enter {
            span: 7,
            thread: 0,
            ts: 10,
        },
        Record::Exit {
            span: 7,
            thread: 0,
            ts: 20,
        },
        Record::Enter {
            span: 7,
            thread: 1,
            ts: 30,
        },
        Record::Exit {
            span: 7,
            thread: 1,
            ts: 40,
        },
    ]);
    let task = t.lanes().iter().find(|l| l.kind == LaneKind::Task).unwrap();
    assert_eq!(task.name, "fetch 1");
    let polls: Vec<_> = t.spans_in(task.id, 0, 100).collect();
    assert_eq!(polls.len(), 2);
    let pollers: Vec<_> = polls
        .iter()
        .map(|s| t.lanes()[s.other_lane.unwrap()].name.as_str())
        .collect();
    assert_eq!(pollers, ["worker-1", "worker-2"]);
    let order: Vec<_> = t.ordered_lanes().iter().map(|l| l.name.clone()).collect();
    assert_eq!(order, ["lesson [10]", "worker-1", "worker-2", "fetch 1"]);
}

#[test]
fn a_task_parked_on_a_waiting_span_waits_between_polls() {
    let mut t = model(vec![
        hello(10, 1),
        thread(0, "worker"),
        span(7, "job", &[("task", "job 1")]),
        span(8, "permit", &[("waiting_on", "semaphore")]),
        Record::Enter {
            span: 7,
            thread: 0,
            ts: 10,
        },
        Record::Enter {
            span: 8,
            thread: 0,
            ts: 11,
        },
        Record::Exit {
            span: 8,
            thread: 0,
            ts: 12,
        },
        Record::Exit {
            span: 7,
            thread: 0,
            ts: 12,
        },
    ]);
    let task = t
        .lanes()
        .iter()
        .find(|l| l.kind == LaneKind::Task)
        .unwrap()
        .id;
    let waits = t.open_waits();
    assert_eq!(waits.len(), 1, "the parked task is an open wait");
    assert_eq!(
        (waits[0].0, t.def(waits[0].1).waiting_on.as_deref()),
        (task, Some("semaphore"))
    );
    for record in [
        Record::Enter {
            span: 7,
            thread: 0,
            ts: 40,
        },
        Record::Enter {
            span: 8,
            thread: 0,
            ts: 40,
        },
        Record::Exit {
            span: 8,
            thread: 0,
            ts: 41,
        },
        Record::Close { span: 8, ts: 41 },
        Record::Exit {
            span: 7,
            thread: 0,
            ts: 42,
        },
    ] {
        t.ingest(1, record);
    }
    assert_eq!(t.errors().count, 0, "{:?}", t.errors().samples);
    let top: Vec<_> = t
        .spans_in(task, 0, 100)
        .filter(|s| s.depth == 0)
        .map(|s| (s.start, s.end, s.state))
        .collect();
    assert_eq!(
        top,
        [
            (10, Some(12), State::Running),
            (12, Some(40), State::Waiting),
            (40, Some(42), State::Running)
        ]
    );
    assert!(t.open_waits().is_empty());
}

#[test]
fn bad_records_are_counted_not_applied() {
    let t = model(vec![
        thread(0, "before hello"),
        hello(10, 1),
        thread(0, "main"),
        thread(0, "main again"),
        Record::Enter {
            span: 99,
            thread: 0,
            ts: 5,
        },
        span(1, "s", &[]),
        Record::Exit {
            span: 1,
            thread: 0,
            ts: 6,
        },
        Record::Enter {
            span: 1,
            thread: 3,
            ts: 7,
        },
        Record::Enter {
            span: 1,
            thread: 0,
            ts: 50,
        },
        Record::Exit {
            span: 1,
            thread: 0,
            ts: 40,
        },
    ]);
    assert_eq!(t.errors().count, 6);
    assert!(t.errors().samples[0].contains("before the hello"));
    assert!(
        t.errors()
            .samples
            .iter()
            .any(|s| s.contains("out of order"))
    );
}

#[test]
fn open_waits_name_lanes_stuck_waiting_and_disconnect_closes_them() {
    let mut t = model(vec![
        hello(10, 1),
        thread(0, "a"),
        span(1, "lock", &[("waiting_on", "lock B")]),
        Record::Enter {
            span: 1,
            thread: 0,
            ts: 5,
        },
    ]);
    let waits = t.open_waits();
    assert_eq!(waits.len(), 1);
    assert_eq!(t.def(waits[0].1).waiting_on.as_deref(), Some("lock B"));
    t.disconnected(1);
    assert!(t.open_waits().is_empty());
}

#[test]
fn child_processes_nest_under_their_parent() {
    // A thread's lane is made when it is first used (here: its OS id).
    let mut t = model(vec![
        hello(10, 1),
        thread(0, "main"),
        Record::ThreadId { thread: 0, tid: 10 },
    ]);
    t.ingest(2, hello(11, 10));
    t.ingest(2, thread(0, "main"));
    t.ingest(2, Record::ThreadId { thread: 0, tid: 11 });
    let order: Vec<_> = t.ordered_lanes().iter().map(|l| (l.kind, l.pid)).collect();
    assert_eq!(
        order,
        [
            (LaneKind::Process, 10),
            (LaneKind::Thread, 10),
            (LaneKind::Process, 11),
            (LaneKind::Thread, 11)
        ]
    );
}

#[test]
fn past_the_caps_spans_defs_and_marks_are_counted_not_kept() {
    use crate::timeline::{Caps, Timeline};
    let caps = Caps {
        spans: 10,
        defs: 3,
        marks: 2,
    };
    let mut records = vec![hello(1, 0), thread(0, "main")];
    for id in 1..=5u64 {
        records.push(span(id, "work", &[]));
    }
    for i in 0..20u64 {
        let id = 1 + i % 5;
        records.push(Record::Enter {
            span: id,
            thread: 0,
            ts: 10 * i,
        });
        records.push(Record::Mark {
            thread: 0,
            ts: 10 * i + 1,
            span: id,
            name: "tick".into(),
            fields: vec![],
        });
        records.push(Record::Exit {
            span: id,
            thread: 0,
            ts: 10 * i + 5,
        });
    }
    let mut timeline = Timeline::with_caps(caps);
    timeline.ingest_all(1, records.clone());
    assert_eq!(timeline.span_count(), 10, "the cap holds");
    assert_eq!(timeline.errors().count, 0, "{:?}", timeline.errors());
    // 2 definitions past the cap; of 20 enters, 8 were of those (not kept)
    // and 12 were of kept ones, of which 9 fit beside the process's own
    // span; 18 marks past the cap of 2.
    assert_eq!(timeline.not_kept(), 2 + 8 + 3 + 18);
    // Batch and record-by-record intake agree.
    let mut one_by_one = Timeline::with_caps(caps);
    for record in records {
        one_by_one.ingest(1, record);
    }
    assert_eq!(one_by_one.span_count(), timeline.span_count());
    assert_eq!(one_by_one.not_kept(), timeline.not_kept());
}

#[test]
fn a_batch_is_the_same_as_its_records_one_by_one() {
    let records = vec![
        hello(1, 0),
        thread(0, "main"),
        span(1, "work", &[]),
        Record::Enter {
            span: 1,
            thread: 0,
            ts: 5,
        },
        Record::Exit {
            span: 1,
            thread: 0,
            ts: 9,
        },
        Record::Exit {
            span: 7,
            thread: 0,
            ts: 10,
        },
    ];
    let mut batch = crate::timeline::Timeline::new();
    batch.ingest_all(1, records.clone());
    let single = model(records);
    assert_eq!(batch.span_count(), single.span_count());
    assert_eq!(batch.errors().count, 1);
    assert_eq!(batch.errors().samples, single.errors().samples);
    assert_eq!(batch.end(), single.end());
}
