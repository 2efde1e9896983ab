//! The run model: what events add up to, what they say, and a recorded run
//! played back the same.
use super::*;
use crate::run::store::Meta;
use crate::timeline::fixtures::{hello, thread};
use crate::wire::Record;

fn events() -> Vec<RunEvent> {
    vec![
        RunEvent::Build("Compiling 04_synchronization".into()),
        RunEvent::Started { pid: 42 },
        RunEvent::Stdout("two threads".into()),
        RunEvent::Trace {
            conn: 1,
            records: vec![
                hello(1, 1, "lesson"),
                thread(0, "worker-1"),
                Record::Span {
                    span: 1,
                    parent: 0,
                    name: "lock".into(),
                    target: "t".into(),
                    fields: vec![],
                },
                Record::Enter {
                    span: 1,
                    thread: 0,
                    ts: 10,
                },
                Record::Exit {
                    span: 1,
                    thread: 0,
                    ts: 20,
                },
            ],
        },
        RunEvent::Stderr("a warning".into()),
        RunEvent::Strays(1),
        RunEvent::Disconnected { conn: 1 },
        RunEvent::Exited(Outcome::Code(0)),
    ]
}

#[test]
fn events_add_up_to_a_run_and_say_what_a_reader_sees() {
    let mut model = RunModel::new("04_synchronization", Some("deadlock".into()));
    let said: Vec<(u64, Said)> = events()
        .into_iter()
        .enumerate()
        .filter_map(|(i, e)| model.apply(1_000 + i as u64 * 100, e))
        .collect();
    assert_eq!(
        said,
        [
            (0, Said::Build("Compiling 04_synchronization".into())),
            (
                0,
                Said::Milestone("▶ 04_synchronization --demo deadlock started (pid 42)".into())
            ),
            // Times in the lesson's clock: from its start, at 1,100.
            (100, Said::Stdout("two threads".into())),
            (300, Said::Stderr("a warning".into())),
            (400, Said::Note(crate::runner::strays_line(1))),
            (
                600,
                Said::Milestone("■ 04_synchronization exited normally (code 0)".into())
            ),
        ]
    );
    let lanes: Vec<&str> = model
        .timeline
        .lanes()
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    assert!(lanes.contains(&"worker-1"), "{lanes:?}");
    assert!(model.timeline.span_count() > 0);
    assert_eq!(model.outcome, Some(Outcome::Code(0)));
    assert_eq!(
        model.phase,
        Phase::Ended {
            text: "exited normally (code 0)".into(),
            ok: true
        }
    );
    assert_eq!(model.now_ns, 1_700);
}

#[test]
fn a_failed_build_is_known_by_its_outcome_not_its_words() {
    let mut model = RunModel::new("01_threading_basics", None);
    model.apply(0, RunEvent::BuildFailed("error[E0425]: x".into()));
    model.apply(1, RunEvent::Exited(Outcome::BuildFailed));
    assert_eq!(
        model.phase,
        Phase::Ended {
            text: "did not compile: the errors are in the output pane".into(),
            ok: false
        }
    );
    // A reason that merely mentions compiling is not a failed build.
    let mut model = RunModel::new("01_threading_basics", None);
    model.apply(
        0,
        RunEvent::Exited(Outcome::FailedToStart("x did not compile".into())),
    );
    assert!(
        matches!(&model.phase, Phase::Ended { text, .. } if text.starts_with("did not start")),
        "{:?}",
        model.phase
    );
}

#[test]
fn a_recorded_run_replays_to_the_same_model() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("1-04_synchronization-deadlock");
    let mut live = RunModel::new("04_synchronization", Some("deadlock".into()));
    let meta = Meta {
        lesson: live.lesson.clone(),
        demo: live.demo.clone(),
        ..Meta::default()
    };
    live.recorder = Some(Recorder::create_at(&dir, meta).unwrap());
    let mut live_said = Vec::new();
    for (i, event) in events().into_iter().enumerate() {
        live_said.extend(live.apply(i as u64 * 100, event));
    }
    assert!(
        live.recording_dir().is_none(),
        "the ending finishes the recording"
    );
    let mut replayed_said = Vec::new();
    let (replayed, meta) =
        replay(&dir, |ts, said| replayed_said.push((ts, said)), |_, _| true).unwrap();
    assert_eq!(replayed_said, live_said);
    assert_eq!(replayed.phase, live.phase);
    assert_eq!(replayed.outcome, live.outcome);
    let spans = live.timeline.span_count();
    assert!(spans > 0);
    assert_eq!(replayed.timeline.span_count(), spans);
    assert_eq!(meta.outcome.as_deref(), Some("exited normally (code 0)"));
    assert_eq!(
        (meta.spans, meta.demo.as_deref()),
        (spans, Some("deadlock"))
    );
}

#[test]
fn a_run_closed_before_it_ended_says_so_in_its_recording() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("1-01_threading_basics");
    let mut live = RunModel::new("01_threading_basics", None);
    live.recorder = Some(Recorder::create_at(&dir, Meta::default()).unwrap());
    live.apply(5, RunEvent::Started { pid: 7 });
    live.close("stopped when the workbook closed it");
    let (_, meta) = replay(&dir, |_, _| {}, |_, _| true).unwrap();
    assert_eq!(
        meta.outcome.as_deref(),
        Some("stopped when the workbook closed it")
    );
    // A recording that ends mid-run (the workbook died) replays as ended.
    let dir = root.path().join("2-01_threading_basics");
    let mut live = RunModel::new("01_threading_basics", None);
    live.recorder = Some(Recorder::create_at(&dir, Meta::default()).unwrap());
    live.apply(5, RunEvent::Started { pid: 7 });
    drop(live);
    let (replayed, meta) = replay(&dir, |_, _| {}, |_, _| true).unwrap();
    assert_eq!(meta.outcome, None);
    assert!(
        matches!(&replayed.phase, Phase::Ended { text, ok: false } if text.contains("recording ends here")),
        "{:?}",
        replayed.phase
    );
}
