//! Runs the exercise checks in `tests/checks/` against the `exercises` crate.
use exercises as ex;

#[path = "../../tests/checks/mod.rs"]
mod checks;
