//! The learner's path through the lessons, remembered between sessions:
//! whether the welcome was seen, which demos were run, the predictions made
//! and what the runs measured, and where the learner was when they quit.
//!
//! Kept in `learner.json` in the data folder, beside the past runs
//! (`$XDG_DATA_HOME/workbook/`): an empty data folder is a first start.
//! Exercise results stay with the exercises (`.workbook/progress.json`),
//! since they describe the learner's files. Written atomically; a file that
//! cannot be read is set aside, never overwritten (as progress is).
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Learner {
    /// The welcome screen was dismissed once.
    pub welcomed: bool,
    /// Demos run, as `04/lost_update`.
    pub seen: BTreeSet<String>,
    /// Predictions by question key (`04/lost_update`).
    pub answers: BTreeMap<String, Answer>,
    /// Where the learner was at the last quit.
    pub resume: Option<Place>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Answer {
    /// The label picked; `None` when the question was skipped.
    pub picked: Option<String>,
    /// What the run measured, and the choice it falls in, once it ended.
    pub measured: Option<String>,
    pub measured_choice: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Place {
    /// The lesson's binary name.
    pub lesson: String,
    pub demo: Option<String>,
    pub exercise: Option<String>,
    /// `list` or `source`.
    pub pane: String,
    pub notes: bool,
}

pub fn path() -> Option<PathBuf> {
    Some(super::store::runs_dir()?.parent()?.join("learner.json"))
}

impl Learner {
    /// The saved path, or a fresh one; a note when the file was set aside.
    pub fn load() -> (Learner, Option<String>) {
        match path() {
            Some(path) => crate::exercises::load_json(&path),
            None => (Learner::default(), None),
        }
    }

    pub fn save(&self) -> anyhow::Result<()> {
        let path =
            path().ok_or_else(|| anyhow::anyhow!("neither XDG_DATA_HOME nor HOME is set"))?;
        crate::exercises::save_json(self, &path)
            .map_err(|e| anyhow::anyhow!("cannot save {}: {e}", path.display()))
    }

    pub fn has_seen(&self, key: &str) -> bool {
        self.seen.contains(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_file_with_fewer_fields_still_loads() {
        let old: Learner = serde_json::from_str(r#"{"welcomed": true}"#).unwrap();
        assert!(old.welcomed);
        assert!(old.seen.is_empty() && old.resume.is_none());
    }

    #[test]
    fn it_round_trips_through_json() {
        let mut learner = Learner {
            welcomed: true,
            ..Learner::default()
        };
        learner.seen.insert("04/lost_update".into());
        learner.answers.insert(
            "04/lost_update".into(),
            Answer {
                picked: Some("none".into()),
                measured: Some("2876544".into()),
                measured_choice: Some("80,000 or more".into()),
            },
        );
        learner.resume = Some(Place {
            lesson: "04_synchronization".into(),
            demo: Some("lost_update".into()),
            pane: "list".into(),
            ..Place::default()
        });
        let text = serde_json::to_string(&learner).unwrap();
        assert_eq!(serde_json::from_str::<Learner>(&text).unwrap(), learner);
    }
}
