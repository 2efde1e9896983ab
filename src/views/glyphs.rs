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
}

/// The lanes' glyphs, in the order every legend lists them (the most
/// seen first: a narrow status line cuts the end).
pub const LANE: [Glyph; 6] = [
    Glyph {
        ch: RUNNING,
        means: "running",
    },
    Glyph {
        ch: WAITING,
        means: "waiting",
    },
    Glyph {
        ch: POLLING,
        means: "polling a task",
    },
    Glyph {
        ch: MARK,
        means: "mark",
    },
    Glyph {
        ch: AWAITING,
        means: "task awaiting",
    },
    Glyph {
        ch: ALIVE,
        means: "process alive",
    },
];

/// The kernel row's glyphs (shown when the kernel is sampled).
pub const KERNEL: [Glyph; 4] = [
    Glyph {
        ch: ON_CORE,
        means: "on a core",
    },
    Glyph {
        ch: QUEUED,
        means: "queued for a core",
    },
    Glyph {
        ch: BLOCKED,
        means: "blocked",
    },
    Glyph {
        ch: STOPPED,
        means: "stopped",
    },
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
        assert_eq!(
            legend(&LANE[..2], " · "),
            format!("{RUNNING} running · {WAITING} waiting")
        );
    }
}
