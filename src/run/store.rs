//! Every run is kept on disk, so it can be opened again and scrubbed
//! through: `$XDG_DATA_HOME/workbook/runs/` (or `~/.local/share/...`), one
//! folder per run holding `meta.json` and `events.bin` ([`format`]). Runs
//! from the TUI and from `workbook run` / `workbook trace` alike.
//!
//! Both files carry the store's format version ([`FORMAT`]): a run written
//! by an older or a newer workbook is listed, and opening it says which it
//! is ([`UnsupportedFormat`]) instead of misreading it.
mod format;
mod retention;

use crate::runner::RunEvent;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub use retention::{KEEP_BYTES, KEEP_RUNS, fmt_unix_ms, prune_now};

/// The version of the run files this workbook writes. 1: no version
/// anywhere (before the store was versioned); 2: `events.bin` starts with a
/// header, `meta.json` has `format`, and a failed build is its own outcome;
/// 3: trace records may hold a thread's own totals (wire version 4, record
/// 15), which a workbook reading format 2 only would refuse mid-file.
pub const FORMAT: u32 = 3;
/// The oldest format this workbook still reads: format 3 only added a
/// record, so a format 2 run replays as it did.
pub const OLDEST_READ: u32 = 2;

/// Whether this workbook reads run files of `format`.
fn reads(format: u32) -> bool {
    (OLDEST_READ..=FORMAT).contains(&format)
}

/// A run's events file stops growing here (a lesson flooding events for
/// minutes); the meta says the recording was cut.
const MAX_BYTES: u64 = 512 << 20;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    /// The store's format version ([`FORMAT`]); absent in format 1.
    #[serde(default = "format_one")]
    pub format: u32,
    pub lesson: String,
    pub demo: Option<String>,
    /// When the run was asked for, milliseconds since the Unix epoch.
    pub started_unix_ms: u64,
    /// How it ended, in words; `None` if the workbook died first.
    pub outcome: Option<String>,
    pub spans: usize,
    /// The lesson's time, nanoseconds.
    pub duration_ns: u64,
    /// The recording hit its size limit and misses the rest of the run.
    pub cut: bool,
}

impl Default for Meta {
    fn default() -> Meta {
        Meta {
            format: FORMAT,
            lesson: String::new(),
            demo: None,
            started_unix_ms: 0,
            outcome: None,
            spans: 0,
            duration_ns: 0,
            cut: false,
        }
    }
}

fn format_one() -> u32 {
    1
}

/// A run file in a format this workbook does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedFormat {
    pub file: &'static str,
    pub found: u32,
}

impl std::fmt::Display for UnsupportedFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self { file, found } = self;
        if *found < OLDEST_READ {
            write!(
                f,
                "{file} was written by an older workbook (run format {found}); this one reads formats {OLDEST_READ} to {FORMAT} only, so the run cannot be replayed"
            )
        } else {
            write!(
                f,
                "{file} was written by a newer workbook (run format {found}); this one reads formats {OLDEST_READ} to {FORMAT}: update the workbook to replay it"
            )
        }
    }
}

impl std::error::Error for UnsupportedFormat {}

/// Where runs are kept: `$XDG_DATA_HOME/workbook/runs`, else
/// `$HOME/.local/share/workbook/runs`.
pub fn runs_dir() -> Option<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".local/share")))?;
    Some(data.join("workbook").join("runs"))
}

/// Writes one run's files as its events come.
pub struct Recorder {
    pub dir: PathBuf,
    events: BufWriter<File>,
    bytes: u64,
    pub meta: Meta,
    scratch: Vec<u8>,
}

impl Recorder {
    /// A new run's folder under [`runs_dir`].
    pub fn create(lesson: &str, demo: Option<&str>) -> anyhow::Result<Recorder> {
        let root = runs_dir().context("neither XDG_DATA_HOME nor HOME is set")?;
        Recorder::create_in(&root, lesson, demo)
    }

    /// A new run's folder under `root` (tests pass their own).
    pub fn create_in(root: &Path, lesson: &str, demo: Option<&str>) -> anyhow::Result<Recorder> {
        private_dir(root).with_context(|| format!("creating {}", root.display()))?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let mut name = format!("{}-{lesson}", now.as_millis());
        if let Some(demo) = demo {
            name.push('-');
            name.push_str(demo);
        }
        let meta = Meta {
            lesson: lesson.to_string(),
            demo: demo.map(str::to_string),
            started_unix_ms: now.as_millis() as u64,
            ..Meta::default()
        };
        Recorder::create_at(&root.join(name), meta)
    }

