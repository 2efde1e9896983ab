//! The characters the timelines draw with and what each means: the one
//! legend the text view (`workbook run`), the TUI's chart and its help all
//! print, so a glyph means the same wherever it is seen. Running and waiting
//! differ in glyph as well as colour, so the timelines read without colour.
pub const RUNNING: char = '█';
pub const WAITING: char = '░';
/// A worker thread polling an async task.
pub const POLLING: char = '▓';
/// A task that exists but is not being polled: it is awaiting something.
pub const AWAITING: char = '·';
/// A process alive, between its threads' spans.
pub const ALIVE: char = '─';
pub const MARK: char = '◆';
/// The kernel's row under a thread: what the scheduler did with it.
pub const ON_CORE: char = '━';
pub const QUEUED: char = '╳';
pub const BLOCKED: char = '╌';
pub const STOPPED: char = '‖';
/// Cores used by a process, an eighth of all cores per step.
pub const LEVELS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A glyph and what it means, as a legend writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyph {
    pub ch: char,
    pub means: &'static str,
    /// The word or two the chart's one-line legend uses, where columns are
    /// few; the help and `workbook run` write `means`.
    pub short: &'static str,
}

/// The lanes' glyphs, in the order every legend lists them.
pub const LANE: [Glyph; 6] = [
    Glyph {
        ch: RUNNING,
        means: "running",
        short: "running",
    },
    Glyph {
        ch: WAITING,
        means: "waiting",
        short: "waiting",
    },
    Glyph {
        ch: POLLING,
        means: "polling a task",
        short: "polling",
    },
    Glyph {
        ch: MARK,
        means: "mark",
        short: "mark",
    },
    Glyph {
        ch: AWAITING,
        means: "task awaiting",
        short: "awaiting",
    },
    Glyph {
        ch: ALIVE,
        means: "process alive",
        short: "alive",
    },
];

/// The kernel row's glyphs (shown when the kernel is sampled).
pub const KERNEL: [Glyph; 4] = [
    Glyph {
        ch: ON_CORE,
        means: "on a core",
        short: "on core",
    },
    Glyph {
        ch: QUEUED,
        means: "queued for a core",
        short: "queued",
    },
    Glyph {
        ch: BLOCKED,
        means: "blocked",
        short: "blocked",
    },
    Glyph {
        ch: STOPPED,
        means: "stopped",
        short: "stopped",
    },
];

/// The order in which a legend too narrow for all of them keeps glyphs:
/// the most seen and the ones the lessons are about first, so the last
/// here is the first left out.
pub const KEEP_FIRST: [char; 10] = [
    RUNNING, WAITING, ON_CORE, QUEUED, POLLING, AWAITING, MARK, BLOCKED, STOPPED, ALIVE,
];

/// `glyphs` as `█ running<sep>░ waiting…`.
pub fn legend(glyphs: &[Glyph], sep: &str) -> String {
    glyphs
        .iter()
        .map(|g| format!("{} {}", g.ch, g.means))
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_glyph_means_two_things() {
        let all: Vec<char> = LANE.iter().chain(&KERNEL).map(|g| g.ch).collect();
        for (i, ch) in all.iter().enumerate() {
            assert!(!all[i + 1..].contains(ch), "{ch} is in the legend twice");
        }
        let mut ranked = KEEP_FIRST.to_vec();
        ranked.sort_unstable();
        let mut listed = all.clone();
        listed.sort_unstable();
        assert_eq!(ranked, listed, "KEEP_FIRST ranks each glyph once");
        assert_eq!(
            legend(&LANE[..2], " · "),
            format!("{RUNNING} running · {WAITING} waiting")
        );
    }
}
