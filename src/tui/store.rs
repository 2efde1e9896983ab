//! Every run is kept on disk, so it can be opened again and scrubbed
//! through: `$XDG_DATA_HOME/workbook/runs/` (or `~/.local/share/...`), one
//! folder per run holding `meta.json` and `events.bin`.
//!
//! `events.bin` is a sequence of entries, each `kind u8, ts u64 (ns since the
//! run was asked for), num u64, len u32, payload`, integers little-endian.
//! Trace records are stored in the wire format ([`crate::wire`]), so replay
//! decodes them with the same code as a live run.
use crate::runner::{Outcome, RunEvent};
use crate::wire;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::Duration;

/// Retention: the newest runs are kept, up to this many and this many bytes
/// in all; older ones are deleted, off the UI thread, when a new run starts
/// (see [`prune_in_background`]), and the learner is told what went.
pub const KEEP_RUNS: usize = 30;
pub const KEEP_BYTES: u64 = 1 << 30;
/// A run's events file stops growing here (a lesson flooding events for
/// minutes); the meta says the recording was cut.
const MAX_BYTES: u64 = 512 << 20;

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Meta {
    pub lesson: String,
    pub demo: Option<String>,
    /// When the run was asked for, milliseconds since the Unix epoch.
    pub started_unix_ms: u64,
    /// How it ended, as the TUI said it; `None` if the workbook died first.
    pub outcome: Option<String>,
    pub spans: usize,
    /// The lesson's time, nanoseconds.
    pub duration_ns: u64,
    /// The recording hit its size limit and misses the rest of the run.
    pub cut: bool,
}

pub fn runs_dir() -> Option<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".local/share")))?;
    Some(data.join("workbook").join("runs"))
}

pub struct Recorder {
    pub dir: PathBuf,
    events: BufWriter<File>,
    bytes: u64,
    pub meta: Meta,
    scratch: Vec<u8>,
}

impl Recorder {
    pub fn create(lesson: &str, demo: Option<&str>) -> anyhow::Result<Recorder> {
        let root = runs_dir().context("neither XDG_DATA_HOME nor HOME is set")?;
        Recorder::create_in(&root, lesson, demo)
    }

