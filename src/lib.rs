//! The concurrency workbook: lessons record what their threads, tasks and
//! processes do; the runner collects it; one timeline model serves the text
//! view, the TUI and the Perfetto export.
//!
//! The spine, in the order a run goes through it:
//! lesson ([`record`]) → [`wire`] → [`runner`] → [`run`] (the model of one
//! run, over [`timeline`], and its store) → [`views`] and [`tui`].
pub mod bench;
pub mod cargo_json;
pub mod catalog;
pub mod cli;
mod cli_args;
mod cli_ask;
mod cli_run;
pub mod compare;
pub mod exercises;
pub mod files;
pub mod questions;
pub mod run;
pub mod runner;
pub mod timeline;
pub mod tui;
pub mod views;

// The trace contract lives in its own crate (src/trace), which the lessons
// link without the app; these keep the app's paths `crate::wire` and so on.
pub use workbook_trace::{measuring, record, wire};

/// The code lesson 01 shows as refused by the compiler (`Send`, `Sync`, a
/// `&mut` lent twice), as doctests: each `compile_fail` block fails
/// `cargo test` if the compiler accepts it. `lessons/tests/send_sync.rs` also checks
/// the exact error each one gives.
#[cfg(doctest)]
#[doc = include_str!("../lessons/src/bin/01_threading_basics/send_sync.md")]
mod send_sync_examples {}
