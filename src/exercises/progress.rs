//! Which exercises are done, kept in `.workbook/progress.json` in the project.
//!
//! Writes go to a temporary file that is then renamed over the old one, so a
//! crash mid-write never leaves half a file. A file that cannot be read as
//! progress is moved aside (not deleted) and the learner is told where.
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

/// Done or pending, per exercise name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The names of the exercises whose checks passed last time they ran.
    pub done: BTreeSet<String>,
    /// Something the learner should be told about loading the file (it was
    /// corrupt and moved aside); not saved.
    #[serde(skip)]
    pub notice: Option<String>,
}

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

    /// Reads `path`. A missing file is no progress yet; a corrupt one is
    /// renamed to `<path>.corrupt` and reported in [`Progress::notice`].
    pub fn load(path: &Path) -> Progress {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Progress::default(),
            Err(e) => {
                return Progress {
                    notice: Some(format!(
                        "cannot read {}: {e}; starting with no progress",
                        path.display()
                    )),
                    ..Progress::default()
                };
            }
        };
        match serde_json::from_str::<Progress>(&text) {
            Ok(progress) => progress,
            Err(e) => {
                let aside = aside_path(path);
                let notice = match std::fs::rename(path, &aside) {
                    Ok(()) => format!(
                        "{} was not valid progress ({e}); moved it to {} and started afresh",
                        path.display(),
                        aside.display()
                    ),
                    Err(rename) => format!(
                        "{} is not valid progress ({e}) and cannot be moved: {rename}",
                        path.display()
                    ),
                };
                Progress {
                    notice: Some(notice),
                    ..Progress::default()
                }
            }
        }
    }

    /// Writes to `path` atomically: a temporary file beside it, then a rename.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut text = serde_json::to_string_pretty(self).map_err(io::Error::other)?;
        text.push('\n');
        let temp = path.with_extension(format!("json.tmp-{}", std::process::id()));
        std::fs::write(&temp, text)?;
        std::fs::rename(&temp, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })
    }
}

fn aside_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".corrupt");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(test: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("workbook-progress-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn missing_file_is_no_progress() {
        let dir = temp_dir("missing");
        let progress = Progress::load(&dir.join("progress.json"));
        assert_eq!(progress, Progress::default());
        assert_eq!(progress.status("philosophers"), Status::Pending);
    }

    #[test]
    fn saves_and_loads() {
        let dir = temp_dir("roundtrip");
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
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_corrupt_file_is_set_aside() {
        let dir = temp_dir("corrupt");
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
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn progress_with(name: &str) -> Progress {
        let mut p = Progress::default();
        p.set(name, true);
        p
    }
}
