//! What the kernel saw, on the chart: a thread lane the sampler read gets a
//! thin row under its spans (`━` on a core, `╳` queued for a core, `╌`
//! blocked, `‖` stopped), glyphs as well as colours so it reads with
//! `NO_COLOR`. A thread only the kernel saw has no spans: its one row is
//! the kernel's. The cell logic is shared with the text timeline
//! ([`crate::views::coverage`]).
use super::DIM;
use crate::timeline::{Lane, LaneKind, Timeline};
use crate::views::coverage::{KernelInk, kernel_cells};
pub use crate::views::glyphs::STOPPED;
use crate::views::glyphs::{BLOCKED, Glyph, KERNEL, ON_CORE, QUEUED};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

/// Screen rows a lane takes: two for a thread with spans and samples.
pub fn lane_height(timeline: &Timeline, lane: &Lane) -> u16 {
    if has_kernel_row(timeline, lane) && !spanless(timeline, lane) {
        2
    } else {
        1
    }
}

pub fn has_kernel_row(timeline: &Timeline, lane: &Lane) -> bool {
    lane.kind == LaneKind::Thread && !timeline.kernel_slices(lane.id).is_empty()
}

/// A thread nobody instrumented: the kernel's row is all it has.
pub fn spanless(timeline: &Timeline, lane: &Lane) -> bool {
    timeline.spans_in(lane.id, 0, u64::MAX).next().is_none()
}

/// Draws the kernel's view of `lane` from `from`, `dt` ns a column, up to
/// `clip` (the replay cursor), into `row`.
pub fn draw(
    timeline: &Timeline,
    lane: &Lane,
    from: u64,
    dt: f64,
    clip: u64,
    row: Rect,
    buf: &mut Buffer,
) {
    let to = from + (dt * f64::from(row.width)) as u64;
    let slices: Vec<_> = timeline
        .kernel_slices_in(lane.id, from, to)
        .iter()
        .filter(|s| s.end() <= clip)
        .copied()
        .collect();
    for (c, cell) in kernel_cells(&slices, from, dt, row.width as usize)
        .iter()
        .enumerate()
    {
        if let Some(ink) = cell.resolve(dt) {
            let (ch, style) = glyph(ink);
            buf[(row.x + c as u16, row.y)].set_char(ch).set_style(style);
        }
    }
}

pub fn glyph(ink: KernelInk) -> (char, Style) {
    match ink {
        KernelInk::OnCore => (ON_CORE, Style::new().fg(Color::Green)),
        KernelInk::Queued => (QUEUED, Style::new().fg(Color::Red)),
        KernelInk::Blocked => (BLOCKED, DIM),
        KernelInk::Stopped => (STOPPED, Style::new().fg(Color::Cyan)),
    }
}

/// The kernel row's glyphs, each with the style the row draws it in.
pub fn glyphs() -> Vec<(Glyph, Style)> {
    [
        KernelInk::OnCore,
        KernelInk::Queued,
        KernelInk::Blocked,
        KernelInk::Stopped,
    ]
    .into_iter()
    .filter_map(|ink| {
        let (ch, style) = glyph(ink);
        Some((*KERNEL.iter().find(|g| g.ch == ch)?, style))
    })
    .collect()
}
