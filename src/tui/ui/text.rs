//! Drawing what is read: a lesson's source (highlighted, its selected demo
//! marked), its notes, and an exercise's file with its hint.
use super::pane_block;
use crate::tui::app::{App, Row};
use crate::tui::layout::Pane;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

impl App {
    pub(super) fn draw_source(&self, area: Rect, buf: &mut Buffer) {
        if let Row::Exercise(_, e) = self.row() {
            self.draw_exercise(e, area, buf);
            return;
        }
        let Some(lesson) = self.lesson() else { return };
        let title = Line::from(vec![
            Span::raw(format!(" lessons/src/bin/{}.rs ", lesson.bin)),
            Span::styled(
                format!("· {} · n: notes ", self.how_far(self.row().lesson())),
                Style::new().dark_gray(),
            ),
        ]);
        let block = pane_block(self, Pane::Source, title);
        let inner = block.inner(area);
        block.render(area, buf);
        // Plain until the background highlighter has done this lesson.
        let highlighted = self.source_lines();
        let plain: Vec<&str> = lesson.source.lines().collect();
        let count = plain.len();
        let marked = self.demo_range().unwrap_or(0..0);
        let digits = count.max(1).to_string().len();
        for (row, n) in (self.source_scroll..count)
            .take(inner.height as usize)
            .enumerate()
        {
            let y = inner.y + row as u16;
            let in_demo = marked.contains(&n);
            let gutter = if in_demo {
                Span::styled(format!("{:>digits$}▐", n + 1), Style::new().yellow().bold())
            } else {
                Span::styled(format!("{:>digits$} ", n + 1), Style::new().dark_gray())
            };
            let gutter_width = digits as u16 + 2;
            Line::from(vec![gutter, Span::raw(" ")])
                .render(Rect::new(inner.x, y, gutter_width.min(inner.width), 1), buf);
            let text_area = Rect::new(
                inner.x + gutter_width,
                y,
                inner.width.saturating_sub(gutter_width),
                1,
            );
            match highlighted.as_ref().and_then(|lines| lines.get(n)) {
                Some(line) => Widget::render(line, text_area, buf),
                None => Line::raw(plain[n].replace('\t', "    ")).render(text_area, buf),
            }
        }
    }

    /// The learner's file, plain, with its title, hint and last result.
    pub(super) fn draw_exercise(&self, index: usize, area: Rect, buf: &mut Buffer) {
        let info = &self.exercises.list[index];
        let action = match &self.exercises.checking {
            Some(name) if *name == info.name => "checking…",
            _ => "r: check it",
        };
        let title = Line::from(vec![
            Span::raw(format!(" {} ", info.path)),
            Span::styled(format!("· {action} "), Style::new().dark_gray()),
        ]);
        let block = pane_block(self, Pane::Source, title);
        let inner = block.inner(area);
        block.render(area, buf);
        let mut head = vec![Line::from(vec![Span::styled(
            info.title,
            Style::new().bold(),
        )])];
        let shown = self.exercises.progress.hints_shown(info.name);
        for (step, hint) in info.hints.iter().enumerate().take(usize::from(shown)) {
            head.push(Line::from(vec![
                Span::styled(
                    format!(
                        "Hint {} ({}): ",
                        step + 1,
                        crate::exercises::HINT_LABELS[step]
                    ),
                    Style::new().bold().cyan(),
                ),
                Span::raw(*hint),
            ]));
        }
        if shown < crate::exercises::HINT_STEPS {
            head.push(Line::styled(
                format!(
                    "h in the list: hint {} of {}",
                    shown + 1,
                    crate::exercises::HINT_STEPS
                ),
                Style::new().dark_gray(),
            ));
        }
        if let Some(result) = self.exercises.results.get(info.name)
            && let Some(message) = &result.message
        {
            head.push(Line::from(vec![
                Span::styled("Last check: ", Style::new().bold().light_red()),
                Span::raw(crate::tui::exercise::gist(message)),
            ]));
        }
        let head: Vec<Line> = head
            .into_iter()
            .flat_map(|line| crate::tui::notes::wrap(line.spans, inner.width as usize))
            .collect();
        let head_height = (head.len() as u16 + 1).min(inner.height / 2);
        for (i, line) in head.iter().take(head_height as usize).enumerate() {
            Widget::render(
                line,
                Rect::new(inner.x, inner.y + i as u16, inner.width, 1),
                buf,
            );
        }
        let body = Rect::new(
            inner.x,
            inner.y + head_height,
            inner.width,
            inner.height - head_height,
        );
        let text = match &self.exercises.file {
            Some((i, Ok(text))) if *i == index => text.as_str(),
            Some((i, Err(why))) if *i == index => why.as_str(),
            _ => "",
        };
        let digits = text.lines().count().max(1).to_string().len();
        for (row, (n, line)) in text
            .lines()
            .enumerate()
            .skip(self.source_scroll)
            .take(body.height as usize)
            .enumerate()
        {
            let y = body.y + row as u16;
            Line::from(vec![
                Span::styled(format!("{:>digits$}  ", n + 1), Style::new().dark_gray()),
                Span::raw(line.replace('\t', "    ")),
            ])
            .render(Rect::new(body.x, y, body.width, 1), buf);
        }
    }

    pub(super) fn draw_notes(&self, area: Rect, buf: &mut Buffer) {
        let Some(lesson) = self.lesson() else { return };
        let view = if self.instructor {
            "instructor"
        } else {
            "i: instructor view"
        };
        let title = Line::from(vec![
            Span::raw(format!(" notes · {:02} {} ", lesson.number, lesson.title)),
            Span::styled(
                format!(
                    "· {} · n: source · {view} ",
                    self.how_far(self.row().lesson())
                ),
                Style::new().dark_gray(),
            ),
        ]);
        let block = pane_block(self, Pane::Source, title);
        let inner = block.inner(area);
        block.render(area, buf);
        let (rows, _) = crate::tui::notes::wrapped(lesson, self.instructor, inner.width as usize);
        for (i, line) in rows
            .iter()
            .skip(self.notes_scroll)
            .take(inner.height as usize)
            .enumerate()
        {
            line.clone()
                .render(Rect::new(inner.x, inner.y + i as u16, inner.width, 1), buf);
        }
    }
}
