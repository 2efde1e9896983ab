//! One run as a model: what the runner's events ([`crate::runner::RunEvent`])
//! add up to, whoever shows it. `workbook run` and `workbook trace`, the
//! TUI's session, replay of a stored run, `workbook compare` and the trace
//! bench all feed events through the one [`RunModel::apply`], and every
//! recorded run (from the command line or the TUI) goes through the one
//! [`store`].
//!
//! The model does no drawing and prints nothing: [`RunModel::apply`] returns
//! what an event means for a reader ([`Said`]), and each view decides what to
//! show of it (the CLI echoes output lines, the TUI keeps them in a pane).
mod model;
pub mod store;

pub use model::{Phase, RunModel, Said, replay};