    /// A recorder for a new run folder under `root` (tests pass their own).
    pub fn create_in(root: &Path, lesson: &str, demo: Option<&str>) -> anyhow::Result<Recorder> {
        let root = root.to_path_buf();
        private_dir(&root).with_context(|| format!("creating {}", root.display()))?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let mut name = format!("{}-{lesson}", now.as_millis());
        if let Some(demo) = demo {
            name.push('-');
            name.push_str(demo);
        }
        let dir = root.join(name);
        private_dir(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let events = private_file(&dir.join("events.bin")).context("creating events.bin")?;
        let meta = Meta {
            lesson: lesson.to_string(),
            demo: demo.map(str::to_string),
            started_unix_ms: now.as_millis() as u64,
            ..Meta::default()
        };
        let recorder = Recorder {
            dir,
            events: BufWriter::with_capacity(256 << 10, events),
            bytes: 0,
            meta,
            scratch: Vec::new(),
        };
        recorder.write_meta();
        Ok(recorder)
    }

    pub fn record(&mut self, ts: u64, event: &RunEvent) {
        if self.meta.cut {
            return;
        }
        self.scratch.clear();
        let (kind, num) = encode(event, &mut self.scratch);
        let mut head = [0u8; 21];
        head[0] = kind;
        head[1..9].copy_from_slice(&ts.to_le_bytes());
        head[9..17].copy_from_slice(&num.to_le_bytes());
        head[17..21].copy_from_slice(&(self.scratch.len() as u32).to_le_bytes());
        self.bytes += (head.len() + self.scratch.len()) as u64;
        if self.bytes > MAX_BYTES {
            self.meta.cut = true;
            return;
        }
        // A full disk loses the recording, never the run.
        let _ = self
            .events
            .write_all(&head)
            .and_then(|()| self.events.write_all(&self.scratch));
    }

    pub fn finish(&mut self, outcome: Option<String>, spans: usize, duration_ns: u64) {
        let _ = self.events.flush();
        self.meta.outcome = outcome;
        self.meta.spans = spans;
        self.meta.duration_ns = duration_ns;
        self.write_meta();
    }

    fn write_meta(&self) {
        if let Ok(json) = serde_json::to_vec_pretty(&self.meta) {
            let _ = private_file(&self.dir.join("meta.json")).and_then(|mut f| f.write_all(&json));
        }
    }
}

/// Creates `dir` (and its parents) readable by its owner only (0700): a
/// run's output and trace are the learner's, not the machine's.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    // An older workbook made the folder 0755: tighten it.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// Creates or truncates `path` readable and writable by its owner only (0600).
fn private_file(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

const BUILD: u8 = 1;
const BUILD_FAILED: u8 = 2;
const STARTED: u8 = 3;
const STDOUT: u8 = 4;
const STDERR: u8 = 5;
const TRACE: u8 = 6;
const DISCONNECTED: u8 = 7;
const WIRE_ERROR: u8 = 8;
const EXITED: u8 = 9;
const STRAYS: u8 = 10;

fn encode(event: &RunEvent, payload: &mut Vec<u8>) -> (u8, u64) {
    match event {
        RunEvent::Build(line) => {
            payload.extend_from_slice(line.as_bytes());
            (BUILD, 0)
        }
        RunEvent::BuildFailed(text) => {
            payload.extend_from_slice(text.as_bytes());
            (BUILD_FAILED, 0)
        }
        RunEvent::Started { pid } => (STARTED, u64::from(*pid)),
        RunEvent::Stdout(line) => {
            payload.extend_from_slice(line.as_bytes());
            (STDOUT, 0)
        }
        RunEvent::Stderr(line) => {
            payload.extend_from_slice(line.as_bytes());
            (STDERR, 0)
        }
        RunEvent::Trace { conn, records } => {
            for record in records {
                // The run's token is a secret of the live run: it never
                // reaches the disk (a replay does not need it).
                if let wire::Record::Hello {
                    version,
                    pid,
                    ppid,
                    name,
                    ..
                } = record
                {
                    let scrubbed = wire::Record::Hello {
                        version: *version,
                        token: [0; 16],
                        pid: *pid,
                        ppid: *ppid,
                        name: name.clone(),
                    };
                    wire::encode(&scrubbed, payload);
                    continue;
                }
                wire::encode(record, payload);
            }
            (TRACE, u64::from(*conn))
        }
        RunEvent::Disconnected { conn } => (DISCONNECTED, u64::from(*conn)),
        RunEvent::Strays(count) => (STRAYS, *count as u64),
        RunEvent::WireError { conn, message } => {
            payload.extend_from_slice(message.as_bytes());
            (WIRE_ERROR, u64::from(*conn))
        }
        RunEvent::Exited(outcome) => {
            let (tag, value, text): (u32, i64, &str) = match outcome {
                Outcome::Code(code) => (0, i64::from(*code), ""),
                Outcome::Panicked { message } => (1, 0, message),
                Outcome::Signal(signal) => (2, i64::from(*signal), ""),
                Outcome::Killed => (3, 0, ""),
                Outcome::TimedOut(limit) => (4, limit.as_secs() as i64, ""),
                Outcome::FailedToStart(why) => (5, 0, why),
            };
            payload.extend_from_slice(text.as_bytes());
            (EXITED, (u64::from(tag) << 32) | u64::from(value as u32))
        }
    }
}

fn decode(kind: u8, num: u64, payload: &[u8]) -> anyhow::Result<RunEvent> {
    let text = || String::from_utf8_lossy(payload).into_owned();
    Ok(match kind {
        BUILD => RunEvent::Build(text()),
        BUILD_FAILED => RunEvent::BuildFailed(text()),
        STARTED => RunEvent::Started { pid: num as u32 },
        STDOUT => RunEvent::Stdout(text()),
        STDERR => RunEvent::Stderr(text()),
        TRACE => {
            let mut framer = wire::Framer::default();
            framer.push(payload);
            let mut records = Vec::new();
            while let Some(record) = framer.next_record() {
                records.push(record.map_err(|e| anyhow::anyhow!("a stored trace record: {e}"))?);
            }
            RunEvent::Trace {
                conn: num as u32,
                records,
            }
        }
        DISCONNECTED => RunEvent::Disconnected { conn: num as u32 },
        STRAYS => RunEvent::Strays(num as usize),
        WIRE_ERROR => RunEvent::WireError {
            conn: num as u32,
            message: text(),
        },
        EXITED => {
            let value = num as u32 as i32;
            RunEvent::Exited(match num >> 32 {
                0 => Outcome::Code(value),
                1 => Outcome::Panicked { message: text() },
                2 => Outcome::Signal(value),
                4 => Outcome::TimedOut(Duration::from_secs(value as u64)),
                5 => Outcome::FailedToStart(text()),
                _ => Outcome::Killed,
            })
        }
        other => anyhow::bail!("unknown entry kind {other}"),
    })
}

/// A stored run: its meta and its events with their times. A file cut short
/// (the workbook was killed mid-write) yields the entries before the cut.
#[cfg(test)]
pub fn load(dir: &Path) -> anyhow::Result<(Meta, Vec<(u64, RunEvent)>)> {
    let meta = read_meta(dir)?;
    let mut events = Vec::new();
    stream(dir, |ts, event| events.push((ts, event)), |_, _| true)?;
    Ok((meta, events))
}

/// A stored run's `meta.json`.
pub fn read_meta(dir: &Path) -> anyhow::Result<Meta> {
    serde_json::from_slice(&std::fs::read(dir.join("meta.json")).context("reading meta.json")?)
        .context("meta.json is not a run's meta")
}

/// Reads a stored run's events entry by entry, handing each event to `each` as it is
/// decoded (so memory holds one entry, not the file), and telling
/// `progress` the bytes read so far and the file's size after every chunk of
/// about 1 MiB; `progress` returning false stops the reading (nobody waits
/// for it any more). A file cut short yields the entries before the cut.
pub fn stream(
    dir: &Path,
    mut each: impl FnMut(u64, RunEvent),
    mut progress: impl FnMut(u64, u64) -> bool,
) -> anyhow::Result<()> {
    const EVERY: u64 = 1 << 20;
    let file = File::open(dir.join("events.bin")).context("reading events.bin")?;
    let total = file.metadata().map_or(0, |m| m.len());
    let mut reader = std::io::BufReader::with_capacity(256 << 10, file);
    let (mut done, mut told) = (0u64, 0u64);
    let mut head = [0u8; 21];
    let mut payload = Vec::new();
    loop {
        match reader.read_exact(&mut head) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(e).context("reading events.bin"),
        }
        let kind = head[0];
        let ts = u64::from_le_bytes(head[1..9].try_into()?);
        let num = u64::from_le_bytes(head[9..17].try_into()?);
        let len = u32::from_le_bytes(head[17..21].try_into()?) as usize;
        payload.resize(len, 0);
        match reader.read_exact(&mut payload) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(e).context("reading events.bin"),
        }
        each(ts, decode(kind, num, &payload)?);
        done += 21 + len as u64;
        if done - told >= EVERY {
            told = done;
            if !progress(done, total) {
                return Ok(());
            }
        }
    }
    progress(total, total);
    Ok(())
}

