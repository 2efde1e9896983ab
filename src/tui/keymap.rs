//! Every key of the main screen in one table. Input looks keys up here
//! ([`lookup`]), the footer shows the focused pane's ([`footer`]), the help
//! lists them all ([`BINDINGS`]), and a test checks the README's key table
//! against it. The overlays (help, past runs, benchmark, welcome, question)
//! have a few keys of their own: a table each in [`overlays`], which their
//! handling reads and their frames write.
pub mod overlays;

use super::layout::Pane;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Quit,
    Help,
    Welcome,
    NextStep,
    NextPane,
    PrevPane,
    Run,
    /// On a demo with a Python twin: run both, one above the other.
    Compare,
    /// On an exercise: one more hint step.
    Hint,
    Stop,
    /// Freeze the running lesson's every process, or resume them.
    Freeze,
    Notes,
    Instructor,
    Maximize,
    Presentation,
    Export,
    PastRuns,
    Bench,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Left,
    Right,
    /// Handed to the timeline's own view (zoom, pan, spans, folds).
    Chart,
    /// Written in the help only: the key does something another row names.
    Doc,
}

/// Where a binding applies: everywhere, or only in one focused pane (which
/// then wins over an everywhere binding of the same key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everywhere,
    In(Pane),
}

pub struct Binding {
    pub keys: &'static [KeyCode],
    /// The keys as the help and the README write them.
    pub label: &'static str,
    pub scope: Scope,
    pub command: Command,
    pub help: &'static str,
    /// The footer's short form, `(keys, word)`, where the footer shows it.
    pub footer: Option<(&'static str, &'static str)>,
}

const fn bind(
    keys: &'static [KeyCode],
    label: &'static str,
    scope: Scope,
    command: Command,
    help: &'static str,
    footer: Option<(&'static str, &'static str)>,
) -> Binding {
    Binding {
        keys,
        label,
        scope,
        command,
        help,
        footer,
    }
}

use Command as C;
use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up};
use Scope::{Everywhere as ALL, In};
const LIST: Scope = In(Pane::List);
const SOURCE: Scope = In(Pane::Source);
const TIMELINE: Scope = In(Pane::Timeline);
const OUTPUT: Scope = In(Pane::Output);

