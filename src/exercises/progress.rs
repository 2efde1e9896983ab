//! Which exercises are done, and how many hint steps each has shown, kept in
//! `.workbook/progress.json` in the project.
//!
//! Writes go to a temporary file that is then renamed over the old one, so a
//! crash mid-write never leaves half a file. A file that cannot be read as
//! progress is moved aside (not deleted) and the learner is told where.
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

/// Done or pending, per exercise name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The names of the exercises whose checks passed last time they ran.
    pub done: BTreeSet<String>,
    /// How many of its three hint steps each exercise has shown (absent: none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hints: BTreeMap<String, u8>,
    /// Something the learner should be told about loading the file (it was
    /// corrupt and moved aside); not saved.
    #[serde(skip)]
    pub notice: Option<String>,
}

/// Hints come in three steps: where to look, the idea, the shape of the fix.
pub const HINT_STEPS: u8 = 3;

/// Whether an exercise's checks passed the last time they ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Done,
    Pending,
}

impl Progress {
    pub fn status(&self, name: &str) -> Status {
        if self.done.contains(name) {
            Status::Done
        } else {
            Status::Pending
        }
    }

    pub fn is_done(&self, name: &str) -> bool {
        self.done.contains(name)
    }

    /// Records the result of a check.
    pub fn set(&mut self, name: &str, passed: bool) {
        if passed {
            self.done.insert(name.to_string());
        } else {
            self.done.remove(name);
        }
    }

    /// How many hint steps of `name` have been shown: 0 to [`HINT_STEPS`].
    pub fn hints_shown(&self, name: &str) -> u8 {
        self.hints.get(name).copied().unwrap_or(0).min(HINT_STEPS)
    }

    /// Shows one more hint step of `name` (none past the last); returns how
    /// many are shown now.
    pub fn show_next_hint(&mut self, name: &str) -> u8 {
        let shown = (self.hints_shown(name) + 1).min(HINT_STEPS);
        self.hints.insert(name.to_string(), shown);
        shown
    }

    /// Reads `path`. A missing file is no progress yet; one that cannot be
    /// read or parsed is set aside (see [`load_json`]) and reported in
    /// [`Progress::notice`].
    pub fn load(path: &Path) -> Progress {
        let (mut progress, notice) = load_json::<Progress>(path);
        progress.notice = notice;
        progress
    }

    /// Writes to `path` atomically: a temporary file beside it, then a rename.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        save_json(self, path)
    }
}

