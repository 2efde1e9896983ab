//! Drawing the popups: the welcome, the help, a question before a run and
//! its measured answer after. Each is sized from its content.
use crate::tui::app::App;
use crate::tui::frame::popup as frame;
use crate::tui::keymap::{BINDINGS, overlays};
use crate::tui::notes::wrap;
use crate::tui::overlay::{Ask, Overlay, Reveal};
use crate::views::glyphs;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// The key column of the help.
const KEY_WIDTH: usize = 16;

impl App {
    /// The welcome, the help, a question and its answer (the other
    /// overlays draw themselves).
    pub(super) fn draw_popup(&self, overlay: &Overlay, area: Rect, buf: &mut Buffer) {
        match overlay {
            Overlay::Welcome => welcome(area, buf),
            Overlay::Help { scroll } => help(area, *scroll, buf),
            Overlay::Ask(ask) => self.ask(ask, area, buf),
            Overlay::Reveal(reveal) => reveal_answer(reveal, area, buf),
            Overlay::PastRuns(_) | Overlay::Bench(_) => {}
        }
    }

    fn ask(&self, ask: &Ask, area: Rect, buf: &mut Buffer) {
        let demo = &self.lessons[ask.lesson].demos[ask.demo].name;
        let mut body = vec![question_line(&ask.question.text)];
        body.push(Line::default());
        for (i, choice) in ask.question.choices.iter().enumerate() {
            let cursor = if i == ask.cursor { "›" } else { " " };
            let style = if i == ask.cursor {
                Style::new().cyan().bold()
            } else {
                Style::new()
            };
            body.push(Line::from(vec![
                Span::raw(format!("{cursor} ")),
                Span::styled(format!("{}) {}", i + 1, choice.label), style),
            ]));
        }
        body.push(Line::default());
        body.push(Line::from(
            "The run will measure it; the answer shows when it ends.".dark_gray(),
        ));
        let title = format!("Predict, then run {demo}");
        show(area, &title, &overlays::ASK.footer(), body, buf);
    }
}

/// A question, bold, its `code` marked as in the notes.
fn question_line(text: &str) -> Line<'static> {
    let spans: Vec<Span> = crate::tui::notes::inline(text)
        .into_iter()
        .map(|s| s.patch_style(Style::new().bold()))
        .collect();
    Line::from(spans)
}

/// Text wider than this wraps: long lines are hard to read.
const MAX_WIDTH: usize = 78;

/// Wraps `body` to fit `area`, sizes a frame around it and draws it: as wide
/// as its widest line (at most [`MAX_WIDTH`], or the screen), as tall as its
/// lines.
fn show(area: Rect, title: &str, keys: &str, body: Vec<Line<'static>>, buf: &mut Buffer) {
    let widest = body
        .iter()
        .map(Line::width)
        .max()
        .unwrap_or(0)
        .min(MAX_WIDTH);
    let chrome = title.chars().count().max(keys.chars().count()) + 4;
    let width = (widest + 4)
        .max(chrome)
        .min(area.width.saturating_sub(2) as usize);
    let inner_width = width.saturating_sub(4).max(10);
    let lines: Vec<Line> = body
        .into_iter()
        .flat_map(|l| {
            let style = l.style;
            wrap(l.spans, inner_width)
                .into_iter()
                .map(move |w| w.style(style))
        })
        .collect();
    let height = lines.len() as u16 + 2;
    let inner = frame(area, width as u16, height, title, keys, buf);
    for (i, line) in lines.iter().take(inner.height as usize).enumerate() {
        Widget::render(
            line,
            Rect::new(
                inner.x + 1,
                inner.y + i as u16,
                inner.width.saturating_sub(2),
                1,
            ),
            buf,
        );
    }
}

fn welcome(area: Rect, buf: &mut Buffer) {
    let key = |k: &str, what: &str| {
        Line::from(vec![
            Span::styled(format!("  {k:<5}"), Style::new().cyan().bold()),
            Span::raw(what.to_string()),
        ])
    };
    let body = vec![
        Line::from("Concurrency in Rust, learned by running it.".bold()),
        Line::default(),
        Line::from(
            "Six lessons, each a real program: threads, processes, async tasks, locks. \
             Run a demo and watch every thread and task on a live timeline; predict what \
             it will measure before it runs; then fix real concurrency bugs in the exercises.",
        ),
        Line::default(),
        Line::from("The five keys that matter:".bold()),
        key(
            "s",
            "the next step: a demo's notes, then its run, then the next demo",
        ),
        key(
            "r",
            "run the selected demo (or check the selected exercise)",
        ),
        key("n", "the notes beside the source, or back"),
        key("?", "every key"),
        key("q", "quit; you will come back to where you were"),
        Line::default(),
        Line::from(vec![
            Span::raw("Begin with lesson 01's first demo: "),
            Span::styled("press any key", Style::new().cyan().bold()),
            Span::raw(" to open its notes, then "),
            Span::styled("s", Style::new().cyan().bold()),
            Span::raw(" to run it."),
        ]),
    ];
    show(
        area,
        "Welcome to the workbook",
        &overlays::WELCOME.footer(),
        body,
        buf,
    );
}

