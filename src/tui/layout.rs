//! Where everything goes on screen. Drawing (`ui`) places the panes here and
//! input (`app`) maps a click or a wheel turn here, so a click lands on what
//! is drawn; the chart's parts are placed here too, so the app knows how many
//! columns of bars the chart has without copying its arithmetic.
use ratatui::layout::{Constraint, Layout, Position, Rect};

/// Below this the layout cannot show a list and source side by side.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// The list pane: wide enough for `blocking_the_executor  A4, C4` on a
/// wide terminal, narrower on a small one so the source stays readable.
const LIST_WIDTH: (u16, u16) = (28, 36);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Source,
    Timeline,
    Output,
}

/// What decides the layout: the screen's modes and whether a run is shown.
#[derive(Debug, Clone, Copy)]
pub struct Screen {
    /// No list, the source and the timeline large.
    pub presenting: bool,
    /// The focused pane fills the screen.
    pub maximized: bool,
    pub focus: Pane,
    /// A run (live or replayed) is on screen: the timeline and output panes.
    pub run: bool,
}

/// Where each pane is.
#[derive(Debug, Clone, Copy, Default)]
pub struct Areas {
    pub list: Rect,
    pub main: Rect,
    pub timeline: Rect,
    pub output: Rect,
    pub footer: Rect,
}

impl Screen {
    /// The panes that are on screen, in Tab order.
    pub fn panes(self) -> Vec<Pane> {
        let mut panes = if self.presenting {
            vec![Pane::Source]
        } else {
            vec![Pane::List, Pane::Source]
        };
        if self.run {
            panes.extend([Pane::Timeline, Pane::Output]);
        }
        panes
    }

    pub fn areas(self, area: Rect) -> Areas {
        let [body, footer] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
        let mut areas = Areas {
            footer,
            ..Areas::default()
        };
        if self.presenting {
            return self.presentation(body, areas);
        }
        if self.maximized && self.panes().contains(&self.focus) {
            match self.focus {
                Pane::List => areas.list = body,
                Pane::Source => areas.main = body,
                Pane::Timeline => areas.timeline = body,
                Pane::Output => areas.output = body,
            }
            return areas;
        }
        let top = if self.run {
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
    fn presentation(self, body: Rect, mut areas: Areas) -> Areas {
        if self.run {
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

    pub fn of(&self, pane: Pane) -> Rect {
        match pane {
            Pane::List => self.list,
            Pane::Source => self.main,
            Pane::Timeline => self.timeline,
            Pane::Output => self.output,
        }
    }
}

/// Inside a pane's border.
pub fn inner(pane: Rect) -> Rect {
    Rect::new(
        pane.x.saturating_add(1),
        pane.y.saturating_add(1),
        pane.width.saturating_sub(2),
        pane.height.saturating_sub(2),
    )
}

/// The first list row on screen, keeping the selection in view.
pub fn list_first_row(selected: usize, height: usize) -> usize {
    (selected + 1).saturating_sub(height.max(1))
}

/// A box of `width` x `height` centred in `area` (cut to fit): where an
/// overlay's frame goes.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let (width, height) = (width.min(area.width), height.min(area.height));
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// Where the parts of the timeline chart go inside its pane's border.
#[derive(Debug, Clone, Copy)]
pub struct ChartLayout {
    pub axis: Rect,
    pub lanes: Rect,
    pub labels_width: u16,
    /// The bars: time across these columns.
    pub bars: Rect,
    pub detail: Rect,
    pub status: Rect,
}

impl ChartLayout {
    pub fn of(inner: Rect) -> ChartLayout {
        let labels_width = (inner.width / 5).clamp(10, 26);
        let lanes_height = inner.height.saturating_sub(3);
        let lanes = Rect::new(inner.x, inner.y + 1, inner.width, lanes_height);
        ChartLayout {
            axis: Rect::new(inner.x, inner.y, inner.width, 1.min(inner.height)),
            lanes,
            labels_width,
            bars: Rect::new(
                inner.x + labels_width + 1,
                lanes.y,
                inner.width.saturating_sub(labels_width + 1),
                lanes_height,
            ),
            detail: Rect::new(
                inner.x,
                lanes.bottom(),
                inner.width,
                1.min(inner.height.saturating_sub(2)),
            ),
            status: Rect::new(
                inner.x,
                lanes.bottom() + 1,
                inner.width,
                1.min(inner.height.saturating_sub(1)),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pane_on_screen_has_room_and_a_click_finds_it() {
        let area = Rect::new(0, 0, 120, 40);
        for presenting in [false, true] {
            for run in [false, true] {
                let screen = Screen {
                    presenting,
                    maximized: false,
                    focus: Pane::Source,
                    run,
                };
                let areas = screen.areas(area);
                for pane in screen.panes() {
                    let rect = areas.of(pane);
                    assert!(!rect.is_empty(), "{pane:?} has no room");
                    let middle = Position::new(rect.x + rect.width / 2, rect.y + rect.height / 2);
                    assert_eq!(areas.pane_at(middle).map(|(p, _)| p), Some(pane));
                }
            }
        }
    }

    #[test]
    fn the_chart_bars_are_what_the_labels_leave() {
        let chart = ChartLayout::of(inner(Rect::new(0, 0, 102, 20)));
        assert_eq!(chart.labels_width, 20);
        assert_eq!(chart.bars.width, 100 - 20 - 1);
        assert_eq!(chart.bars.x, 1 + 20 + 1);
    }
}