/// The past-runs list.
#[derive(Debug, Default)]
pub struct Browser {
    pub runs: Vec<(PathBuf, Meta)>,
    pub selected: usize,
}

impl Browser {
    pub fn open() -> Browser {
        let runs = runs_dir().map(|root| list(&root)).unwrap_or_default();
        Browser { runs, selected: 0 }
    }
}

/// Stored runs, newest first.
pub fn list(root: &Path) -> Vec<(PathBuf, Meta)> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut runs: Vec<(PathBuf, Meta)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let path = entry.path();
            let meta = serde_json::from_slice(&std::fs::read(path.join("meta.json")).ok()?).ok()?;
            Some((path, meta))
        })
        .collect();
    runs.sort_by_key(|(_, meta)| std::cmp::Reverse(meta.started_unix_ms));
    runs
}

/// `2026-11-21 23:59:12 UTC` from milliseconds since the Unix epoch.
pub fn fmt_unix_ms(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Deletes the runs past the retention limits ([`KEEP_RUNS`], [`KEEP_BYTES`])
/// on a thread of its own (listing hundreds of runs takes seconds), never
/// `current`, the run being recorded. What went arrives on the channel in
/// words for the learner; nothing arrives when nothing went.
pub fn prune_in_background(current: PathBuf) -> Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("prune runs".into())
        .spawn(move || {
            let Some(root) = current.parent() else { return };
            let (runs, bytes) = prune(root, &current, KEEP_RUNS, KEEP_BYTES);
            if runs > 0 {
                let _ = tx.send(format!(
                    "removed {runs} old run{} ({:.0} MB) to keep the newest {KEEP_RUNS} and at most {} MB",
                    if runs == 1 { "" } else { "s" },
                    bytes as f64 / 1e6,
                    KEEP_BYTES / 1_000_000
                ));
            }
        });
    if let Err(err) = spawned {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(format!("old runs not pruned: {err}"));
        return rx;
    }
    rx
}

