//! The run store: the files round-trip every event, stay private, never hold
//! the token, say when they are of another format, and are pruned.
use super::retention::{dir_bytes, prune};
use super::*;
use crate::runner::Outcome;
use crate::wire::{self, Record};

fn fake_run(root: &Path, ms: u64, bytes: usize) -> PathBuf {
    let dir = root.join(format!("{ms}-01_threading_basics"));
    std::fs::create_dir_all(&dir).unwrap();
    let meta = Meta {
        lesson: "01_threading_basics".into(),
        started_unix_ms: ms,
        ..Meta::default()
    };
    std::fs::write(dir.join("meta.json"), serde_json::to_vec(&meta).unwrap()).unwrap();
    std::fs::write(dir.join("events.bin"), vec![0u8; bytes]).unwrap();
    dir
}

fn recorder(dir: &Path) -> Recorder {
    let meta = Meta {
        lesson: "01_threading_basics".into(),
        ..Meta::default()
    };
    Recorder::create_at(dir, meta).unwrap()
}

#[test]
fn pruning_keeps_the_newest_runs_within_count_and_size() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    let old: Vec<PathBuf> = (1..=5).map(|i| fake_run(root, i, 1000)).collect();
    let current = fake_run(root, 10, 1000);
    // By count: the current run and the two newest old ones stay.
    let (runs, bytes) = prune(root, &current, 3, u64::MAX);
    assert_eq!(runs, 3);
    assert!(bytes >= 3000, "{bytes}");
    assert!(current.exists() && old[4].exists() && old[3].exists());
    assert!(!old[2].exists() && !old[0].exists());
    // By size: room for the current run and one more.
    let one = dir_bytes(&current);
    let (runs, _) = prune(root, &current, 30, 2 * one);
    assert_eq!(runs, 1);
    assert!(old[4].exists() && !old[3].exists());
    // Nothing past the limits: nothing to say.
    assert_eq!(prune(root, &current, 30, u64::MAX), (0, 0));
}

#[test]
fn the_token_never_reaches_the_disk_and_the_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::tempdir().unwrap();
    let runs = data.path().join("runs");
    private_dir(&runs).unwrap();
    let dir = runs.join("1-01_threading_basics");
    let token = [0xA5; 16];
    let mut recorder = recorder(&dir);
    recorder.record(
        1,
        &RunEvent::Trace {
            conn: 1,
            records: vec![Record::Hello {
                version: wire::VERSION,
                token,
                pid: 7,
                ppid: 1,
                name: "lesson".into(),
            }],
        },
    );
    recorder.finish(None, 0, 1);
    let bytes = std::fs::read(dir.join("events.bin")).unwrap();
    assert!(
        !bytes.windows(16).any(|w| w == token),
        "the run's token was written to events.bin"
    );
    let (_, loaded) = load(&dir).unwrap();
    let hello = loaded.iter().find_map(|(_, e)| match e {
        RunEvent::Trace { records, .. } => records.first().cloned(),
        _ => None,
    });
    assert!(
        matches!(hello, Some(Record::Hello { pid: 7, token, .. }) if token == [0; 16]),
        "{hello:?}"
    );
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&runs), 0o700);
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("events.bin")), 0o600);
    assert_eq!(mode(&dir.join("meta.json")), 0o600);
}

#[test]
fn dates_are_shown_in_utc() {
    assert_eq!(fmt_unix_ms(0), "1970-01-01 00:00:00 UTC");
    assert_eq!(fmt_unix_ms(1_795_305_552_000), "2026-11-21 23:59:12 UTC");
}

#[test]
fn every_event_survives_the_file() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("1-01_threading_basics");
    let events = vec![
        RunEvent::Build("Compiling workbook".into()),
        RunEvent::BuildFailed("error[E0425]: cannot find value `x`".into()),
        RunEvent::Started { pid: 42 },
        RunEvent::Stdout("héllo".into()),
        RunEvent::Trace {
            conn: 3,
            records: vec![
                Record::Thread {
                    thread: 1,
                    name: "worker-1".into(),
                },
                Record::End { ts: 9 },
            ],
        },
        RunEvent::WireError {
            conn: 3,
            message: "bad".into(),
        },
        RunEvent::Disconnected { conn: 3 },
        RunEvent::Strays(2),
        RunEvent::Exited(Outcome::Signal(9)),
        RunEvent::Exited(Outcome::BuildFailed),
        RunEvent::Exited(Outcome::TimedOut(std::time::Duration::from_secs(300))),
        RunEvent::Exited(Outcome::Panicked {
            message: "boom".into(),
        }),
    ];
    let mut recorder = recorder(&dir);
    for (i, event) in events.iter().enumerate() {
        recorder.record(i as u64 * 10, event);
    }
    recorder.finish(Some("killed by signal 9".into()), 0, 60);
    let (meta, loaded) = load(&dir).unwrap();
    assert_eq!(meta.outcome.as_deref(), Some("killed by signal 9"));
    assert_eq!(meta.format, FORMAT);
    let times: Vec<u64> = loaded.iter().map(|(ts, _)| *ts).collect();
    assert_eq!(
        times,
        (0..events.len() as u64).map(|i| i * 10).collect::<Vec<_>>()
    );
    let loaded: Vec<RunEvent> = loaded.into_iter().map(|(_, e)| e).collect();
    assert_eq!(loaded, events);
    assert_eq!(
        list(root.path()).iter().filter(|(p, _)| *p == dir).count(),
        1
    );
}

