//! Drawing a run: the timeline pane, the output pane, and the past-runs
//! list laid over the screen.
use super::pane_block;
use crate::tui::app::App;
use crate::tui::chart::Chart;
use crate::tui::layout::{Pane, list_first_row};
use crate::tui::output::Kind;
use crate::tui::session::{Phase, Session};
use crate::tui::store::Browser;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use std::fmt::Write as _;

impl App {
    pub(super) fn draw_run_pane(&self, pane: Pane, area: Rect, buf: &mut Buffer) {
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

    pub(super) fn draw_output(&self, session: &Session, area: Rect, buf: &mut Buffer) {
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
}

/// The past-runs list, in a frame as wide as its longest line.
pub(super) fn draw_past_runs(browser: &Browser, area: Rect, buf: &mut Buffer) {
    let keys = crate::tui::keymap::overlays::PAST_RUNS.footer();
    let lines: Vec<String> = if browser.runs.is_empty() {
        let dir = crate::tui::store::runs_dir()
            .map_or_else(|| "(no data folder)".into(), |d| d.display().to_string());
        vec![
            " No runs recorded yet. Runs are kept in".into(),
            format!(" {dir}"),
        ]
    } else {
        // `04 lost_update`, as `workbook run 04 --demo lost_update`
        // names it: short enough for the whole line to fit.
        let what = |meta: &crate::tui::store::Meta| {
            let number = meta.lesson.get(..2).unwrap_or(&meta.lesson);
            match &meta.demo {
                Some(demo) => format!("{number} {demo}"),
                None => format!("{number} (all demos)"),
            }
        };
        let what_width = browser
            .runs
            .iter()
            .map(|(_, m)| what(m).chars().count())
            .max();
        let what_width = what_width.unwrap_or(0);
        browser
            .runs
            .iter()
            .map(|(_, meta)| {
                format!(
                    " {}  {:<what_width$}  {:>9}  {:>6} spans  {} ",
                    crate::tui::store::fmt_unix_ms(meta.started_unix_ms),
                    what(meta),
                    crate::views::duration::human(meta.duration_ns),
                    meta.spans,
                    meta.outcome.as_deref().unwrap_or("?"),
                )
            })
            .collect()
    };
    let widest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let width = (widest.max(keys.chars().count() + 4) + 2) as u16;
    let inner = crate::tui::frame::popup(
        area,
        width.min(area.width.saturating_sub(4)),
        (lines.len() as u16 + 2).clamp(4, area.height.saturating_sub(4)),
        "Past runs",
        &keys,
        buf,
    );
    let rows = inner.height as usize;
    let first = if browser.runs.is_empty() {
        0
    } else {
        list_first_row(browser.selected, rows)
    };
    for (i, text) in lines.iter().enumerate().skip(first).take(rows) {
        let style = if !browser.runs.is_empty() && i == browser.selected {
            Style::new().reversed()
        } else {
            Style::new()
        };
        Line::styled(text.as_str(), style).render(
            Rect::new(inner.x, inner.y + (i - first) as u16, inner.width, 1),
            buf,
        );
    }
}

pub(super) fn phase_style(phase: &Phase) -> Style {
    match phase {
        Phase::Building => Style::new().cyan(),
        Phase::Running => Style::new().green().bold(),
        Phase::Ended { ok: true, .. } => Style::new().green(),
        Phase::Ended { ok: false, .. } => Style::new().light_red().bold(),
    }
}
