//! Lesson 04's `memory_ordering`: the publish pattern (write the data, then
//! raise a flag) checked by loom, which runs a small concurrent closure under
//! every interleaving and every result the memory model allows a load to
//! return. With `Relaxed` on the flag loom finds a run where the reader sees
//! the flag but not the data; with `Release`/`Acquire` it finds none.
//! `lessons/tests/lesson_04_loom.rs` runs the same two checks as tests.
use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, AtomicU64};
use std::panic;
use std::sync::Mutex;
use std::sync::atomic::Ordering::{self, Acquire, Relaxed, Release};
use std::sync::atomic::{AtomicUsize, Ordering as StdOrdering};

/// What loom concluded about one pair of orderings.
#[derive(Debug)]
pub enum Verdict {
    /// Every execution kept the promise; this many were explored.
    Holds { executions: usize },
    /// Execution number `execution` broke it, with this message.
    Broken { execution: usize, message: String },
}

/// The publish pattern under loom: a writer stores 42 in `data` (Relaxed),
/// then sets `ready` with `store`; the reader loads `ready` with `load` and,
/// if it is set, must see 42.
pub fn check_publish(store: Ordering, load: Ordering) -> Verdict {
    // Statics, because loom's closure must be `'static`; one check at a time.
    static EXECUTIONS: AtomicUsize = AtomicUsize::new(0);
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    EXECUTIONS.store(0, StdOrdering::SeqCst);
    let quiet = panic::take_hook();
    panic::set_hook(Box::new(|_| {})); // loom's failure is reported below
    let outcome = panic::catch_unwind(move || {
        loom::model(move || {
            EXECUTIONS.fetch_add(1, StdOrdering::SeqCst);
            let data = Arc::new(AtomicU64::new(0));
            let ready = Arc::new(AtomicBool::new(false));
            let writer = {
                let (data, ready) = (Arc::clone(&data), Arc::clone(&ready));
                loom::thread::spawn(move || {
                    data.store(42, Relaxed);
                    ready.store(true, store);
                })
            };
            if ready.load(load) {
                let seen = data.load(Relaxed);
                assert_eq!(seen, 42, "the reader saw ready = true but data = {seen}");
            }
            writer.join().expect("the writer does not panic");
        });
    });
    panic::set_hook(quiet);
    let executions = EXECUTIONS.load(StdOrdering::SeqCst);
    match outcome {
        Ok(()) => Verdict::Holds { executions },
        Err(payload) => Verdict::Broken {
            execution: executions,
            message: payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_else(|| "a panic without a message".into()),
        },
    }
}

pub fn run() {
    println!("loom runs the publish pattern under every interleaving the memory model allows:");
    for (store, load) in [(Relaxed, Relaxed), (Release, Acquire)] {
        let _check = tracing::info_span!("loom::model", store = ?store, load = ?load).entered();
        let label = format!("ready.store(true, {store:?}) / ready.load({load:?})");
        match check_publish(store, load) {
            Verdict::Holds { executions } => {
                println!("  {label:<46}: holds in all {executions} executions");
            }
            Verdict::Broken { execution, message } => {
                let first = message.lines().next().unwrap_or_default();
                println!("  {label:<46}: BROKEN in execution {execution}: {first}");
                tracing::warn!(execution, "loom found the bug");
            }
        }
    }
    println!(
        "Why: with Relaxed nothing orders the two stores for another thread. The compiler may\n\
         swap them (on any CPU), and a weakly ordered CPU (ARM, POWER) may make them visible in\n\
         either order; x86 keeps stores in order, so a test there can pass for years. Release on\n\
         the flag and Acquire on its load make everything written before the store visible to\n\
         whoever sees the flag. SeqCst would work too, but is not what makes it right."
    );
}
