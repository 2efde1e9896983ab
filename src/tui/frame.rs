//! The frame every overlay shares (help, welcome, questions, past runs,
//! benchmark): a double border with a title on top and its keys below.
use super::layout::centered;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Widget};

/// Clears a box of `width` x `height` centred in `area`, draws the frame
/// with `title` on top and `footer` below, and returns the inside.
pub fn popup(
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    footer: &str,
    buf: &mut Buffer,
) -> Rect {
    let frame = centered(area, width, height);
    Clear.render(frame, buf);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .title(Line::from(format!(" {title} ")).bold())
        .title_bottom(Line::from(format!(" {footer} ")).centered());
    let inner = block.inner(frame);
    block.render(frame, buf);
    inner
}
