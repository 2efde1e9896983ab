//! Views of the timeline model.
