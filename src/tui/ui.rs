//! Drawing. Everything here reads the [`App`] and writes the buffer; nothing
//! here changes state.
mod popups;
mod run;
mod text;

use super::app::{App, Row};
use super::keymap::Command;
use super::layout::{MIN_HEIGHT, MIN_WIDTH, Pane, list_first_row};
use super::overlay::Overlay;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Widget, Wrap};
use run::{draw_past_runs, phase_style};

pub fn pane_block(app: &App, pane: Pane, title: Line<'static>) -> Block<'static> {
    let focused = app.focus == pane;
    let block = Block::bordered().title(title);
    if focused {
        block
            .border_type(BorderType::Thick)
            .border_style(Style::new().cyan().add_modifier(Modifier::BOLD))
    } else {
        block.border_style(Style::new().dark_gray())
    }
}

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            too_small(area, buf);
            return;
        }
        let areas = self.screen().areas(area);
        for pane in self.panes() {
            let rect = areas.of(pane);
            if rect.is_empty() {
                continue;
            }
            match pane {
                Pane::List => self.draw_list(rect, buf),
                Pane::Source if self.show_notes => self.draw_notes(rect, buf),
                Pane::Source => self.draw_source(rect, buf),
                Pane::Timeline | Pane::Output => self.draw_run_pane(pane, rect, buf),
            }
        }
        self.draw_footer(areas.footer, buf);
        match &self.overlay {
            Some(Overlay::Bench(bench)) => bench.render(area, buf),
            Some(Overlay::PastRuns(browser)) => draw_past_runs(browser, area, buf),
            Some(overlay) => self.draw_popup(overlay, area, buf),
            None => {}
        }
        if self.presenting {
            for_a_projector(area, buf);
        }
    }
}

/// A projector washes out dim and dark colours: grey becomes white, dark
/// colours their light versions, and every border bold.
fn for_a_projector(area: Rect, buf: &mut Buffer) {
    use ratatui::style::Color;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            let fg = match cell.fg {
                Color::DarkGray | Color::Gray => Color::White,
                Color::Blue => Color::LightBlue,
                Color::Red => Color::LightRed,
                Color::Magenta => Color::LightMagenta,
                Color::Green => Color::LightGreen,
                other => other,
            };
            cell.set_fg(fg);
            if "─│┌┐└┘━┃┏┓┗┛".contains(cell.symbol()) {
                cell.modifier.insert(Modifier::BOLD);
            }
        }
    }
}

impl App {
    fn draw_list(&self, area: Rect, buf: &mut Buffer) {
        let block = pane_block(self, Pane::List, Line::from(" Lessons "));
        let inner = block.inner(area);
        block.render(area, buf);
        let first = list_first_row(self.selected, inner.height as usize);
        for (i, row) in self
            .rows
            .iter()
            .enumerate()
            .skip(first)
            .take(inner.height as usize)
        {
            let y = inner.y + (i - first) as u16;
            let line_area = Rect::new(inner.x, y, inner.width, 1);
            let selected = i == self.selected;
            let marker = if selected { "›" } else { " " };
            let line = match *row {
                Row::Lesson(l) => {
                    let lesson = &self.lessons[l];
                    // How far the learner is: demos run, exercises done.
                    let (seen, demos) = self.demos_seen(l);
                    let (done, exercises) = self.exercises_done(l);
                    let far = format!("{seen}/{demos}");
                    let room = (inner.width as usize).saturating_sub(1 + far.len() + 1);
                    let title: String = format!("{:02} {}", lesson.number, lesson.title)
                        .chars()
                        .take(room)
                        .collect();
                    let pad = room.saturating_sub(title.chars().count());
                    let style = if seen == demos && done == exercises {
                        Style::new().green()
                    } else {
                        Style::new().dark_gray()
                    };
                    Line::from(vec![
                        Span::raw(marker),
                        Span::styled(title, Style::new().bold()),
                        Span::raw(" ".repeat(pad + 1)),
                        Span::styled(far, style),
                    ])
                }
                Row::Exercise(_, e) => {
                    let info = &self.exercises.list[e];
                    let (mark, state, style) = if self.exercises.done(e) {
                        ("✓", "done", Style::new().green())
                    } else {
                        ("○", "to do", Style::new().dark_gray())
                    };
                    let room = (inner.width as usize).saturating_sub(7 + state.len() + 1);
                    let name: String = info.name.chars().take(room).collect();
                    let pad = room.saturating_sub(name.chars().count());
                    Line::from(vec![
                        Span::raw(format!("{marker}   ")),
                        Span::styled(format!("{mark} "), style),
                        Span::raw(format!("{name}{} ", " ".repeat(pad))),
                        Span::styled(state, style),
                    ])
                }
                Row::Demo(l, d) => {
                    let lesson = &self.lessons[l];
                    let demo = &lesson.demos[d];
                    let seen = self
                        .learner
                        .has_seen(&crate::questions::key(lesson.bin, &demo.name));
                    // ▷ a demo to run, ✓ one run (exercises use ○ and ✓).
                    let (mark, mark_style) = if seen {
                        ("✓", Style::new().green())
                    } else {
                        ("▷", Style::new().dark_gray())
                    };
                    let extra = if self.instructor {
                        format!("{}′", demo.minutes)
                    } else {
                        demo.covers.clone()
                    };
                    let room = (inner.width as usize).saturating_sub(6 + extra.chars().count() + 1);
                    let name: String = demo.name.chars().take(room).collect();
                    let pad = room.saturating_sub(name.chars().count());
                    Line::from(vec![
                        Span::raw(format!("{marker}  ")),
                        Span::styled(format!("{mark} "), mark_style),
                        Span::raw(format!("{name}{} ", " ".repeat(pad))),
                        Span::styled(extra, Style::new().dark_gray()),
                    ])
                }
            };
            let style = if selected && self.focus == Pane::List {
                Style::new().add_modifier(Modifier::REVERSED)
            } else if selected {
                Style::new().add_modifier(Modifier::UNDERLINED)
            } else {
                Style::new()
            };
            buf.set_style(line_area, style);
            line.render(line_area, buf);
        }
    }

