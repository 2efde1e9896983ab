//! The keys of what is laid over the screen, one small table per overlay:
//! its key handling looks keys up here ([`Keys::lookup`]) and its frame
//! writes them on its bottom edge ([`Keys::footer`]), so the two cannot
//! disagree. (The main screen's keys are the table in `keymap.rs`.)
use crossterm::event::KeyCode::{self, Char, Down, Enter, Esc, PageDown, PageUp, Up};

/// What a key does in an overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Do {
    Quit,
    Close,
    /// Leave it as it is.
    Stay,
    Up,
    Down,
    PageUp,
    PageDown,
    /// The chosen line: open it, answer with it.
    Choose,
    /// Skip the question and run.
    Skip,
    /// Measure again.
    Again,
    /// The lesson's notes.
    Notes,
}

pub struct Key {
    pub keys: &'static [KeyCode],
    pub does: Do,
    /// Written on the frame, where it is: `↑↓ choose`.
    pub footer: Option<&'static str>,
}

/// One overlay's keys.
pub struct Keys {
    pub keys: &'static [Key],
    /// What any other key does, and how the frame says so.
    pub otherwise: (Do, Option<&'static str>),
}

const fn key(keys: &'static [KeyCode], does: Do, footer: Option<&'static str>) -> Key {
    Key { keys, does, footer }
}

#[rustfmt::skip]
pub const HELP: Keys = Keys {
    keys: &[
        key(&[Down, Char('j')], Do::Down, Some("↑↓ more")),
        key(&[Up, Char('k')], Do::Up, None),
        key(&[PageDown, Char(' ')], Do::PageDown, None),
        key(&[PageUp], Do::PageUp, None),
        key(&[Char('q')], Do::Quit, None),
    ],
    otherwise: (Do::Close, Some("any other key closes")),
};

#[rustfmt::skip]
pub const WELCOME: Keys = Keys {
    keys: &[
        key(&[Char('q')], Do::Quit, None),
        key(&[], Do::Close, Some("any key to begin · w shows this again")),
    ],
    otherwise: (Do::Close, None),
};

/// A question before a run; besides these, `1`-`9` and `a`-`i` pick.
#[rustfmt::skip]
pub const ASK: Keys = Keys {
    keys: &[
        key(&[], Do::Choose, Some("1-9 or ↑↓ ⏎: your answer")),
        key(&[Down, Char('j')], Do::Down, None),
        key(&[Up, Char('k')], Do::Up, None),
        key(&[Enter], Do::Choose, None),
        key(&[Esc, Char('s')], Do::Skip, Some("Esc: skip and run")),
    ],
    otherwise: (Do::Stay, None),
};

#[rustfmt::skip]
pub const REVEAL: Keys = Keys {
    keys: &[
        key(&[Char('q')], Do::Quit, None),
        key(&[Char('n')], Do::Notes, Some("n: the notes")),
    ],
    otherwise: (Do::Close, Some("any other key closes")),
};

#[rustfmt::skip]
pub const PAST_RUNS: Keys = Keys {
    keys: &[
        key(&[Down, Char('j')], Do::Down, Some("↑↓ choose")),
        key(&[Up, Char('k')], Do::Up, None),
        key(&[Enter], Do::Choose, Some("⏎ open and scrub")),
        key(&[Esc, Char('q'), Char('o')], Do::Close, Some("Esc close")),
    ],
    otherwise: (Do::Stay, None),
};

#[rustfmt::skip]
pub const BENCH: Keys = Keys {
    keys: &[
        key(&[Char('r')], Do::Again, Some("r measure again")),
        key(&[Char('b'), Esc], Do::Close, Some("b/Esc close")),
        key(&[Char('q')], Do::Quit, None),
    ],
    otherwise: (Do::Stay, None),
};

impl Keys {
    /// What `code` does here.
    pub fn lookup(&self, code: KeyCode) -> Do {
        self.keys
            .iter()
            .find(|k| k.keys.contains(&code))
            .map_or(self.otherwise.0, |k| k.does)
    }

    /// The keys as the frame's bottom edge writes them.
    pub fn footer(&self) -> String {
        let words: Vec<&str> = self
            .keys
            .iter()
            .filter_map(|k| k.footer)
            .chain(self.otherwise.1)
            .collect();
        words.join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_overlay_says_its_keys_and_binds_no_key_twice() {
        for table in [&HELP, &WELCOME, &ASK, &REVEAL, &PAST_RUNS, &BENCH] {
            assert!(!table.footer().is_empty());
            for (i, a) in table.keys.iter().enumerate() {
                for b in &table.keys[i + 1..] {
                    assert!(
                        a.keys.iter().all(|k| !b.keys.contains(k)),
                        "{:?} is bound twice in one overlay",
                        a.keys
                    );
                }
            }
        }
        assert_eq!(
            PAST_RUNS.footer(),
            "↑↓ choose · ⏎ open and scrub · Esc close"
        );
        assert_eq!(HELP.lookup(Char('x')), Do::Close);
        assert_eq!(BENCH.lookup(Char('x')), Do::Stay);
        assert_eq!(BENCH.lookup(Esc), Do::Close);
    }
}
