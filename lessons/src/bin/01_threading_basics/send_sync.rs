//! The body of lesson 01's `send_sync` demo: what crosses threads, run for
//! real, then what the compiler refuses, printed from `send_sync.md` (the
//! examples `lessons/tests/send_sync.rs` compiles to keep them true).
use super::refused;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;
use tracing::{Instrument, info_span};

// Compile-time proof of the "yes" cells of the table below: these calls
// would not compile if a type lacked the trait.
const fn is_send<T: Send>() {}
const fn is_sync<T: Sync>() {}
const _: () = {
    is_send::<Arc<Mutex<Vec<u32>>>>();
    is_sync::<Arc<Mutex<Vec<u32>>>>();
    is_send::<Cell<u32>>();
    is_sync::<AtomicU64>();
    is_sync::<MutexGuard<'static, u32>>();
};

pub fn run() {
    println!("type                 Send  Sync  so");
    for (ty, send, sync, so) in [
        (
            "Arc<Mutex<T>>",
            "yes",
            "yes",
            "share and mutate from any thread",
        ),
        ("Rc<T>", "no", "no", "one thread only: use Arc"),
        (
            "RefCell<T>",
            "yes",
            "no",
            "a thread may own it, not share it: use Mutex",
        ),
        ("Cell<T>", "yes", "no", "the same: use an atomic"),
        ("AtomicU64", "yes", "yes", "share by reference"),
        ("*mut T", "no", "no", "only an `unsafe impl` can promise it"),
        (
            "MutexGuard<T>",
            "no",
            "yes",
            "unlock on the thread that locked",
        ),
    ] {
        println!("{ty:<20} {send:<5} {sync:<5} {so}");
    }

    // Arc<Mutex<_>>: Send and Sync, so three threads may each own a handle.
    let log = Arc::new(Mutex::new(Vec::new()));
    let waiting = info_span!("join", waiting_on = "three Arc<Mutex> threads").entered();
    let handles: Vec<_> = (0..3)
        .map(|id| {
            let log = Arc::clone(&log);
            thread::Builder::new()
                .name(format!("arc-mutex-{id}"))
                .spawn(move || {
                    let _work = info_span!("push", id).entered();
                    log.lock().expect("no panic").push(id);
                })
                .expect("a thread")
        })
        .collect();
    for handle in handles {
        handle.join().expect("no panic");
    }
    drop(waiting);
    println!(
        "\nArc<Mutex<Vec>>: three threads pushed {:?}",
        log.lock().expect("no panic")
    );

    // Cell: Send but not Sync. A thread may own one (moved in), as long as
    // nobody else can reach it.
    let hits = Cell::new(0);
    let owner = thread::Builder::new()
        .name("owns-a-cell".into())
        .spawn(move || {
            let _work = info_span!("count in a Cell").entered();
            for _ in 0..1000 {
                hits.set(hits.get() + 1);
            }
            hits.get()
        })
        .expect("a thread");
    let counted = {
        let _waiting = info_span!("join", waiting_on = "owns-a-cell").entered();
        owner.join().expect("no panic")
    };
    println!("Cell moved into one thread (Send, not Sync): it counted to {counted}");

    async_rules();

    println!("\nWhat the compiler refuses (each one compiled by lessons/tests/send_sync.rs):");
    for example in refused::examples() {
        println!("\n▸ {}", example.title);
        println!("  {}", example.why);
        for line in example.code.lines().filter(|l| !l.trim().is_empty()) {
            println!("    │ {line}");
        }
        match example.error {
            Some(error) if example.must_fail => println!("  ✗ {error}"),
            _ => println!("  ✓ compiles"),
        }
    }
}

/// `tokio::spawn` needs a `Send` future: nothing `!Send` may be alive at an
/// `.await`. A `LocalSet` runs `!Send` tasks on one thread instead.
fn async_rules() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("tokio-worker")
        .enable_all()
        .build()
        .expect("a runtime");
    let waiting = info_span!("block_on", waiting_on = "the tasks").entered();
    let (sent, local) = runtime.block_on(async {
        let spawned = tokio::spawn(
            async {
                let length = {
                    let name = Rc::new("spawned"); // dropped before the .await
                    name.len()
                };
                tokio::time::sleep(Duration::from_millis(20))
                    .instrument(info_span!("sleep", waiting_on = "a 20 ms timer"))
                    .await;
                length
            }
            .instrument(info_span!("send task", task = "send task")),
        );
        let local = tokio::task::LocalSet::new();
        let kept = local
            .run_until(async {
                let name = Rc::new("local"); // alive across the .await: fine here
                let task = tokio::task::spawn_local(
                    async move {
                        tokio::time::sleep(Duration::from_millis(20))
                            .instrument(info_span!("sleep", waiting_on = "a 20 ms timer"))
                            .await;
                        Rc::strong_count(&name)
                    }
                    .instrument(info_span!("local task", task = "local task")),
                );
                task.await.expect("no panic")
            })
            .await;
        (spawned.await.expect("no panic"), kept)
    });
    drop(waiting);
    println!(
        "tokio::spawn: a task that dropped its Rc before .await ran on a worker thread and returned {sent}"
    );
    println!(
        "LocalSet::spawn_local: a task holding an Rc across .await ran on this thread (count {local})"
    );
    runtime.shutdown_timeout(Duration::from_secs(1));
}
