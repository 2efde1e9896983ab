//! Drawing. Everything here reads the [`App`] and writes the buffer; nothing
//! here changes state.
use super::app::{App, Pane, Row};
use super::chart::Chart;
use super::output::Kind;
use super::session::{Phase, Session};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};
use std::fmt::Write as _;

/// Below this the layout cannot show a list and source side by side.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
const LIST_WIDTH: u16 = 30;

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
    let [list, main] =
        Layout::horizontal([Constraint::Length(LIST_WIDTH), Constraint::Min(0)]).areas(top);
    areas.list = list;
    areas.main = main;
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
        if self.help {
            help(area, buf);
        } else {
            self.draw_overlay(area, buf);
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
                    Line::from(vec![
                        Span::raw(marker),
                        Span::styled(
                            format!("{:02} {}", lesson.number, lesson.title),
                            Style::new().bold(),
                        ),
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
                    let demo = &self.lessons[l].demos[d];
                    let extra = if self.instructor {
                        format!("{}′", demo.minutes)
                    } else {
                        demo.covers.clone()
                    };
                    let room = (inner.width as usize).saturating_sub(5 + extra.chars().count() + 1);
                    let name: String = demo.name.chars().take(room).collect();
                    let pad = room.saturating_sub(name.chars().count());
                    Line::from(vec![
                        Span::raw(format!("{marker}   {name}{} ", " ".repeat(pad))),
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

    fn draw_source(&self, area: Rect, buf: &mut Buffer) {
        if let Row::Exercise(_, e) = self.row() {
            self.draw_exercise(e, area, buf);
            return;
        }
        let Some(lesson) = self.lesson() else { return };
        let title = Line::from(vec![
            Span::raw(format!(" lessons/{}.rs ", lesson.bin)),
            Span::styled("· n: notes ", Style::new().dark_gray()),
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
    fn draw_exercise(&self, index: usize, area: Rect, buf: &mut Buffer) {
        let info = &self.exercises.list[index];
        let action = match &self.exercises.checking {
            Some((name, _)) if *name == info.name => "checking…",
            _ => "r: check it",
        };
        let title = Line::from(vec![
            Span::raw(format!(" {} ", info.path)),
            Span::styled(format!("· {action} "), Style::new().dark_gray()),
        ]);
        let block = pane_block(self, Pane::Source, title);
        let inner = block.inner(area);
        block.render(area, buf);
        let mut head = vec![
            Line::from(vec![Span::styled(info.title, Style::new().bold())]),
            Line::from(vec![
                Span::styled("Hint: ", Style::new().bold().cyan()),
                Span::raw(info.hint),
            ]),
        ];
        if let Some(result) = self.exercises.results.get(info.name)
            && let Some(message) = &result.message
        {
            head.push(Line::from(vec![
                Span::styled("Last check: ", Style::new().bold().light_red()),
                Span::raw(message.lines().next().unwrap_or("").to_string()),
            ]));
        }
        let head: Vec<Line> = head
            .into_iter()
            .flat_map(|line| super::notes::wrap(line.spans, inner.width as usize))
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

    fn draw_notes(&self, area: Rect, buf: &mut Buffer) {
        let Some(lesson) = self.lesson() else { return };
        let view = if self.instructor {
            "instructor"
        } else {
            "i: instructor view"
        };
        let title = Line::from(vec![
            Span::raw(format!(" notes · {:02} {} ", lesson.number, lesson.title)),
            Span::styled(format!("· n: source · {view} "), Style::new().dark_gray()),
        ]);
        let block = pane_block(self, Pane::Source, title);
        let inner = block.inner(area);
        block.render(area, buf);
        let (rows, _) = super::notes::wrapped(lesson, self.instructor, inner.width as usize);
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

    fn draw_run_pane(&self, pane: Pane, area: Rect, buf: &mut Buffer) {
        let Some(session) = &self.session else { return };
        if pane == Pane::Output {
            self.draw_output(session, area, buf);
            return;
        }
        let what = match &session.demo {
            Some(demo) => format!("{} --demo {demo}", session.lesson),
            None => session.lesson.clone(),
        };
        let state = match &session.replay {
            Some(_) => "replay · ←/→ scrub".to_string(),
            None => session.phase_text(),
        };
        let title = Line::from(vec![
            Span::raw(format!(" timeline · {what} ")),
            Span::styled(format!("· {state} "), phase_style(&session.phase)),
        ]);
        let block = pane_block(self, Pane::Timeline, title);
        let inner = block.inner(area);
        block.render(area, buf);
        let empty = match &session.phase {
            Phase::Building => {
                let last = session
                    .output
                    .window(1, None)
                    .next()
                    .map_or("", |l| l.text.as_str());
                format!("  building {}: {last}", session.lesson)
            }
            Phase::Ended { ok: false, .. } if session.timeline.lanes().is_empty() => {
                format!("  {}; nothing was recorded", session.phase_text())
            }
            _ => "  no lanes yet: the timeline fills in as the lesson records".into(),
        };
        Chart {
            timeline: &session.timeline,
            view: &session.view,
            edge: session.edge(),
            focused: self.focus == Pane::Timeline,
            hang: session.hang.as_deref(),
            empty: &empty,
        }
        .render(inner, buf);
    }

    fn draw_output(&self, session: &Session, area: Rect, buf: &mut Buffer) {
        let out = &session.output;
        let mut title = format!(" output · {} lines ", out.len());
        if out.dropped > 0 {
            let _ = write!(title, "· {} older lines let go ", out.dropped);
        }
        if out.back > 0 {
            let _ = write!(title, "· {} back, G: newest ", out.back);
        }
        let block = pane_block(self, Pane::Output, Line::from(title));
        let inner = block.inner(area);
        block.render(area, buf);
        // Replay shows the output up to the cursor: the chart and the text in step.
        let until = session.view.cursor;
        for (i, line) in out.window(inner.height as usize, until).enumerate() {
            let style = match line.kind {
                Kind::Stdout => Style::new(),
                Kind::Stderr => Style::new().light_red(),
                Kind::Build if line.text.starts_with("error") => Style::new().light_red().bold(),
                Kind::Build => Style::new().cyan(),
                Kind::Note => Style::new().yellow().bold(),
            };
            Line::styled(line.text.as_str(), style)
                .render(Rect::new(inner.x, inner.y + i as u16, inner.width, 1), buf);
        }
    }

    fn draw_overlay(&self, area: Rect, buf: &mut Buffer) {
        let Some(browser) = &self.browser else { return };
        let width = 100.min(area.width.saturating_sub(4));
        let height = (browser.runs.len() as u16 + 4).clamp(6, area.height.saturating_sub(4));
        let popup = Rect::new(
            area.x + (area.width - width) / 2,
            area.y + (area.height - height) / 2,
            width,
            height,
        );
        Clear.render(popup, buf);
        let block = Block::bordered()
            .border_type(BorderType::Double)
            .title(Line::from(" Past runs ").bold())
            .title_bottom(Line::from(" ↑↓ choose · ⏎ open and scrub · Esc close ").centered());
        let inner = block.inner(popup);
        block.render(popup, buf);
        if browser.runs.is_empty() {
            let dir = super::store::runs_dir()
                .map_or_else(|| "(no data folder)".into(), |d| d.display().to_string());
            Paragraph::new(vec![
                Line::from(" No runs recorded yet. Runs are kept in"),
                Line::from(format!(" {dir}")),
            ])
            .render(inner, buf);
            return;
        }
        let rows = inner.height as usize;
        let first = list_first_row(browser.selected, rows);
        for (i, (_, meta)) in browser.runs.iter().enumerate().skip(first).take(rows) {
            let what = match &meta.demo {
                Some(demo) => format!("{} --demo {demo}", meta.lesson),
                None => meta.lesson.clone(),
            };
            let text = format!(
                " {}  {what:<40} {:>9} {:>7} spans  {}",
                super::store::fmt_unix_ms(meta.started_unix_ms),
                super::session::fmt_ns(meta.duration_ns),
                meta.spans,
                meta.outcome.as_deref().unwrap_or("?"),
            );
            let style = if i == browser.selected {
                Style::new().reversed()
            } else {
                Style::new()
            };
            Line::styled(text, style).render(
                Rect::new(inner.x, inner.y + (i - first) as u16, inner.width, 1),
                buf,
            );
        }
    }

    fn draw_footer(&self, area: Rect, buf: &mut Buffer) {
        let keys: &[(&str, &str)] = match self.focus {
            Pane::List => &[
                ("↑↓", "select"),
                ("r/⏎", "run"),
                ("Tab", "pane"),
                ("n", "notes"),
                ("o", "past runs"),
                ("?", "help"),
                ("q", "quit"),
            ],
            Pane::Source => &[
                ("↑↓", "scroll"),
                ("n", "notes"),
                ("i", "instructor"),
                ("Tab", "pane"),
                ("r", "run"),
                ("?", "help"),
                ("q", "quit"),
            ],
            Pane::Timeline => &[
                ("←→", "pan"),
                ("+-", "zoom"),
                ("↑↓", "lane"),
                ("[]", "span"),
                ("f", "follow"),
                ("x", "stop"),
                ("e", "export"),
                ("?", "help"),
            ],
            Pane::Output => &[
                ("↑↓", "scroll"),
                ("G", "follow"),
                ("Tab", "pane"),
                ("x", "stop"),
                ("e", "export"),
                ("?", "help"),
                ("q", "quit"),
            ],
        };
        let status = self.status_line();
        let status_width = (status.width() as u16).min(area.width);
        // The keys that fit beside the status; a long message (where an
        // export went) takes the whole line.
        let room = area.width.saturating_sub(status_width + 2) as usize;
        let mut spans = Vec::new();
        let mut used = 0;
        for (key, what) in keys {
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

fn phase_style(phase: &Phase) -> Style {
    match phase {
        Phase::Building => Style::new().cyan(),
        Phase::Running => Style::new().green().bold(),
        Phase::Ended { ok: true, .. } => Style::new().green(),
        Phase::Ended { ok: false, .. } => Style::new().light_red().bold(),
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

const HELP: &[(&str, &str)] = &[
    ("q, Ctrl-C", "quit (stops a running lesson first)"),
    ("?", "this help; any key closes it"),
    ("Tab, Shift-Tab", "move between panes"),
    ("↑↓ or j k", "select a lesson or demo, scroll a pane"),
    ("← → or h l", "list ↔ source; pan the timeline"),
    ("PgUp PgDn g G", "page, top, bottom"),
    ("r, Enter", "build and run the selected lesson or demo"),
    ("x", "stop the run and all its processes"),
    ("n", "show the notes instead of the source"),
    ("i", "instructor view: minutes and what to point at"),
    ("m", "maximize the focused pane, or restore"),
    ("+ -", "timeline: zoom in, out"),
    (
        "[ ]",
        "timeline: select the previous, next span on the lane",
    ),
    ("Enter, Space", "timeline: fold or unfold a process's lanes"),
    ("f, 0", "timeline: follow the live edge; fit the whole run"),
    (
        "← → H L",
        "replay: move the cursor; output shows what was printed by then",
    ),
    ("e", "export the run on screen as Perfetto JSON"),
    ("o", "past runs: open one to replay and scrub it"),
    ("mouse", "wheel scrolls, click selects"),
];

fn help(area: Rect, buf: &mut Buffer) {
    let width = 72.min(area.width.saturating_sub(4));
    let height = (HELP.len() as u16 + 4).min(area.height.saturating_sub(2));
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    Clear.render(popup, buf);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .title(Line::from(" Keys ").bold())
        .title_bottom(Line::from(" running: green █ · waiting: red ░ · mark: ◆ ").centered());
    let inner = block.inner(popup);
    block.render(popup, buf);
    let lines: Vec<Line> = HELP
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!(" {key:<16}"), Style::new().bold().cyan()),
                Span::raw(*what),
            ])
        })
        .collect();
    Paragraph::new(lines).render(
        Rect::new(
            inner.x,
            inner.y + 1,
            inner.width,
            inner.height.saturating_sub(1),
        ),
        buf,
    );
}
