//! Runs the exercise checks in `tests/checks/` against the `solutions` crate.
use solutions as ex;

#[path = "../../tests/checks/mod.rs"]
mod checks;
