//! Retention: the newest runs are kept, up to [`KEEP_RUNS`] runs and
//! [`KEEP_BYTES`] bytes in all; older ones are deleted when a new run starts,
//! and the learner is told what went.
use super::list;
use std::path::Path;

pub const KEEP_RUNS: usize = 30;
pub const KEEP_BYTES: u64 = 1 << 30;

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

/// Deletes the runs past the retention limits ([`KEEP_RUNS`], [`KEEP_BYTES`]),
/// never `current`, the run being recorded: what went, in words for the
/// learner, if anything did. Listing hundreds of runs takes seconds: the TUI
/// calls it on a thread of its own; the command line after its run ended.
pub fn prune_now(current: &Path) -> Option<String> {
    let root = current.parent()?;
    let (runs, bytes) = prune(root, current, KEEP_RUNS, KEEP_BYTES);
    (runs > 0).then(|| {
        format!(
            "removed {runs} old run{} ({:.0} MB) to keep the newest {KEEP_RUNS} and at most {} MB",
            if runs == 1 { "" } else { "s" },
            bytes as f64 / 1e6,
            KEEP_BYTES / 1_000_000
        )
    })
}

/// Keeps the newest runs under `root` within `keep` runs and `max_bytes`
/// (`current` always, counted first); deletes the rest. Returns how many
/// runs and bytes went.
pub(super) fn prune(root: &Path, current: &Path, keep: usize, max_bytes: u64) -> (usize, u64) {
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
pub(super) fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum()
    })
}
