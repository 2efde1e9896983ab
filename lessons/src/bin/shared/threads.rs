//! Thread helpers shared by lessons 04 and 05 (`#[path]`); neither is the
//! point of any demo.
use std::thread;

/// Spawns a named scoped thread: names show in logs, panics, debuggers and
/// the timeline's lanes.
pub fn named<'scope, T: Send + 'scope>(
    scope: &'scope thread::Scope<'scope, '_>,
    name: &str,
    work: impl FnOnce() -> T + Send + 'scope,
) -> thread::ScopedJoinHandle<'scope, T> {
    thread::Builder::new()
        .name(name.to_string())
        .spawn_scoped(scope, work)
        .expect("spawn a thread")
}

/// A tokio runtime with two worker threads, one per core of the test
/// machine (the async demos mostly wait, so more would not help).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("start a tokio runtime")
}