    fn draw_footer(&self, area: Rect, buf: &mut Buffer) {
        // The next step first: what `s` will do now.
        let step = format!("next: {}", self.next_step().1);
        let mut keys = vec![(super::keymap::key_of(Command::NextStep), step.as_str())];
        keys.extend(super::keymap::footer(self.focus));
        let status = self.status_line();
        let status_width = (status.width() as u16).min(area.width);
        // The keys that fit beside the status; a long message (where an
        // export went) takes the whole line.
        let room = area.width.saturating_sub(status_width + 2) as usize;
        let mut spans = Vec::new();
        let mut used = 0;
        for (key, what) in &keys {
            let width = key.chars().count() + what.chars().count() + 3;
            if used + width > room {
                break;
            }
            used += width;
            spans.push(Span::styled(format!(" {key}"), Style::new().bold().cyan()));
            spans.push(Span::raw(format!(" {what} ")));
        }
        Line::from(spans).render(area, buf);
        let status_area = Rect::new(area.right() - status_width, area.y, status_width, 1);
        status.right_aligned().render(status_area, buf);
    }

    fn status_line(&self) -> Line<'static> {
        if let Some(message) = &self.message {
            return Line::from(Span::styled(message.clone(), Style::new().yellow().bold()));
        }
        let Some(session) = &self.session else {
            return Line::default();
        };
        if let Some(note) = &session.note {
            return Line::from(Span::styled(note.clone(), Style::new().yellow()));
        }
        let what = match &session.demo {
            Some(demo) => format!("{} --demo {demo}", session.lesson),
            None => session.lesson.clone(),
        };
        let state = if session.replay.is_some() {
            format!("replay: {}", session.phase_text())
        } else {
            session.phase_text()
        };
        Line::from(vec![
            Span::raw(format!("{what} ")),
            Span::styled(state, phase_style(&session.phase)),
        ])
    }
}

fn too_small(area: Rect, buf: &mut Buffer) {
    let text = vec![
        Line::from("The terminal is too small.".bold()),
        Line::from(format!(
            "It is {}x{}; the workbook needs at least {MIN_WIDTH}x{MIN_HEIGHT}.",
            area.width, area.height
        )),
        Line::from("Enlarge the window, or press q to quit."),
    ];
    let height = (text.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(height) / 2;
    Paragraph::new(text)
        .centered()
        .wrap(Wrap { trim: true })
        .render(
            Rect::new(area.x, y, area.width, area.height - (y - area.y)),
            buf,
        );
}
