//! Opening a stored run: read and applied on a thread of its own (a flooded
//! run is hundreds of MB, seconds of work), posting its progress and then
//! the session to the loop as messages, so the screen never freezes.
use super::{Session, show};
use crate::tui::output::Output;
use std::path::PathBuf;

/// What the loading thread posts: progress any number of times, then
/// exactly one `Done`.
pub enum Loading {
    Progress { read: u64, total: u64 },
    Done(Box<anyhow::Result<Session>>),
}

impl Loading {
    /// The footer's words for a progress message.
    pub fn describe(read: u64, total: u64) -> String {
        let percent = read.saturating_mul(100).checked_div(total).unwrap_or(0);
        format!(
            "opening the run: {percent}% ({:.0} of {:.0} MB read)",
            read as f64 / 1e6,
            total as f64 / 1e6
        )
    }
}

/// Loads the run in `dir` on a thread of its own, posting its progress
/// and then the session to `post` (the loop's inbox). When `post` returns
/// false (the app called the opening off) the loading stops at its next
/// progress post.
pub fn open_in_background(dir: PathBuf, post: impl Fn(Loading) -> bool + Send + Sync + 'static) {
    let post = std::sync::Arc::new(post);
    let for_thread = post.clone();
    let spawned = std::thread::Builder::new()
        .name("open run".into())
        .spawn(move || {
            let loaded = Session::replay(dir, |read, total| {
                for_thread(Loading::Progress { read, total })
            });
            for_thread(Loading::Done(Box::new(loaded)));
        });
    if let Err(err) = spawned {
        post(Loading::Done(Box::new(Err(anyhow::anyhow!(
            "cannot start a thread to read it: {err}"
        )))));
    }
}

impl Session {
    /// A stored run, played back whole through the same model as a live
    /// one ([`crate::run::replay`]); the chart's cursor starts at its end.
    /// `progress` hears the bytes read and the total; returning false stops
    /// the loading (the result is then a partial session nobody uses).
    pub fn replay(dir: PathBuf, progress: impl FnMut(u64, u64) -> bool) -> anyhow::Result<Session> {
        let mut output = Output::default();
        let mut build_failed_at = None;
        let (model, _) = crate::run::replay(
            &dir,
            |ts, said| {
                if let Some(at) = show(&mut output, ts, said) {
                    build_failed_at = Some(at);
                }
            },
            progress,
        )?;
        let mut session = Session::with_model(model);
        session.output = output;
        session.build_failed_at = build_failed_at;
        session.view.cursor = Some(session.timeline.end());
        session.view.follow = false;
        session.replay = Some(dir);
        Ok(session)
    }
}