/// In the order the help lists them.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind(&[Char('q')], "q, Ctrl-C", ALL, C::Quit, "quit (stops a running lesson first)", Some(("q", "quit"))),
    bind(&[Char('?')], "?", ALL, C::Help, "this help", Some(("?", "help"))),
    bind(&[Char('w')], "w", ALL, C::Welcome, "the welcome screen again", None),
    bind(&[Char('s')], "s", ALL, C::NextStep, "next step on the path: notes, run, next demo, exercises, next lesson", None),
    bind(&[Tab], "Tab", ALL, C::NextPane, "move to the next pane", Some(("Tab", "pane"))),
    bind(&[BackTab], "Shift-Tab", ALL, C::PrevPane, "move to the previous pane", None),
    bind(&[Enter], "Enter", LIST, C::Run, "on the list: the same as r", None),
    bind(&[Char('r')], "r", ALL, C::Run, "run the selected lesson or demo (a demo with a question asks it first); on an exercise, check it", Some(("r", "run"))),
    bind(&[Char('c')], "c", ALL, C::Compare, "on a demo with a Python twin: both, one above the other, and a verdict", None),
    bind(&[Char('x')], "x", ALL, C::Stop, "stop the run and every process it started", Some(("x", "stop"))),
    bind(&[Char('z')], "z", ALL, C::Freeze, "freeze the run (SIGSTOP to every process of it), or resume it", Some(("z", "freeze"))),
    bind(&[Char('n')], "n", ALL, C::Notes, "the lesson's notes instead of its source, or back", Some(("n", "notes"))),
    bind(&[Char('i')], "i", ALL, C::Instructor, "instructor view: minutes and what to point at", None),
    bind(&[Char('m')], "m", ALL, C::Maximize, "maximize the focused pane, or restore", None),
    bind(&[Char('p')], "p", ALL, C::Presentation, "presentation: no list, source and timeline large, colours for a projector", Some(("p", "present"))),
    bind(&[Char('e')], "e", ALL, C::Export, "export the run on screen as Perfetto JSON", Some(("e", "export"))),
    bind(&[Char('o')], "o", ALL, C::PastRuns, "past runs: open one to replay and scrub it", Some(("o", "past runs"))),
    bind(&[Char('b')], "b", ALL, C::Bench, "benchmark: speedup against workers, per model, measured here", None),
    bind(&[Char('+'), Char('='), Char('-'), Char('_')], "+ -", TIMELINE, C::Chart, "timeline: zoom in, out", Some(("+-", "zoom"))),
    bind(&[Left, Right, Char('h'), Char('l'), Char('H'), Char('L')], "← → h l, H L", TIMELINE, C::Chart, "timeline: pan (H L: far); in a replay, move the cursor, and the output shows what was printed by then", Some(("←→", "pan"))),
    bind(&[Up, Down, Char('j'), Char('k'), Char('g'), Char('G'), Home, End], "↑↓ j k g G", TIMELINE, C::Chart, "timeline: select a lane; the first, the last", Some(("↑↓", "lane"))),
    bind(&[Char('['), Char(']'), Esc], "[ ], Esc", TIMELINE, C::Chart, "timeline: the previous, next span on the lane: name, thread, start, duration; Esc unselects", Some(("[]", "span"))),
    bind(&[Enter, Char(' ')], "Enter, Space", TIMELINE, C::Chart, "timeline: fold or unfold a process's lanes", None),
    bind(&[Char('f'), Char('0')], "f, 0", TIMELINE, C::Chart, "timeline: follow the live edge; fit the whole run", Some(("f", "follow"))),
    bind(&[Up, Char('k')], "↑ k", ALL, C::Up, "select the lesson, demo or exercise above; scroll up", Some(("↑↓", "select"))),
    bind(&[Down, Char('j')], "↓ j", ALL, C::Down, "select the one below; scroll down", None),
    bind(&[PageUp], "PgUp", ALL, C::PageUp, "a page up", None),
    bind(&[PageDown, Char(' ')], "PgDn, Space", ALL, C::PageDown, "a page down", None),
    bind(&[Home, Char('g')], "Home, g", ALL, C::Top, "the top", None),
    bind(&[End, Char('G')], "End, G", OUTPUT, C::Bottom, "the output: the newest line, and follow it", Some(("G", "follow"))),
    bind(&[End, Char('G')], "End, G", ALL, C::Bottom, "the bottom", None),
    bind(&[Right, Char('l')], "→ l", LIST, C::Right, "from the list to the source", None),
    bind(&[Left, Char('h')], "← h", SOURCE, C::Left, "from the source back to the list", None),
    bind(&[Char('h')], "h", LIST, C::Hint, "on an exercise: its hint, one step more each time (where to look, the idea, the shape of the fix)", None),
    bind(&[], "mouse", ALL, C::Doc, "the wheel scrolls, a click selects", None),
];

/// The binding a key press asks for with `focus` on a pane: the pane's own
/// binding first, then one that applies everywhere.
pub fn lookup(key: KeyEvent, focus: Pane) -> Option<&'static Binding> {
    if key.modifiers.contains(KeyModifiers::CONTROL) || key.modifiers.contains(KeyModifiers::ALT) {
        return None;
    }
    let matches = |b: &&Binding| b.keys.contains(&key.code);
    BINDINGS
        .iter()
        .filter(|b| b.scope == In(focus))
        .find(matches)
        .or_else(|| BINDINGS.iter().filter(|b| b.scope == ALL).find(matches))
}