/// Keeps the newest runs under `root` within `keep` runs and `max_bytes`
/// (`current` always, counted first); deletes the rest. Returns how many
/// runs and bytes went.
fn prune(root: &Path, current: &Path, keep: usize, max_bytes: u64) -> (usize, u64) {
    // One pruning at a time: two quick runs must not count the same files.
    static PRUNING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = PRUNING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut kept = 1;
    let mut used = dir_bytes(current);
    let (mut runs, mut bytes) = (0, 0);
    for (path, _) in list(root).into_iter().filter(|(p, _)| p != current) {
        let size = dir_bytes(&path);
        if kept < keep && used + size <= max_bytes {
            kept += 1;
            used += size;
        } else if std::fs::remove_dir_all(&path).is_ok() {
            runs += 1;
            bytes += size;
        }
    }
    (runs, bytes)
}

/// The bytes of the files directly in `dir` (a run's folder is flat).
fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Record;

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

    #[test]
    fn pruning_keeps_the_newest_runs_within_count_and_size() {
        let root = std::env::temp_dir().join(format!("workbook-prune-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let old: Vec<PathBuf> = (1..=5).map(|i| fake_run(&root, i, 1000)).collect();
        let current = fake_run(&root, 10, 1000);
        // By count: the current run and the two newest old ones stay.
        let (runs, bytes) = prune(&root, &current, 3, u64::MAX);
        assert_eq!(runs, 3);
        assert!(bytes >= 3000, "{bytes}");
        assert!(current.exists() && old[4].exists() && old[3].exists());
        assert!(!old[2].exists() && !old[0].exists());
        // By size: room for the current run and one more.
        let one = dir_bytes(&current);
        let (runs, _) = prune(&root, &current, 30, 2 * one);
        assert_eq!(runs, 1);
        assert!(old[4].exists() && !old[3].exists());
        // Nothing past the limits: nothing to say.
        assert_eq!(prune(&root, &current, 30, u64::MAX), (0, 0));
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn the_token_never_reaches_the_disk_and_the_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let data = std::env::temp_dir().join(format!("workbook-private-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        let runs = data.join("runs");
        private_dir(&runs).unwrap();
        let dir = runs.join("1-01_threading_basics");
        private_dir(&dir).unwrap();
        let token = [0xA5; 16];
        let mut recorder = Recorder {
            dir: dir.clone(),
            events: BufWriter::new(private_file(&dir.join("events.bin")).unwrap()),
            bytes: 0,
            meta: Meta::default(),
            scratch: Vec::new(),
        };
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
        std::fs::remove_dir_all(data).unwrap();
    }

    #[test]
    fn dates_are_shown_in_utc() {
        assert_eq!(fmt_unix_ms(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(fmt_unix_ms(1_795_305_552_000), "2026-11-21 23:59:12 UTC");
    }

    #[test]
    fn every_event_survives_the_file() {
        let dir = std::env::temp_dir().join(format!("workbook-store-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let events = vec![
            RunEvent::Build("Compiling workbook".into()),
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
        ];
        std::fs::create_dir_all(&dir).unwrap();
        let mut recorder = Recorder {
            dir: dir.clone(),
            events: BufWriter::new(File::create(dir.join("events.bin")).unwrap()),
            bytes: 0,
            meta: Meta {
                lesson: "01_threading_basics".into(),
                ..Meta::default()
            },
            scratch: Vec::new(),
        };
        for (i, event) in events.iter().enumerate() {
            recorder.record(i as u64 * 10, event);
        }
        recorder.finish(Some("killed by signal 9".into()), 0, 60);
        let (meta, loaded) = load(&dir).unwrap();
        assert_eq!(meta.outcome.as_deref(), Some("killed by signal 9"));
        let times: Vec<u64> = loaded.iter().map(|(ts, _)| *ts).collect();
        assert_eq!(times, [0, 10, 20, 30, 40, 50, 60, 70]);
        let loaded: Vec<RunEvent> = loaded.into_iter().map(|(_, e)| e).collect();
        assert_eq!(loaded, events);
        assert_eq!(
            list(dir.parent().unwrap())
                .iter()
                .filter(|(p, _)| *p == dir)
                .count(),
            1
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