/// What opening `dir` says, as the one error it gives.
fn refusal(dir: &Path) -> UnsupportedFormat {
    let err = load(dir).expect_err("a run of another format was read");
    err.downcast_ref::<UnsupportedFormat>()
        .unwrap_or_else(|| panic!("not a format error: {err:#}"))
        .clone()
}

#[test]
fn a_run_from_an_older_workbook_says_so() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("1-01_threading_basics");
    std::fs::create_dir_all(&dir).unwrap();
    // Format 1: no `format` in the meta, no header in events.bin (an entry
    // of kind 4, Stdout, straight away).
    std::fs::write(
        dir.join("meta.json"),
        r#"{"lesson":"01_threading_basics","demo":null,"started_unix_ms":5,"outcome":null,"spans":0,"duration_ns":0,"cut":false}"#,
    )
    .unwrap();
    let mut entry = format::entry_head(4, 0, 0, 2).to_vec();
    entry.extend_from_slice(b"hi");
    std::fs::write(dir.join("events.bin"), &entry).unwrap();
    // It is listed (the past-runs list shows it) ...
    let listed = list(root.path());
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].1.format, 1);
    // ... and opening it says it is older, whichever file is read first.
    let said = refusal(&dir);
    assert_eq!(
        said,
        UnsupportedFormat {
            file: "meta.json",
            found: 1
        }
    );
    assert!(said.to_string().contains("older workbook"), "{said}");
    let meta = Meta::default();
    std::fs::write(dir.join("meta.json"), serde_json::to_vec(&meta).unwrap()).unwrap();
    let said = refusal(&dir);
    assert_eq!(
        said,
        UnsupportedFormat {
            file: "events.bin",
            found: 1
        }
    );
    assert!(said.to_string().contains("older workbook"), "{said}");
}

/// Format 3 only added a trace record (a thread's own totals): a run
/// written in format 2 replays as before.
#[test]
fn a_run_of_the_previous_format_still_replays() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("1-01_threading_basics");
    let mut recorder = recorder(&dir);
    let trace = RunEvent::Trace {
        conn: 1,
        records: vec![Record::End { ts: 5 }],
    };
    recorder.record(0, &trace);
    recorder.finish(Some("exited normally (code 0)".into()), 0, 1);
    let mut bytes = std::fs::read(dir.join("events.bin")).unwrap();
    bytes[format::MAGIC.len()..format::HEADER_LEN].copy_from_slice(&2u32.to_le_bytes());
    std::fs::write(dir.join("events.bin"), &bytes).unwrap();
    let mut meta = read_meta(&dir).unwrap();
    meta.format = 2;
    std::fs::write(dir.join("meta.json"), serde_json::to_vec(&meta).unwrap()).unwrap();
    let (meta, events) = load(&dir).unwrap();
    assert_eq!(meta.format, 2);
    assert_eq!(events, [(0, trace)]);
}

#[test]
fn a_run_from_a_newer_workbook_says_so() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("1-01_threading_basics");
    let mut recorder = recorder(&dir);
    recorder.record(0, &RunEvent::Stdout("hi".into()));
    recorder.finish(Some("exited normally (code 0)".into()), 0, 1);
    assert_eq!(load(&dir).unwrap().1.len(), 1);
    // A newer events.bin: the same magic, a later version.
    let mut bytes = std::fs::read(dir.join("events.bin")).unwrap();
    bytes[format::MAGIC.len()..format::HEADER_LEN].copy_from_slice(&(FORMAT + 1).to_le_bytes());
    std::fs::write(dir.join("events.bin"), &bytes).unwrap();
    let said = refusal(&dir);
    assert_eq!(
        said,
        UnsupportedFormat {
            file: "events.bin",
            found: FORMAT + 1
        }
    );
    assert!(said.to_string().contains("newer workbook"), "{said}");
    // A newer meta, whose fields this workbook may not know: the version
    // is read before anything else.
    std::fs::write(
        dir.join("meta.json"),
        format!(
            r#"{{"format": {}, "lesson": {{"renamed": true}}}}"#,
            FORMAT + 1
        ),
    )
    .unwrap();
    let said = refusal(&dir);
    assert_eq!(
        said,
        UnsupportedFormat {
            file: "meta.json",
            found: FORMAT + 1
        }
    );
    assert!(said.to_string().contains("update the workbook"), "{said}");
}

#[test]
fn meta_json_is_replaced_whole_and_leaves_no_temporary_file() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("1-01_threading_basics");
    let mut recorder = recorder(&dir);
    recorder.finish(Some("stopped".into()), 3, 10);
    recorder.finish(Some("exited normally (code 0)".into()), 4, 20);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let (meta, _) = load(&dir).unwrap();
    assert_eq!(
        (meta.outcome.as_deref(), meta.spans),
        (Some("exited normally (code 0)"), 4)
    );
}
