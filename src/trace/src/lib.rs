//! The trace contract between a lesson and the workbook, in a crate of its
//! own so a lesson links only what recording needs (no TUI, no HTTP):
//! - [`record`]: the tracing subscriber a lesson installs, which ships its
//!   spans to the runner;
//! - [`wire`]: the format it ships them in (its module doc is the spec); the
//!   workbook's runner reads it with the same code;
//! - [`lesson`]: how a lesson binary picks its demos (`--demo`, `--list`);
//! - [`measuring`]: the measuring policy behind every figure a lesson or
//!   `workbook bench` prints.
pub mod lesson;
pub mod measuring;
pub mod record;
pub mod wire;
