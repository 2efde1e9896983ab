//! A lesson's source, highlighted once and kept as ratatui lines, and where
//! each demo sits in it.
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};
use syntect::easy::HighlightLines;
use syntect::highlighting::{FontStyle, Theme, ThemeSet};
use syntect::parsing::SyntaxSet;

/// Highlighted lines per source text. Loading syntect and highlighting a
/// 600-line lesson takes several frames' time in a dev build, so it is done
/// once per file, on a background thread: the first frame shows the source
/// plain and the colours arrive a moment later.
#[derive(Default)]
pub struct Highlighter {
    cache: HashMap<usize, Arc<Vec<Line<'static>>>>,
}

/// One source highlighted: its key and its lines, as the background thread
/// posts it to the loop.
pub struct Highlighted(usize, Vec<Line<'static>>);

/// Lesson sources are `'static`, so the address names the file.
fn key(source: &'static str) -> usize {
    source.as_ptr() as usize
}

fn assets() -> &'static (SyntaxSet, Theme) {
    static ASSETS: OnceLock<(SyntaxSet, Theme)> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let syntaxes = SyntaxSet::load_defaults_newlines();
        let mut themes = ThemeSet::load_defaults();
        let theme = themes
            .themes
            .remove("base16-ocean.dark")
            .unwrap_or_default();
        (syntaxes, theme)
    })
}

impl Highlighter {
    /// Highlights `sources`, in this order, on a background thread that
    /// posts each to `post` (the loop's inbox) until `post` says the loop
    /// is gone. Without the thread the source stays plain; nothing else
    /// depends on it.
    pub fn start(sources: Vec<&'static str>, post: impl Fn(Highlighted) -> bool + Send + 'static) {
        let _ = std::thread::Builder::new()
            .name("highlight".into())
            .spawn(move || {
                for source in sources {
                    if !post(Highlighted(key(source), highlight(source))) {
                        return;
                    }
                }
            });
    }

    /// Keeps what the background thread highlighted.
    pub fn insert(&mut self, Highlighted(key, lines): Highlighted) {
        self.cache.insert(key, Arc::new(lines));
    }

    pub fn cached(&self, source: &'static str) -> Option<Arc<Vec<Line<'static>>>> {
        self.cache.get(&key(source)).cloned()
    }
}

/// Highlights Rust source into one ratatui line per source line. A line
/// syntect cannot parse is kept as plain text rather than lost.
pub fn highlight(source: &str) -> Vec<Line<'static>> {
    let (syntaxes, theme) = assets();
    let syntax = syntaxes
        .find_syntax_by_extension("rs")
        .unwrap_or_else(|| syntaxes.find_syntax_plain_text());
    let mut h = HighlightLines::new(syntax, theme);
    let mut out = Vec::new();
    for line in syntect::util::LinesWithEndings::from(source) {
        let spans = match h.highlight_line(line, syntaxes) {
            Ok(ranges) => ranges
                .into_iter()
                .map(|(style, text)| {
                    Span::styled(
                        text.trim_end_matches(['\n', '\r']).replace('\t', "    "),
                        convert(style),
                    )
                })
                .filter(|s| !s.content.is_empty())
                .collect(),
            Err(_) => vec![Span::raw(line.trim_end_matches(['\n', '\r']).to_string())],
        };
        out.push(Line::from(spans));
    }
    out
}

fn convert(style: syntect::highlighting::Style) -> Style {
    let fg = style.foreground;
    let mut out = Style::new().fg(Color::Rgb(fg.r, fg.g, fg.b));
    if style.font_style.contains(FontStyle::BOLD) {
        out = out.add_modifier(Modifier::BOLD);
    }
    if style.font_style.contains(FontStyle::ITALIC) {
        out = out.add_modifier(Modifier::ITALIC);
    }
    out
}

/// The lines (0-based, end exclusive) of a demo in a lesson's source: its
/// `// ── name ──` comment block, found by walking up from `fn name(`, to the
/// function's closing brace at column 0. `None` when there is no such `fn`.
pub fn demo_lines(source: &str, demo: &str) -> Option<Range<usize>> {
    let lines: Vec<&str> = source.lines().collect();
    let wanted = format!("fn {demo}(");
    let fn_line = lines.iter().position(|line| {
        let t = line.trim_start();
        let t = t.strip_prefix("pub ").unwrap_or(t);
        let t = t.strip_prefix("async ").unwrap_or(t);
        t.starts_with(&wanted)
    })?;
    let mut start = fn_line;
    // Attributes and the comment block just above the function belong to it.
    while start > 0 {
        let above = lines[start - 1].trim_start();
        if above.starts_with("//") || above.starts_with("#[") {
            start -= 1;
        } else {
            break;
        }
    }
    let end = lines[fn_line..]
        .iter()
        .position(|line| line.starts_with('}'))
        .map_or(lines.len(), |i| fn_line + i + 1);
    Some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "//! A lesson.\nuse std::thread;\n\n// ── spawn_join ──\n// Spawns and joins.\n// Timeline: two lanes.\nfn spawn_join() {\n    let h = thread::spawn(|| 1);\n    h.join().unwrap();\n}\n\n// ── scoped ──\nfn scoped() {\n}\n";

    #[test]
    fn a_demo_spans_its_comment_block_and_its_function() {
        assert_eq!(demo_lines(SOURCE, "spawn_join"), Some(3..10));
        assert_eq!(demo_lines(SOURCE, "scoped"), Some(11..14));
        assert_eq!(demo_lines(SOURCE, "missing"), None);
    }

    #[test]
    fn every_source_line_becomes_one_highlighted_line() {
        let lines = highlight(SOURCE);
        assert_eq!(lines.len(), SOURCE.lines().count());
        let text: String = lines[6].spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "fn spawn_join() {");
        assert!(
            lines[6].spans.len() > 1,
            "keywords and names are styled apart"
        );
    }
}