/// The help's lines: each binding's keys, and what it does wrapped beside
/// them; `inner` columns wide.
pub fn help_lines(inner: usize) -> Vec<Line<'static>> {
    let text_width = inner.saturating_sub(KEY_WIDTH + 2).max(10);
    let mut lines = Vec::new();
    for binding in BINDINGS {
        for (i, row) in wrap(vec![Span::raw(binding.help)], text_width)
            .into_iter()
            .enumerate()
        {
            let key = if i == 0 { binding.label } else { "" };
            let mut spans = vec![Span::styled(
                format!(" {key:<KEY_WIDTH$} "),
                Style::new().bold().cyan(),
            )];
            spans.extend(row.spans);
            lines.push(Line::from(spans));
        }
    }
    // What the timeline draws and what the ids beside each demo mean,
    // under the keys: the same legends the chart and `workbook run` print.
    let legends = [
        ("timeline", glyphs::legend(&glyphs::LANE, " · ")),
        ("kernel", glyphs::legend(&glyphs::KERNEL, " · ")),
        ("T5, S9", crate::catalog::IDS_LEGEND.to_string()),
    ];
    for (key, text) in legends {
        lines.push(Line::default());
        for (i, row) in wrap(vec![Span::raw(text)], text_width)
            .into_iter()
            .enumerate()
        {
            let key = if i == 0 { key } else { "" };
            let mut spans = vec![Span::styled(
                format!(" {key:<KEY_WIDTH$} "),
                Style::new().bold().cyan(),
            )];
            spans.extend(row.spans);
            lines.push(Line::from(spans));
        }
    }
    lines
}

/// The help frame's width in `area`: its widest entry, or the screen.
pub fn help_width(area: Rect) -> u16 {
    let widest = BINDINGS
        .iter()
        .map(|b| b.help.chars().count())
        .max()
        .unwrap_or(0);
    ((KEY_WIDTH + 2 + widest + 2) as u16).min(area.width.saturating_sub(2))
}

fn help(area: Rect, scroll: usize, buf: &mut Buffer) {
    let width = help_width(area);
    let lines = help_lines(width.saturating_sub(2) as usize);
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let rows = height.saturating_sub(2) as usize;
    let scroll = scroll.min(lines.len().saturating_sub(rows));
    let inner = frame(area, width, height, "Keys", &overlays::HELP.footer(), buf);
    for (i, line) in lines.iter().skip(scroll).take(rows).enumerate() {
        Widget::render(
            line,
            Rect::new(inner.x, inner.y + i as u16, inner.width, 1),
            buf,
        );
    }
}

fn reveal_answer(reveal: &Reveal, area: Rect, buf: &mut Buffer) {
    let q = &reveal.question;
    let mut body = vec![question_line(&q.text), Line::default()];
    let measured_choice = reveal.measured.as_ref().and_then(|m| m.choice);
    for (i, choice) in q.choices.iter().enumerate() {
        let mut spans = vec![Span::raw(format!("  {}) {}", i + 1, choice.label))];
        if reveal.picked == Some(i) {
            spans.push(Span::styled(
                "  ← your prediction",
                Style::new().cyan().bold(),
            ));
        }
        if measured_choice == Some(i) {
            let value = reveal.measured.as_ref().map_or("", |m| m.value.as_str());
            spans.push(Span::styled(
                format!("  ← measured: {value}"),
                Style::new().green().bold(),
            ));
        }
        body.push(Line::from(spans));
    }
    body.push(Line::default());
    let verdict = match (&reveal.measured, reveal.picked) {
        (None, _) => {
            let why = reveal
                .ended
                .as_deref()
                .unwrap_or("it printed no line the rule reads");
            Line::from(format!("The run measured nothing this time: {why}.").light_red())
        }
        (Some(m), _) if m.choice.is_none() => Line::from(
            format!(
                "The run measured {}, which none of the choices covers.",
                m.value
            )
            .yellow(),
        ),
        (Some(_), None) => Line::from("You skipped the prediction.".dark_gray()),
        (Some(m), Some(p)) if m.choice == Some(p) => {
            Line::from("Your prediction matches the measurement.".green().bold())
        }
        (Some(_), Some(_)) => {
            Line::from("The measurement differs from your prediction: the notes say why.".yellow())
        }
    };
    body.push(verdict);
    body.push(Line::default());
    body.push(Line::from(crate::tui::notes::inline(&q.explain)));
    body.push(Line::default());
    body.push(Line::from(
        format!("Measured by the regex {} {}.", q.pattern, q.read_from).dark_gray(),
    ));
    show(
        area,
        "Predicted and measured",
        &overlays::REVEAL.footer(),
        body,
        buf,
    );
}
