//! Views of the timeline model: the text timeline and the Perfetto export.
//! (The live TUI timeline is in `tui`.) Each reads only [`crate::timeline`].
pub mod coverage;
pub mod perfetto;
pub mod text;
