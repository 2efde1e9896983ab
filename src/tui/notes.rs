//! A lesson's notes as styled, wrapped lines. The instructor's part (the
//! `**Instructor:**` sentences and the `## Instructor notes` section) shows
//! only in the instructor view.
use crate::catalog::Lesson;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// One source line of the notes, styled, before wrapping.
struct Para {
    spans: Vec<Span<'static>>,
    /// Tables and code keep their layout: cut, not wrapped.
    verbatim: bool,
}

const INSTRUCTOR: &str = "**Instructor";
const MEASURED: &str = "**Measured:**";

/// A piece of the notes: markdown lines joined the way markdown reads them.
enum Block {
    Heading(String),
    Prose(String),
    Verbatim(String),
    Blank,
}

/// Joins the notes' lines into blocks: a paragraph's lines become one, a
/// list item or a line opening with a bold label (`**On the timeline:**`)
/// starts a new one; tables and code keep their lines.
fn blocks(notes: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in notes.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push(Block::Verbatim(line.to_string()));
        } else if trimmed.is_empty() {
            if !matches!(out.last(), Some(Block::Blank) | None) {
                out.push(Block::Blank);
            }
        } else if line.starts_with('#') {
            out.push(Block::Heading(line.to_string()));
        } else if trimmed.starts_with('|') {
            if !trimmed.replace(['|', '-', ':', ' '], "").is_empty() {
                out.push(Block::Verbatim(line.to_string()));
            }
        } else {
            let starts_new = trimmed.starts_with("- ")
                || trimmed.starts_with("* ")
                || trimmed.starts_with("**")
                || trimmed
                    .split_once(". ")
                    .is_some_and(|(n, _)| n.parse::<u32>().is_ok());
            match out.last_mut() {
                Some(Block::Prose(text)) if !starts_new => {
                    text.push(' ');
                    text.push_str(trimmed);
                }
                _ => out.push(Block::Prose(trimmed.to_string())),
            }
        }
    }
    out
}

/// The notes as logical lines, styled, before wrapping.
fn paragraphs(lesson: &Lesson, instructor: bool) -> Vec<Para> {
    let instructor_style = Style::new().italic().magenta();
    let mut out = Vec::new();
    let mut in_instructor_section = false;
    for block in blocks(lesson.notes) {
        if let Block::Heading(line) = &block
            && line.starts_with("## ")
        {
            in_instructor_section = line
                .trim_start_matches('#')
                .trim()
                .eq_ignore_ascii_case("instructor notes");
        }
        if in_instructor_section {
            if instructor {
                let (text, style, verbatim) = match &block {
                    Block::Heading(h) => (
                        h.trim_start_matches('#').trim(),
                        instructor_style.bold(),
                        false,
                    ),
                    Block::Prose(p) => (p.as_str(), instructor_style, false),
                    Block::Verbatim(v) => (v.as_str(), instructor_style, true),
                    Block::Blank => ("", instructor_style, false),
                };
                let spans = inline(text)
                    .into_iter()
                    .map(|s| s.patch_style(style))
                    .collect();
                out.push(Para { spans, verbatim });
            }
            continue;
        }
        match block {
            Block::Blank => out.push(Para {
                spans: Vec::new(),
                verbatim: false,
            }),
            Block::Verbatim(line) => out.push(Para {
                spans: inline(&line),
                verbatim: true,
            }),
            Block::Heading(line) => {
                let para = if let Some(title) = line.strip_prefix("# ") {
                    Span::styled(title.to_string(), Style::new().bold().underlined())
                } else if let Some(demo) = line.strip_prefix("## demo:") {
                    let mut parts: Vec<&str> = demo.split('·').map(str::trim).collect();
                    if !instructor && parts.len() > 2 {
                        parts.truncate(2);
                    }
                    Span::styled(
                        format!("▸ {}", parts.join(" · ")),
                        Style::new().bold().cyan(),
                    )
                } else {
                    Span::styled(
                        line.trim_start_matches('#').trim().to_string(),
                        Style::new().bold().cyan(),
                    )
                };
                out.push(Para {
                    spans: vec![para],
                    verbatim: false,
                });
            }
            // A question's answer and why: shown after its run (and to the
            // instructor), never before the learner has predicted.
            Block::Prose(text) if !instructor && text.starts_with(MEASURED) => {}
            Block::Prose(text) => {
                let (mine, theirs) = match text.find(INSTRUCTOR) {
                    Some(at) => (&text[..at], Some(&text[at..])),
                    None => (text.as_str(), None),
                };
                let mut spans = inline(mine.trim_end());
                if let Some(theirs) = theirs
                    && instructor
                {
                    if !spans.is_empty() {
                        spans.push(Span::raw(" "));
                    }
                    spans.extend(
                        inline(theirs)
                            .into_iter()
                            .map(|s| s.patch_style(instructor_style)),
                    );
                }
                if !spans.is_empty() {
                    out.push(Para {
                        spans,
                        verbatim: false,
                    });
                }
            }
        }
    }
    // A hidden instructor paragraph leaves two blanks side by side.
    out.dedup_by(|a, b| a.spans.is_empty() && b.spans.is_empty());
    out
}

