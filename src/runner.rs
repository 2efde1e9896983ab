//! Runs a lesson.
