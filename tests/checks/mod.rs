//! The exercise checks, written once and run twice: against your files in
//! `exercises/` (`cargo test -p exercises`) and against the reference answers
//! in `solutions/` (the root `cargo test`). Each file here checks one exercise;
//! the crate that includes this module names the crate under test `ex`.
//!
//! A check never hangs: anything that could deadlock runs on its own thread
//! under a deadline ([`within`]), and async checks run on tokio's paused clock
//! ([`paused`]), where timers fire at once and elapsed times are exact.
#![allow(dead_code)]

#[macro_use]
mod isolation;

use std::panic::resume_unwind;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

mod async_pool;
mod blocking_executor;
mod bounded_buffer;
mod bounded_pool;
mod budget;
mod cancel_downloads;
mod capture_output;
mod chat_server;
mod child_timeout;
mod countdown_latch;
mod crash_pool;
mod fetch_all;
mod first_answer;
mod frame_reader;
mod graceful_pool;
mod image_filter;
mod keep_going;
mod ledger;
mod line_protocol;
mod link_checker;
mod lost_update;
mod ordered_results;
mod philosophers;
mod pipe_between;
mod pipeline;
mod pool_lock;
mod probe;
mod rate_limiter;
mod relaxed_flag;
mod request_replies;
mod retry_backoff;
mod reusable_barrier;
mod semaphore;
mod shared_tally;
mod supervisor;
mod thread_results;
mod ticker;
mod web_crawler;
mod word_count;

/// How long a check waits for code that should finish in milliseconds.
pub const LIMIT: Duration = Duration::from_secs(3);

/// Runs `f` on its own thread and returns its result; if it has not finished
/// within `limit`, fails the check with `hang`, which names the likely bug.
/// A panic in `f` (a `todo!()`, a failed assertion) fails the check with the
/// panic's own message.
pub fn within<T: Send + 'static>(
    limit: Duration,
    hang: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name("check".into())
        .spawn(move || {
            let _ = tx.send(f());
        })
        .expect("cannot start a thread for the check");
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(RecvTimeoutError::Disconnected) => match handle.join() {
            Err(panic) => resume_unwind(panic),
            Ok(()) => unreachable!("the check thread ended without a result"),
        },
        // The stuck thread is left behind; the test process ends it on exit.
        Err(RecvTimeoutError::Timeout) => {
            panic!("did not finish within {} s: {hang}", limit.as_secs())
        }
    }
}

/// Runs the future that `make` builds on a single-threaded tokio runtime with
/// its clock paused (sleeps complete at once, in order, and
/// `tokio::time::Instant` measures virtual time exactly), on its own thread
/// under [`within`]'s deadline, in case the code blocks the thread for real.
pub fn paused<T, F>(hang: &str, make: impl FnOnce() -> F + Send + 'static) -> T
where
    T: Send + 'static,
    F: Future<Output = T> + 'static,
{
    within(LIMIT, hang, move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .expect("cannot build a tokio runtime")
            .block_on(make())
    })
}

/// Panics with `message` unless `actual` is within 5 ms of `expected`.
pub fn assert_about(actual: Duration, expected: Duration, message: &str) {
    let diff = actual.abs_diff(expected);
    assert!(
        diff <= Duration::from_millis(5),
        "{message}: took {actual:?} of virtual time, expected {expected:?}"
    );
}

/// Polls until this process has no child left (none running, none a zombie)
/// or 2 s pass; a child still there fails the check, saying `after` what.
pub fn assert_no_child_left(after: &str) {
    let me = std::process::id();
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    loop {
        let children = children_of(me);
        if children.is_empty() {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{after}, but a child of it was still there 2 s later ({}): \
             an error on the way out must not leave a child running, or unreaped (a zombie)",
            children.join(", ")
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Each child of process `parent`, as "pid name state" from /proc.
pub fn children_of(parent: u32) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // "pid (name) state ppid ...": the name may hold spaces.
            let (open, close) = (stat.find('(')?, stat.rfind(')')?);
            let mut rest = stat[close + 1..].split_whitespace();
            let state = rest.next()?;
            let ppid: u32 = rest.next()?.parse().ok()?;
            (ppid == parent).then(|| format!("{pid} {} {state}", &stat[open + 1..close]))
        })
        .collect()
}