/// `**bold**` and `` `code` `` inside a line.
pub(crate) fn inline(text: &str) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut bold = false;
    for (i, part) in text.split("**").enumerate() {
        if i > 0 {
            bold = !bold;
        }
        for (j, piece) in part.split('`').enumerate() {
            if piece.is_empty() {
                continue;
            }
            let mut style = Style::new();
            if bold {
                style = style.add_modifier(Modifier::BOLD);
            }
            if j % 2 == 1 {
                style = style.yellow();
            }
            spans.push(Span::styled(piece.to_string(), style));
        }
    }
    spans
}

/// The notes wrapped to `width` columns, and for each logical line the row
/// it starts on.
pub fn wrapped(
    lesson: &Lesson,
    instructor: bool,
    width: usize,
) -> (Vec<Line<'static>>, Vec<usize>) {
    let width = width.max(10);
    let mut rows = Vec::new();
    let mut starts = Vec::new();
    for para in paragraphs(lesson, instructor) {
        starts.push(rows.len());
        if para.verbatim {
            rows.push(Line::from(para.spans));
        } else {
            rows.extend(wrap(para.spans, width));
        }
    }
    (rows, starts)
}

/// Greedy word wrap over styled spans.
pub(super) fn wrap(spans: Vec<Span<'static>>, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in spans {
        let style = span.style;
        for word in span.content.split_inclusive(' ') {
            // A wrapped line does not start with the space that ended the
            // line before it.
            if used == 0 && !lines.is_empty() && word.trim().is_empty() {
                continue;
            }
            let len = word.chars().count();
            if used + len.min(width) > width && used > 0 {
                lines.push(Line::from(std::mem::take(&mut current)));
                used = 0;
            }
            let word: String = word.chars().take(width).collect();
            used += word.chars().count();
            current.push(Span::styled(word, style));
        }
    }
    lines.push(Line::from(current));
    lines
}

/// The logical line (as counted by [`wrapped`]) of a demo's heading.
pub fn demo_heading_line(lesson: &Lesson, demo: usize, instructor: bool) -> Option<usize> {
    let name = &lesson.demos.get(demo)?.name;
    paragraphs(lesson, instructor).iter().position(|p| {
        p.spans.first().is_some_and(|s| {
            s.content
                .strip_prefix("▸ ")
                .is_some_and(|rest| rest.split(" · ").next() == Some(name))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::DemoInfo;

    fn lesson() -> Lesson {
        Lesson {
            bin: "09_example",
            number: 9,
            title: "Example".into(),
            summary: String::new(),
            covers: vec![],
            demos: vec![DemoInfo {
                name: "first".into(),
                covers: "T1".into(),
                minutes: 3,
                text: String::new(),
            }],
            notes: "# 09 · Example\n\nA summary.\n\n## demo: first · T1 · 3 min\nShows **one** thing. **Instructor:** point at the lane.\nMore for the instructor.\n\nAfter.\n\n## Instructor notes\nTimings.\n",
            source: "",
        }
    }

    fn text(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn the_instructor_part_shows_only_in_the_instructor_view() {
        let (learner, _) = wrapped(&lesson(), false, 80);
        let learner = text(&learner);
        assert!(
            learner
                .iter()
                .all(|l| !l.contains("point at") && !l.contains("Timings") && !l.contains("3 min"))
        );
        assert!(learner.iter().any(|l| l == "After."));
        let (teacher, _) = wrapped(&lesson(), true, 80);
        let teacher = text(&teacher).join("\n");
        for wanted in [
            "point at the lane",
            "More for the instructor",
            "Timings",
            "3 min",
        ] {
            assert!(teacher.contains(wanted), "{wanted} missing from\n{teacher}");
        }
    }

    #[test]
    fn long_lines_wrap_at_word_boundaries() {
        let lines = wrap(vec![Span::raw("aaa bbb ccc ddd")], 8);
        assert_eq!(text(&lines), ["aaa bbb ", "ccc ddd"]);
    }

    #[test]
    fn a_demo_heading_is_found() {
        assert_eq!(demo_heading_line(&lesson(), 0, false), Some(4));
    }
}
