//! The chart's last line: what is shown, the glyph legend, and what went
//! wrong. What went wrong is never cut for the legend: the legend gets the
//! columns left over, in short words, and when even those do not fit it
//! keeps its most useful glyphs ([`KEEP_FIRST`]) and says that `?` (the
//! help) shows it whole.
use super::{Chart, DIM, MARK_STYLE, QUIET_HINT, WAITING_STYLE, glyph_style, kernel};
use crate::timeline::{KernelStatus, LaneKind, Timeline};
use crate::views::duration::human;
use crate::views::glyphs::{AWAITING, Glyph, KEEP_FIRST, LANE, POLLING};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span as TextSpan};
use ratatui::widgets::Widget;

use crate::tui::layout::ChartLayout;

/// Ends a legend that left glyphs out.
pub const FULL_LEGEND_HINT: &str = "? full legend ";

impl Chart<'_> {
    pub(super) fn status(
        &self,
        layout: &ChartLayout,
        rows: usize,
        from: u64,
        to: u64,
        buf: &mut Buffer,
    ) {
        if let Some(waits) = self.hang {
            let names: Vec<String> = waits
                .iter()
                .map(|(lane, on)| format!("{lane} waits on {on}"))
                .collect();
            let text = format!(
                " ⚠ no progress for {}; waiting: {}",
                crate::views::duration::human_duration(QUIET_HINT),
                names.join(" · ")
            );
            Line::styled(
                text,
                Style::new()
                    .fg(Color::LightRed)
                    .add_modifier(Modifier::BOLD),
            )
            .render(layout.status, buf);
            return;
        }
        let mut parts = Vec::new();
        if let Some(cursor) = self.view.cursor {
            parts.push(TextSpan::styled(
                format!(" ▼ {} of {} ·", human(cursor), human(self.edge)),
                MARK_STYLE,
            ));
        }
        parts.push(TextSpan::styled(
            format!(
                " {rows} lanes · {} spans · {}–{} ",
                self.timeline.span_count(),
                human(from),
                human(to)
            ),
            DIM,
        ));
        let problems = self.problems();
        let used: usize = parts.iter().chain(&problems).map(TextSpan::width).sum();
        let room = usize::from(layout.status.width).saturating_sub(used);
        parts.extend(legend(self.timeline, room));
        parts.extend(problems);
        Line::from(parts).render(layout.status, buf);
    }

    /// Records lost or refused: said whatever the width.
    fn problems(&self) -> Vec<TextSpan<'static>> {
        let mut parts = Vec::new();
        if self.timeline.dropped() > 0 {
            parts.push(TextSpan::styled(
                format!(
                    "· {} records dropped by the lesson (buffer full) ",
                    self.timeline.dropped()
                ),
                WAITING_STYLE,
            ));
        }
        if self.timeline.not_kept() > 0 {
            parts.push(TextSpan::styled(
                format!(
                    "· {} spans or marks past the limit of {} a run, counted, not kept ",
                    self.timeline.not_kept(),
                    crate::timeline::MAX_SPANS
                ),
                WAITING_STYLE,
            ));
        }
        let errors = self.timeline.errors();
        if errors.count > 0 {
            let first = errors.samples.first().map_or("", String::as_str);
            parts.push(TextSpan::styled(
                format!("· {} bad records, first: {first}", errors.count),
                WAITING_STYLE,
            ));
        }
        parts
    }
}

/// The glyphs this run can show, in legend order, each with its style: the
/// task glyphs only where there are tasks, the kernel's where it is sampled.
fn glyphs(timeline: &Timeline) -> Vec<(Glyph, Style)> {
    let tasks = timeline.lanes().iter().any(|l| l.kind == LaneKind::Task);
    let mut glyphs: Vec<(Glyph, Style)> = LANE
        .iter()
        .filter(|g| tasks || ![POLLING, AWAITING].contains(&g.ch))
        .map(|g| (*g, glyph_style(*g)))
        .collect();
    if matches!(timeline.kernel_status(), KernelStatus::Sampling { .. }) {
        glyphs.extend(kernel::glyphs());
    }
    glyphs
}

fn entry((glyph, style): (Glyph, Style)) -> TextSpan<'static> {
    TextSpan::styled(format!("{} {} ", glyph.ch, glyph.short), style)
}