/// The key of `command` as the footer writes it (its first binding's label,
/// up to the first comma): the footer's "next step" entry.
pub fn key_of(command: Command) -> &'static str {
    BINDINGS
        .iter()
        .find(|b| b.command == command)
        .map_or("?", |b| b.label.split(", ").next().unwrap_or(b.label))
}

/// The footer's keys for the focused pane: its own, then those that apply
/// everywhere, the most useful first (the line is cut where it is full).
pub fn footer(focus: Pane) -> Vec<(&'static str, &'static str)> {
    const FIRST: [&str; 10] = ["↑↓", "r", "n", "Tab", "x", "p", "o", "e", "?", "q"];
    let rank = |k: &str| FIRST.iter().position(|f| *f == k).unwrap_or(FIRST.len());
    let own = BINDINGS.iter().filter(|b| b.scope == In(focus));
    let mut all: Vec<_> = BINDINGS.iter().filter(|b| b.scope == ALL).collect();
    all.sort_by_key(|b| b.footer.map_or(usize::MAX, |(k, _)| rank(k)));
    let mut keys: Vec<_> = own.chain(all).filter_map(|b| b.footer).collect();
    // A pane's own ↑↓ (the timeline's lanes) replaces the general one.
    let mut seen = std::collections::HashSet::new();
    keys.retain(|(k, _)| seen.insert(*k));
    if focus != Pane::List {
        for (k, what) in &mut keys {
            if *k == "↑↓" && *what == "select" {
                *what = "scroll";
            }
        }
    }
    keys
}

/// The README's key table, as it must read.
#[cfg(test)]
pub fn readme_table() -> String {
    use std::fmt::Write as _;
    let mut out = String::from("| key | where | does |\n|-----|-------|------|\n");
    for b in BINDINGS {
        let keys: Vec<String> = b.label.split(", ").map(|k| format!("`{k}`")).collect();
        let place = match b.scope {
            ALL => "any",
            In(Pane::List) => "list",
            In(Pane::Source) => "source",
            In(Pane::Timeline) => "timeline",
            In(Pane::Output) => "output",
        };
        let _ = writeln!(out, "| {} | {place} | {} |", keys.join(" "), b.help);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, focus: Pane) -> Option<Command> {
        lookup(KeyEvent::new(code, KeyModifiers::NONE), focus).map(|b| b.command)
    }

    #[test]
    fn a_pane_binding_wins_over_an_everywhere_binding() {
        assert_eq!(press(Char('j'), Pane::List), Some(C::Down));
        assert_eq!(press(Char('j'), Pane::Timeline), Some(C::Chart));
        assert_eq!(press(Enter, Pane::List), Some(C::Run));
        assert_eq!(press(Enter, Pane::Source), None);
        assert_eq!(press(Char('G'), Pane::Output), Some(C::Bottom));
        assert_eq!(press(Char('h'), Pane::Source), Some(C::Left));
        assert_eq!(press(Char('h'), Pane::List), Some(C::Hint));
        assert_eq!(press(Char('z'), Pane::List), Some(C::Freeze));
        assert_eq!(press(Char('c'), Pane::Source), Some(C::Compare));
        assert_eq!(press(Char('y'), Pane::List), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_place() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.scope == b.scope {
                    let twice: Vec<_> = a.keys.iter().filter(|k| b.keys.contains(k)).collect();
                    assert!(
                        twice.is_empty(),
                        "{twice:?}: both {} and {}",
                        a.label,
                        b.label
                    );
                }
            }
        }
    }

    #[test]
    fn the_readme_key_table_is_the_keymap() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
            .expect("README.md");
        let start = readme
            .find("| key | where | does |")
            .expect("the README has a key table with columns key, where, does");
        let table: String = readme[start..]
            .lines()
            .take_while(|l| l.starts_with('|'))
            .flat_map(|l| [l, "\n"])
            .collect();
        assert_eq!(
            table,
            readme_table(),
            "the README's key table differs from the keymap; it should read:\n{}",
            readme_table()
        );
    }
}
