//! The output pane's lines: bounded, so a lesson that prints without end
//! cannot eat the memory; what is let go is counted and said.
use std::collections::VecDeque;
use std::fmt::Write as _;

/// Lines kept; older ones go.
pub const MAX_LINES: usize = 5_000;
/// Characters kept of one line: enough for any screen.
pub const MAX_CHARS: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Stdout,
    Stderr,
    /// cargo's progress and errors.
    Build,
    /// What the workbook says: started, exited, stopped.
    Note,
}

#[derive(Debug, Clone)]
pub struct OutLine {
    /// Nanoseconds since the lesson started (0 before it did).
    pub ts: u64,
    pub kind: Kind,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct Output {
    lines: VecDeque<OutLine>,
    /// Lines let go from the front.
    pub dropped: u64,
    /// Rows scrolled back from the newest; 0 follows new output.
    pub back: usize,
}

impl Output {
    pub fn push(&mut self, ts: u64, kind: Kind, text: &str) {
        let mut text = text.replace('\t', "    ");
        // Control characters would move the real cursor; show them instead.
        if text.chars().any(char::is_control) {
            text = text
                .chars()
                .map(|c| if c.is_control() { '�' } else { c })
                .collect();
        }
        if let Some((cut, _)) = text.char_indices().nth(MAX_CHARS) {
            let rest = text.len() - cut;
            text.truncate(cut);
            let _ = write!(text, " … ({rest} more bytes not shown)");
        }
        if self.lines.len() == MAX_LINES {
            self.lines.pop_front();
            self.dropped += 1;
        }
        if self.back > 0 {
            // Keep the lines on screen still while reading back.
            self.back += 1;
        }
        self.lines.push_back(OutLine { ts, kind, text });
    }

    /// Scrolls so that line `index` (counted from the oldest kept) is the
    /// first of `height` rows.
    pub fn show_from(&mut self, index: usize, height: usize) {
        self.back = self.lines.len().saturating_sub(index + height);
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Every line kept, oldest first.
    pub fn lines(&self) -> impl Iterator<Item = &OutLine> {
        self.lines.iter()
    }

    pub fn scroll(&mut self, delta: isize) {
        // Down (positive) goes towards the newest line.
        self.back = self
            .back
            .saturating_add_signed(-delta)
            .min(self.lines.len().saturating_sub(1));
    }

    /// Up to `height` lines ending `back` lines before the newest line at or
    /// before `until` (all lines when `None`).
    pub fn window(&self, height: usize, until: Option<u64>) -> impl Iterator<Item = &OutLine> {
        let visible = match until {
            Some(ts) => self.lines.partition_point(|l| l.ts <= ts),
            None => self.lines.len(),
        };
        let end = visible.saturating_sub(self.back);
        let start = end.saturating_sub(height);
        self.lines.range(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_buffer_keeps_the_newest_lines_and_counts_the_rest() {
        let mut out = Output::default();
        for i in 0..MAX_LINES + 10 {
            out.push(i as u64, Kind::Stdout, &format!("line {i}"));
        }
        assert_eq!(out.len(), MAX_LINES);
        assert_eq!(out.dropped, 10);
        let last: Vec<_> = out.window(2, None).map(|l| l.text.as_str()).collect();
        assert_eq!(
            last,
            [
                format!("line {}", MAX_LINES + 8),
                format!("line {}", MAX_LINES + 9)
            ]
        );
    }

    #[test]
    fn huge_lines_are_cut_and_control_characters_shown() {
        let mut out = Output::default();
        out.push(0, Kind::Stdout, &"x".repeat(1 << 20));
        out.push(0, Kind::Stderr, "bell\x07 and \x1b[31mred");
        let lines: Vec<_> = out.window(5, None).collect();
        assert!(lines[0].text.len() < MAX_CHARS + 64);
        assert!(
            lines[0]
                .text
                .ends_with(&format!("({} more bytes not shown)", (1 << 20) - MAX_CHARS))
        );
        assert_eq!(lines[1].text, "bell� and �[31mred");
    }

    #[test]
    fn compile_errors_can_be_shown_from_their_first_line() {
        let mut out = Output::default();
        for i in 0..20 {
            out.push(0, Kind::Build, &format!("line {i}"));
        }
        out.show_from(5, 4);
        let shown: Vec<_> = out.window(4, None).map(|l| l.text.as_str()).collect();
        assert_eq!(shown, ["line 5", "line 6", "line 7", "line 8"]);
    }

    #[test]
    fn a_window_stops_at_the_replay_cursor_and_scrolls_back() {
        let mut out = Output::default();
        for i in 0..10 {
            out.push(i * 100, Kind::Stdout, &i.to_string());
        }
        let upto: Vec<_> = out.window(3, Some(450)).map(|l| l.text.as_str()).collect();
        assert_eq!(upto, ["2", "3", "4"]);
        out.scroll(-2);
        let back: Vec<_> = out.window(3, None).map(|l| l.text.as_str()).collect();
        assert_eq!(back, ["5", "6", "7"]);
    }
}