    /// A run's files in `dir`, created private (0700, files 0600).
    pub(crate) fn create_at(dir: &Path, meta: Meta) -> anyhow::Result<Recorder> {
        private_dir(dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut events = private_file(&dir.join("events.bin"))
            .and_then(|mut file| file.write_all(&format::header()).map(|()| file))
            .context("creating events.bin")?;
        events.flush()?;
        let recorder = Recorder {
            dir: dir.to_path_buf(),
            events: BufWriter::with_capacity(256 << 10, events),
            bytes: format::HEADER_LEN as u64,
            meta,
            scratch: Vec::new(),
        };
        recorder.write_meta()?;
        Ok(recorder)
    }

    pub fn record(&mut self, ts: u64, event: &RunEvent) {
        if self.meta.cut {
            return;
        }
        self.scratch.clear();
        let (kind, num) = format::encode(event, &mut self.scratch);
        let head = format::entry_head(kind, ts, num, self.scratch.len());
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

    /// The run ended (`outcome` in words; `None`: it was not seen to end).
    pub fn finish(&mut self, outcome: Option<String>, spans: usize, duration_ns: u64) {
        let _ = self.events.flush();
        self.meta.outcome = outcome;
        self.meta.spans = spans;
        self.meta.duration_ns = duration_ns;
        // As in `record`: the recording may be lost, the run goes on.
        let _ = self.write_meta();
    }

    /// Replaces meta.json whole (a temporary file renamed over it), so a
    /// reader never sees half of it.
    fn write_meta(&self) -> anyhow::Result<()> {
        let json = serde_json::to_vec_pretty(&self.meta)?;
        crate::files::write_atomic(&self.dir.join("meta.json"), &json).context("writing meta.json")
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

/// A stored run's `meta.json`, its format checked first: a newer meta may
/// not even have the fields this one knows.
pub fn read_meta(dir: &Path) -> anyhow::Result<Meta> {
    #[derive(Deserialize)]
    struct Versioned {
        #[serde(default = "format_one")]
        format: u32,
    }
    let bytes = std::fs::read(dir.join("meta.json")).context("reading meta.json")?;
    let versioned: Versioned =
        serde_json::from_slice(&bytes).context("meta.json is not a run's meta")?;
    if !reads(versioned.format) {
        return Err(UnsupportedFormat {
            file: "meta.json",
            found: versioned.format,
        }
        .into());
    }
    serde_json::from_slice(&bytes).context("meta.json is not a run's meta")
}

/// A stored run whole: its meta and its events with their times (tests;
/// replay streams them, [`stream`]).
#[cfg(test)]
pub fn load(dir: &Path) -> anyhow::Result<(Meta, Vec<(u64, RunEvent)>)> {
    let meta = read_meta(dir)?;
    let mut events = Vec::new();
    stream(dir, |ts, event| events.push((ts, event)), |_, _| true)?;
    Ok((meta, events))
}

/// Reads a stored run's events entry by entry, handing each to `each` as it
/// is decoded (memory holds one entry, not the file), and telling
/// `progress` the bytes read so far and the file's size after every chunk
/// of about 1 MiB; `progress` returning false stops the reading (nobody
/// waits for it any more). A file cut short (the workbook was killed
/// mid-write) yields the entries before the cut; a file of another format
/// is refused before any entry ([`UnsupportedFormat`]).
pub fn stream(
    dir: &Path,
    each: impl FnMut(u64, RunEvent),
    progress: impl FnMut(u64, u64) -> bool,
) -> anyhow::Result<()> {
    let file = File::open(dir.join("events.bin")).context("reading events.bin")?;
    let total = file.metadata().map_or(0, |m| m.len());
    format::stream(
        std::io::BufReader::with_capacity(256 << 10, file),
        total,
        each,
        progress,
    )
}

/// Stored runs, newest first, as the past-runs list shows them. A run of
/// another format is listed too (its meta as far as it reads): opening it
/// says what it is.
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

#[cfg(test)]
mod tests;
