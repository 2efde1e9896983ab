//! The past-runs list: the run store ([`crate::run::store`]) as the TUI
//! browses it.
pub use crate::run::store::{Meta, fmt_unix_ms, runs_dir};

#[derive(Debug, Default)]
pub struct Browser {
    pub runs: Vec<(std::path::PathBuf, Meta)>,
    pub selected: usize,
}

impl Browser {
    pub fn open() -> Browser {
        let runs = runs_dir()
            .map(|root| crate::run::store::list(&root))
            .unwrap_or_default();
        Browser { runs, selected: 0 }
    }
}
