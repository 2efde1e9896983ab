//! Reference answers to the exercises, one file per exercise mirroring
//! `exercises/`. The root `cargo test` runs the exercise checks
//! (`tests/checks/`) against these files; `workbook solution NAME` shows
//! one once your own answer passes.

/// `std::sync`, under the name the exercises use. The loom checks
/// (`tests/loom.rs`) compile the same exercise files with `crate::sync` bound
/// to loom's types instead, so loom can try every interleaving of them.
pub mod sync {
    pub use std::sync::*;
}

#[path = "05_async_pool.rs"]
pub mod async_pool;
#[path = "03_blocking_executor.rs"]
pub mod blocking_executor;
#[path = "04_bounded_buffer.rs"]
pub mod bounded_buffer;
#[path = "01_bounded_pool.rs"]
pub mod bounded_pool;
#[path = "04_budget.rs"]
pub mod budget;
#[path = "06_cancel_downloads.rs"]
pub mod cancel_downloads;
#[path = "02_capture_output.rs"]
pub mod capture_output;
#[path = "03_chat_server.rs"]
pub mod chat_server;
#[path = "02_child_timeout.rs"]
pub mod child_timeout;
#[path = "03_countdown_latch.rs"]
pub mod countdown_latch;
#[path = "02_crash_pool.rs"]
pub mod crash_pool;
#[path = "03_fetch_all.rs"]
pub mod fetch_all;
#[path = "03_first_answer.rs"]
pub mod first_answer;
#[path = "03_frame_reader.rs"]
pub mod frame_reader;
#[path = "05_graceful_pool.rs"]
pub mod graceful_pool;
#[path = "06_image_filter.rs"]
pub mod image_filter;
#[path = "05_keep_going.rs"]
pub mod keep_going;
#[path = "06_ledger.rs"]
pub mod ledger;
#[path = "02_line_protocol.rs"]
pub mod line_protocol;
#[path = "06_link_checker.rs"]
pub mod link_checker;
#[path = "01_lost_update.rs"]
pub mod lost_update;
#[path = "01_ordered_results.rs"]
pub mod ordered_results;
#[path = "04_philosophers.rs"]
pub mod philosophers;
#[path = "02_pipe_between.rs"]
pub mod pipe_between;
#[path = "05_pipeline.rs"]
pub mod pipeline;
#[path = "05_pool_lock.rs"]
pub mod pool_lock;
#[path = "06_rate_limiter.rs"]
pub mod rate_limiter;
#[path = "04_relaxed_flag.rs"]
pub mod relaxed_flag;
#[path = "03_request_replies.rs"]
pub mod request_replies;
#[path = "06_retry_backoff.rs"]
pub mod retry_backoff;
#[path = "04_reusable_barrier.rs"]
pub mod reusable_barrier;
#[path = "04_semaphore.rs"]
pub mod semaphore;
#[path = "01_shared_tally.rs"]
pub mod shared_tally;
#[path = "02_supervisor.rs"]
pub mod supervisor;
#[path = "01_thread_results.rs"]
pub mod thread_results;
#[path = "05_ticker.rs"]
pub mod ticker;
#[path = "06_web_crawler.rs"]
pub mod web_crawler;
#[path = "01_word_count.rs"]
pub mod word_count;