/// Reads a JSON file of ours. Missing: the default, quietly. Unreadable
/// (permissions, not UTF-8, not JSON of this shape): the file is moved aside
/// under a name no earlier set-aside file has, so nothing the learner had is
/// lost and the next save cannot overwrite it; the note says where it went.
/// If it cannot even be moved, saving over it is refused ([`save_json`]
/// finds it still there and unreadable).
pub fn load_json<T: DeserializeOwned + Default>(path: &Path) -> (T, Option<String>) {
    let why = match std::fs::read(path) {
        Ok(bytes) => match serde_json::from_slice::<T>(&bytes) {
            Ok(value) => return (value, None),
            Err(e) => format!("is not valid ({e})"),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => return (T::default(), None),
        Err(e) => format!("cannot be read ({e})"),
    };
    let notice = match set_aside(path) {
        Ok(aside) => format!(
            "{} {why}; moved it to {} and started afresh",
            path.display(),
            aside.display()
        ),
        Err(e) => format!(
            "{} {why} and cannot be moved aside ({e}); it is left as it is and nothing will be saved over it",
            path.display()
        ),
    };
    (T::default(), Some(notice))
}

/// Writes `value` to `path` atomically: a temporary file beside it, then a
/// rename. Refuses to replace a file that exists but cannot be read: that
/// is the learner's, set aside by [`load_json`] or not.
pub fn save_json<T: Serialize>(value: &T, path: &Path) -> io::Result<()> {
    match std::fs::read(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Ok(bytes) if serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok() => {}
        Ok(_) => {
            return Err(io::Error::other(format!(
                "{} is not JSON; not overwriting it",
                path.display()
            )));
        }
        Err(e) => {
            return Err(io::Error::new(
                e.kind(),
                format!(
                    "{} cannot be read ({e}); not overwriting it",
                    path.display()
                ),
            ));
        }
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    text.push('\n');
    crate::files::write_atomic(path, text.as_bytes())
}

/// Moves `path` to `<name>.corrupt`, or `<name>.corrupt.2`, `.3`, ... : the
/// first name not taken. A hard link cannot replace an existing file, so
/// an earlier set-aside copy is never overwritten, even by a race.
fn set_aside(path: &Path) -> io::Result<PathBuf> {
    for n in 1..1000 {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".corrupt");
        if n > 1 {
            name.push(format!(".{n}"));
        }
        let aside = path.with_file_name(name);
        match std::fs::hard_link(path, &aside) {
            Ok(()) => {
                std::fs::remove_file(path)?;
                return Ok(aside);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("999 set-aside copies already exist"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of the test's own, removed when it drops.
    fn temp_dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn missing_file_is_no_progress() {
        let temp = temp_dir();
        let dir = temp.path();
        let progress = Progress::load(&dir.join("progress.json"));
        assert_eq!(progress, Progress::default());
        assert_eq!(progress.status("philosophers"), Status::Pending);
    }

    #[test]
    fn hint_steps_are_remembered_and_stop_at_the_last() {
        let temp = temp_dir();
        let dir = temp.path();
        let path = dir.join("progress.json");
        let mut progress = Progress::default();
        assert_eq!(progress.hints_shown("philosophers"), 0);
        assert_eq!(progress.show_next_hint("philosophers"), 1);
        assert_eq!(progress.show_next_hint("philosophers"), 2);
        progress.save(&path).unwrap();
        let mut loaded = Progress::load(&path);
        assert_eq!(loaded.hints_shown("philosophers"), 2);
        assert_eq!(loaded.hints_shown("semaphore"), 0);
        assert_eq!(loaded.show_next_hint("philosophers"), 3);
        assert_eq!(
            loaded.show_next_hint("philosophers"),
            3,
            "three steps at most"
        );
        // A file written before hints were counted still loads.
        std::fs::write(&path, "{\"done\": [\"semaphore\"]}").unwrap();
        let old = Progress::load(&path);
        assert!(old.is_done("semaphore") && old.hints.is_empty() && old.notice.is_none());
    }

    #[test]
    fn saves_and_loads() {
        let temp = temp_dir();
        let dir = temp.path();
        let path = dir.join("sub").join("progress.json");
        let mut progress = Progress::default();
        progress.set("philosophers", true);
        progress.set("semaphore", true);
        progress.set("semaphore", false);
        progress.save(&path).unwrap();
        let loaded = Progress::load(&path);
        assert_eq!(loaded.status("philosophers"), Status::Done);
        assert_eq!(loaded.status("semaphore"), Status::Pending);
        assert!(loaded.notice.is_none());
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn a_corrupt_file_is_set_aside() {
        let temp = temp_dir();
        let dir = temp.path();
        let path = dir.join("progress.json");
        std::fs::write(&path, "{\"done\": [\"philosophers\"").unwrap();
        let progress = Progress::load(&path);
        assert!(progress.done.is_empty(), "a corrupt file gives no progress");
        let notice = progress.notice.expect("the learner is told");
        assert!(notice.contains("progress.json.corrupt"), "{notice}");
        assert!(!path.exists(), "the corrupt file was moved");
        let kept = std::fs::read_to_string(dir.join("progress.json.corrupt")).unwrap();
        assert!(
            kept.contains("philosophers"),
            "the corrupt file is kept, not deleted"
        );
        // Saving afterwards works and the next load is clean.
        progress_with("image_filter").save(&path).unwrap();
        assert!(Progress::load(&path).is_done("image_filter"));
    }

    #[test]
    fn a_second_corrupt_file_does_not_overwrite_the_first() {
        let temp = temp_dir();
        let dir = temp.path();
        let path = dir.join("progress.json");
        std::fs::write(&path, "first garbage").unwrap();
        let first = Progress::load(&path).notice.unwrap();
        std::fs::write(&path, b"\xff\xfe not UTF-8 \x80").unwrap();
        let second = Progress::load(&path).notice.unwrap();
        assert!(first.contains("progress.json.corrupt "), "{first}");
        assert!(second.contains("progress.json.corrupt.2"), "{second}");
        assert_eq!(
            std::fs::read(dir.join("progress.json.corrupt")).unwrap(),
            b"first garbage"
        );
        assert_eq!(
            std::fs::read(dir.join("progress.json.corrupt.2")).unwrap(),
            b"\xff\xfe not UTF-8 \x80",
            "the non-UTF-8 file is set aside byte for byte"
        );
        assert!(!path.exists());
    }

    #[test]
    fn an_unreadable_file_that_cannot_be_moved_is_never_overwritten() {
        // A directory where the file should be: reading it fails, and it
        // cannot be hard-linked aside (this holds even for root).
        let temp = temp_dir();
        let dir = temp.path();
        let path = dir.join("progress.json");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("keep"), "mine").unwrap();
        let progress = Progress::load(&path);
        let notice = progress.notice.clone().unwrap();
        assert!(notice.contains("cannot be moved aside"), "{notice}");
        let err = progress_with("x").save(&path).unwrap_err();
        assert!(err.to_string().contains("not overwriting"), "{err}");
        assert_eq!(std::fs::read_to_string(path.join("keep")).unwrap(), "mine");
    }

    #[test]
    fn saving_over_a_file_that_is_not_json_is_refused() {
        let temp = temp_dir();
        let dir = temp.path();
        let path = dir.join("progress.json");
        std::fs::write(&path, "the learner's notes, not ours").unwrap();
        assert!(progress_with("x").save(&path).is_err());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "the learner's notes, not ours"
        );
    }

    fn progress_with(name: &str) -> Progress {
        let mut p = Progress::default();
        p.set(name, true);
        p
    }
}