/// The legend in `room` columns: every glyph when they fit; else the
/// longest run of [`KEEP_FIRST`] that fits beside [`FULL_LEGEND_HINT`],
/// in legend order, then the hint. Why the kernel is not sampled follows a
/// whole legend where there is room for it.
fn legend(timeline: &Timeline, room: usize) -> Vec<TextSpan<'static>> {
    let all = glyphs(timeline);
    let whole: usize = all.iter().map(|&g| entry(g).width()).sum();
    if whole > room {
        let budget = room.saturating_sub(FULL_LEGEND_HINT.chars().count());
        let mut used = 0;
        let kept: Vec<char> = KEEP_FIRST
            .iter()
            .filter_map(|ch| all.iter().find(|(g, _)| g.ch == *ch))
            .take_while(|&&g| {
                used += entry(g).width();
                used <= budget
            })
            .map(|(g, _)| g.ch)
            .collect();
        let mut spans: Vec<TextSpan<'static>> = all
            .into_iter()
            .filter(|(g, _)| kept.contains(&g.ch))
            .map(entry)
            .collect();
        if room >= FULL_LEGEND_HINT.chars().count() {
            spans.push(TextSpan::styled(FULL_LEGEND_HINT, DIM));
        }
        return spans;
    }
    let mut spans: Vec<TextSpan<'static>> = all.into_iter().map(entry).collect();
    if let KernelStatus::Unavailable(why) = timeline.kernel_status() {
        let note = TextSpan::styled(format!("· kernel not sampled: {why} "), DIM);
        if whole + note.width() <= room {
            spans.push(note);
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::super::tests::sampled;
    use super::super::{Chart, ChartView};
    use super::FULL_LEGEND_HINT;
    use crate::views::glyphs::{Glyph, KEEP_FIRST, KERNEL, LANE, RUNNING};
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::widgets::Widget;

    fn status_line(width: u16) -> String {
        let (timeline, view) = (sampled(true), ChartView::default());
        let mut buf = Buffer::empty(Rect::new(0, 0, width, 8));
        Chart {
            timeline: &timeline,
            view: &view,
            edge: timeline.end(),
            focused: false,
            hang: None,
            empty: "",
        }
        .render(buf.area, &mut buf);
        (0..width)
            .map(|x| buf[(x, 7)].symbol().to_string())
            .collect()
    }

    /// At every width each entry shows whole or not at all, the ones kept
    /// are the first of `KEEP_FIRST`, and a legend that left any out ends
    /// with the hint.
    #[test]
    fn a_narrow_legend_keeps_whole_entries_and_points_to_the_help() {
        let all: Vec<Glyph> = LANE.iter().chain(&KERNEL).copied().collect();
        let entry = |g: &Glyph| format!("{} {} ", g.ch, g.short);
        let hint = FULL_LEGEND_HINT;
        let (mut whole_at, mut hinted_at) = (None, None);
        // From where the counts before the legend fit.
        for width in 40..=220 {
            let line = status_line(width);
            assert!(line.ends_with(' '), "cut at {width}: {line:?}");
            let Some(at) = [line.find(RUNNING), line.find(hint)]
                .into_iter()
                .flatten()
                .min()
            else {
                assert!(width < 60, "no legend at all at {width}: {line:?}");
                continue;
            };
            let legend = &line[at..];
            let kept: Vec<bool> = KEEP_FIRST
                .iter()
                .map(|ch| {
                    let glyph = all.iter().find(|g| g.ch == *ch).expect("a glyph");
                    let whole = legend.contains(&entry(glyph));
                    assert!(
                        whole || !legend.contains(*ch),
                        "{ch} cut at {width}: {line:?}"
                    );
                    whole
                })
                .collect();
            assert!(
                kept.windows(2).all(|w| w[0] || !w[1]),
                "kept out of KEEP_FIRST's order at {width}: {line:?}"
            );
            let complete = kept.iter().all(|&k| k);
            assert_eq!(complete, !legend.contains(hint), "at {width}: {line:?}");
            if complete {
                whole_at.get_or_insert(width);
            } else {
                hinted_at.get_or_insert(width);
                assert!(whole_at.is_none(), "wider gave less at {width}");
            }
        }
        assert!(hinted_at.is_some() && whole_at.is_some(), "both kinds seen");
    }
}
