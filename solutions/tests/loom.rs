//! The loom models in `tests/checks/loom_models.rs`, run against the `solutions`
//! files that use `crate::sync`: here that name is bound to loom's types,
//! so loom can run each model under every interleaving of its threads.
#![allow(dead_code)]

#[path = "../../tests/checks/loom_sync.rs"]
mod sync;

#[path = "../01_lost_update.rs"]
mod lost_update;

#[path = "../03_countdown_latch.rs"]
mod countdown_latch;

#[path = "../04_bounded_buffer.rs"]
mod bounded_buffer;

#[path = "../04_semaphore.rs"]
mod semaphore;

#[path = "../04_budget.rs"]
mod budget;

#[path = "../04_relaxed_flag.rs"]
mod relaxed_flag;

#[path = "../04_reusable_barrier.rs"]
mod reusable_barrier;

#[macro_use]
#[path = "../../tests/checks/isolation.rs"]
mod isolation;

#[path = "../../tests/checks/loom_models.rs"]
mod models;
