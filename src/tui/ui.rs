//! Drawing. Everything here reads the [`App`] and writes the buffer; nothing
//! here changes state.
mod popups;
mod run;
mod text;

use super::app::{App, Pane, Row};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};
use run::phase_style;

/// Below this the layout cannot show a list and source side by side.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// The list pane: wide enough for `blocking_the_executor  A4, C4` on a
/// wide terminal, narrower on a small one so the source stays readable.
const LIST_WIDTH: (u16, u16) = (28, 36);

/// Where each pane is. Drawing and mouse hit-testing both use this, so a
/// click lands on what is drawn.
#[derive(Debug, Clone, Copy, Default)]
pub struct Areas {
    pub list: Rect,
    pub main: Rect,
    pub timeline: Rect,
    pub output: Rect,
    pub footer: Rect,
}

impl Areas {
    pub fn pane_at(&self, at: Position) -> Option<(Pane, Rect)> {
        [
            (Pane::List, self.list),
            (Pane::Source, self.main),
            (Pane::Timeline, self.timeline),
            (Pane::Output, self.output),
        ]
        .into_iter()
        .find(|(_, rect)| rect.contains(at))
    }

    fn of(&self, pane: Pane) -> Rect {
        match pane {
            Pane::List => self.list,
            Pane::Source => self.main,
            Pane::Timeline => self.timeline,
            Pane::Output => self.output,
        }
    }
}

pub fn areas(app: &App, area: Rect) -> Areas {
    let [body, footer] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    let mut areas = Areas {
        footer,
        ..Areas::default()
    };
    if app.presenting {
        return presentation(app, body, areas);
    }
    if app.maximized && app.panes().contains(&app.focus) {
        match app.focus {
            Pane::List => areas.list = body,
            Pane::Source => areas.main = body,
            Pane::Timeline => areas.timeline = body,
            Pane::Output => areas.output = body,
        }
        return areas;
    }
    let top = if app.panes().contains(&Pane::Timeline) {
        let [top, timeline, output] = Layout::vertical([
            Constraint::Percentage(36),
            Constraint::Min(8),
            Constraint::Percentage(22),
        ])
        .areas(body);
        areas.timeline = timeline;
        areas.output = output;
        top
    } else {
        body
    };
    let list_width = (top.width * 3 / 10).clamp(LIST_WIDTH.0, LIST_WIDTH.1);
    let [list, main] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Min(0)]).areas(top);
    areas.list = list;
    areas.main = main;
    areas
}

/// No list: the source (or notes) on top and, while there is a run, the
/// timeline large below it with a few rows of output.
fn presentation(app: &App, body: Rect, mut areas: Areas) -> Areas {
    if app.panes().contains(&Pane::Timeline) {
        let [main, timeline, output] = Layout::vertical([
            Constraint::Percentage(35),
            Constraint::Min(8),
            Constraint::Length(5),
        ])
        .areas(body);
        areas.main = main;
        areas.timeline = timeline;
        areas.output = output;
    } else {
        areas.main = body;
    }
    areas
}

/// The first list row on screen, keeping the selection in view.
pub fn list_first_row(selected: usize, height: usize) -> usize {
    (selected + 1).saturating_sub(height.max(1))
}

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
        let areas = areas(self, area);
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
        if self.popup.is_some() {
            self.draw_popup(area, buf);
        } else if let Some(bench) = &self.bench {
            bench.render(area, buf);
        } else {
            self.draw_overlay(area, buf);
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
        let mut keys = vec![("s", step.as_str())];
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

/// Clears a box of `width` x `height` centred in `area`, draws a double
/// border with `title` on top and `footer` below, and returns the inside:
/// the frame every overlay (help, past runs, benchmark) shares.
pub fn popup(
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    footer: &str,
    buf: &mut Buffer,
) -> Rect {
    let (width, height) = (width.min(area.width), height.min(area.height));
    let frame = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    Clear.render(frame, buf);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .title(Line::from(format!(" {title} ")).bold())
        .title_bottom(Line::from(format!(" {footer} ")).centered());
    let inner = block.inner(frame);
    block.render(frame, buf);
    inner
}
