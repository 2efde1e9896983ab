//! Views of the timeline model: the text timeline and the Perfetto export.
//! (The live TUI timeline is in `tui`.) Each reads only [`crate::timeline`].
//! Also what every view shares: the glyph legend and the duration format.
pub mod coverage;
pub mod duration;
pub mod glyphs;
pub mod perfetto;
pub mod text;
