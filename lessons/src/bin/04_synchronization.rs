//! # Lesson 04 · Synchronization
//!
//! Threads that share data must take turns, and must be able to tell each
//! other "ready", "stop" or "done". Rust already refuses to compile a data
//! race (lesson 01), but it cannot stop a program from losing an update made
//! of two steps, from two threads waiting on each other forever, or from one
//! thread never getting a turn. This lesson shows the tools, `Mutex`, a
//! semaphore, `Condvar`, `park`, `Barrier`, bounded channels, `RwLock`,
//! `OnceLock`/`LazyLock` and atomics, and the ways they go wrong.
//!
//! Every blocking wait below sits in a span with a `waiting_on` field (main
//! waiting in `thread::scope` or `block_on` too), and every stretch of
//! holding a lock in a `holding` span, so the timeline shows who waits on
//! whom. The hand-built primitives and small helpers are in
//! `04_synchronization/`.
use std::panic;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, LazyLock, Mutex, OnceLock, RwLock};
use std::thread;
use std::time::{Duration, Instant};
use tracing::{Instrument, info_span};
use workbook_trace::lesson::{Demo, run_demos};

#[path = "04_synchronization/cas.rs"]
mod cas;
#[path = "04_synchronization/fair.rs"]
mod fair;
#[path = "04_synchronization/false_sharing.rs"]
mod false_sharing;
#[path = "04_synchronization/helpers.rs"]
mod helpers;
#[path = "04_synchronization/ordering.rs"]
mod ordering;
#[path = "04_synchronization/primitives.rs"]
mod primitives;
#[path = "04_synchronization/spin.rs"]
mod spin;
#[path = "shared/threads.rs"]
mod threads;
#[path = "04_synchronization/wait_for.rs"]
mod wait_for;

use helpers::{busy_for, hog, lock, wait_at};
use primitives::{Event, Semaphore};
use threads::{named, runtime};
use wait_for::{Account, transfer_or_back_off};
use workbook_trace::measuring::{Watch, one_run};

fn main() -> std::process::ExitCode {
    let _recording = workbook_trace::record::init();
    run_demos("04_synchronization", DEMOS)
}

#[rustfmt::skip]
const DEMOS: &[Demo] = &[
    Demo { name: "mutex_guard", covers: "S1, C3", run: mutex_guard },
    Demo { name: "semaphore", covers: "S2", run: semaphore },
    Demo { name: "condvar_event", covers: "S3", run: condvar_event },
    Demo { name: "park_flag_barrier", covers: "S3", run: park_flag_barrier },
    Demo { name: "sync_channel", covers: "S4", run: sync_channel },
    Demo { name: "lost_update", covers: "S5", run: lost_update },
    Demo { name: "deadlock", covers: "S6", run: deadlock },
    Demo { name: "starvation", covers: "S7", run: starvation },
    Demo { name: "spin_lock", covers: "S7, S9", run: spin::run },
    Demo { name: "rwlock", covers: "S8", run: rwlock },
    Demo { name: "once_and_poison", covers: "S8", run: once_and_poison },
    Demo { name: "atomics", covers: "S9", run: atomics },
    Demo { name: "memory_ordering", covers: "S9", run: memory_ordering },
    Demo { name: "compare_and_swap", covers: "S5, S9", run: compare_and_swap },
    Demo { name: "false_sharing", covers: "S9", run: false_sharing },
    Demo { name: "which_primitive", covers: "S10, C2", run: which_primitive },
];

// ── mutex_guard ──
// The guard *is* the lock: `lock()` returns a `MutexGuard`, and the mutex
// unlocks when the guard goes out of scope (RAII, Rust's `with lock:`: no
// unlock to forget, even on an early return or a panic). Four threads each compute four
// values (a 15 ms sleep stands in for the work) and push them into one Vec.
// Run 1 keeps the guard while computing; run 2 computes first and locks only
// to push.
// Timeline: run 1 is a staircase, one lane `holding` and three waiting on
// "results"; in run 2 the `work` spans overlap and the waits are slivers.
// Main waits in `thread::scope` (its own waiting span) the whole time.
fn mutex_guard() {
    let watch = Watch::start();
    for hold_while_working in [true, false] {
        let results = Mutex::new(Vec::new());
        let started = Instant::now();
        let waiting = info_span!("thread::scope", waiting_on = "workers").entered();
        thread::scope(|s| {
            for id in 0..4_u64 {
                let results = &results;
                named(s, &format!("worker-{id}"), move || {
                    for step in 0..4 {
                        if hold_while_working {
                            let mut guard = lock(results, "results");
                            let _held = info_span!("holding", lock = "results").entered();
                            guard.push(slow_square(id * 4 + step));
                        } else {
                            let value = slow_square(id * 4 + step);
                            let mut guard = lock(results, "results");
                            guard.push(value);
                        } // the guard is dropped here: unlocked
                    }
                });
            }
        });
        drop(waiting);
        let count = results.into_inner().expect("no thread panicked").len();
        let how = if hold_while_working {
            "held through the work"
        } else {
            "held only to push"
        };
        println!(
            "lock {how:<22}: {count} results in {:>3} ms",
            started.elapsed().as_millis()
        );
    }
    println!(
        "{}",
        one_run(
            &watch.finish(),
            "16 steps of 15 ms: about 240 ms one at a time, 60 ms four at a time",
        )
    );
}

fn slow_square(x: u64) -> u64 {
    let _work = info_span!("work", x).entered();
    thread::sleep(Duration::from_millis(15));
    x * x
}

// ── semaphore ──
// std has no semaphore, but one is a counter behind a Mutex plus a Condvar
// to sleep on while the counter is zero (`Semaphore` in
// `04_synchronization/primitives.rs`, 30 lines). `acquire` returns a permit
// that gives itself back when dropped (RAII, like Python's `with
// semaphore:`). Six threads share two permits; then six tokio tasks share
// tokio's.
// Timeline: never more than two `download` lanes holding a permit, the rest
// waiting on "semaphore"; then task lanes doing the same.
fn semaphore() {
    let watch = Watch::start();
    let permits = Semaphore::new(2);
    let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let started = Instant::now();
    let waiting = info_span!("thread::scope", waiting_on = "downloads").entered();
    thread::scope(|s| {
        for id in 0..6 {
            let (permits, inside, most) = (&permits, &inside, &most);
            named(s, &format!("download-{id}"), move || {
                let _permit = permits.acquire();
                most.fetch_max(inside.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                let _held = info_span!("holding", lock = "permit").entered();
                thread::sleep(Duration::from_millis(40));
                inside.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    drop(waiting);
    println!(
        "Mutex+Condvar semaphore: 6 threads × 40 ms, 2 permits: {} ms, at most {} inside at once",
        started.elapsed().as_millis(),
        most.load(Ordering::SeqCst)
    );

    let runtime = runtime();
    let started = Instant::now();
    let waiting = info_span!("block_on", waiting_on = "tasks").entered();
    let most = runtime.block_on(async {
        let permits = Arc::new(tokio::sync::Semaphore::new(2));
        let inside = Arc::new(AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for id in 0..6 {
            let (permits, inside) = (permits.clone(), inside.clone());
            let job = async move {
                let _permit = permits.acquire().await.expect("semaphore is never closed");
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(Duration::from_millis(40)).await;
                inside.fetch_sub(1, Ordering::SeqCst);
                now
            };
            tasks.spawn(job.instrument(info_span!("download", task = %format!("download {id}"))));
        }
        tasks.join_all().await.into_iter().max().unwrap_or(0)
    });
    drop(waiting);
    println!(
        "tokio::sync::Semaphore:  6 tasks × 40 ms, 2 permits: {} ms, at most {most} inside at once",
        started.elapsed().as_millis()
    );
    println!(
        "{}",
        one_run(
            &watch.finish(),
            "6 waits of 40 ms, 2 at a time: about 120 ms"
        )
    );
}

// ── condvar_event ──
// A Condvar lets threads sleep until shared state changes, here the flag
// "oven is hot" (Python's `threading.Event`, rebuilt as `Event` in
// `04_synchronization/primitives.rs`). Wait in a `while` loop on the
// state itself, never an `if`: a wait may return without a notify (a
// spurious wake-up), and another thread may change the state again before
// the woken one runs. The flag behind the Mutex also remembers a `set` that
// happened before anyone waited; a bare notify would be lost.
// Timeline: three `cook` lanes wait on "oven hot" until the `oven` lane
// sets it; then they run together. The late cook never waits.
fn condvar_event() {
    let watch = Watch::start();
    let oven_hot = Event::new();
    let started = Instant::now();
    let waiting = info_span!("thread::scope", waiting_on = "cooks and the oven").entered();
    thread::scope(|s| {
        for (cook, arrives_ms) in [(1, 0), (2, 10), (3, 20), (4, 120)] {
            let oven_hot = &oven_hot;
            named(s, &format!("cook-{cook}"), move || {
                thread::sleep(Duration::from_millis(arrives_ms));
                oven_hot.wait("oven hot");
                let _work = info_span!("bake").entered();
                println!(
                    "cook-{cook} (arrived at {arrives_ms:>3} ms) starts baking at {:>3} ms",
                    started.elapsed().as_millis()
                );
                thread::sleep(Duration::from_millis(20));
            });
        }
        named(s, "oven", || {
            let _work = info_span!("heating").entered();
            thread::sleep(Duration::from_millis(80));
            oven_hot.set();
            tracing::info!("oven hot");
        });
    });
    drop(waiting);
    println!(
        "{}",
        one_run(
            &watch.finish(),
            "the oven is hot at 80 ms; nobody bakes before it"
        )
    );
}

// ── park_flag_barrier ──
// Three lighter signals. `thread::park` sleeps until someone calls `unpark`
// on this thread's handle; it may also return early, so park in a loop on a
// flag. An `AtomicBool` asks a busy thread to stop at its next check, no lock
// needed. A `Barrier` holds N threads until all N have arrived, then lets
// them all go at once.
// Timeline: `parked` waits until main unparks it; `spinner` runs (busy)
// until the flag; the three `stage` lanes reach the barrier at different
// times and leave it together. Main waits in each `thread::scope`.
fn park_flag_barrier() {
    let watch = Watch::start();
    let ready = AtomicBool::new(false);
    let started = Instant::now();
    let waiting = info_span!("thread::scope", waiting_on = "parked").entered();
    let woke_at = thread::scope(|s| {
        let sleeper = named(s, "parked", || {
            let _waiting = info_span!("park", waiting_on = "unpark from main").entered();
            while !ready.load(Ordering::Acquire) {
                thread::park_timeout(Duration::from_millis(500));
            }
            started.elapsed()
        });
        thread::sleep(Duration::from_millis(30));
        ready.store(true, Ordering::Release);
        sleeper.thread().unpark();
        sleeper.join().expect("no panic")
    });
    drop(waiting);
    println!(
        "park/unpark: main unparked after 30 ms, the parked thread woke at {} ms",
        woke_at.as_millis()
    );

    let stop = AtomicBool::new(false);
    let waiting = info_span!("thread::scope", waiting_on = "spinner").entered();
    let (rounds, latency) = thread::scope(|s| {
        let spinner = named(s, "spinner", || {
            let _work = info_span!("spin until asked to stop").entered();
            let mut rounds = 0_u64;
            while !stop.load(Ordering::Relaxed) {
                busy_for(Duration::from_millis(1));
                rounds += 1;
            }
            rounds
        });
        thread::sleep(Duration::from_millis(50));
        let asked = Instant::now();
        stop.store(true, Ordering::Relaxed);
        let rounds = spinner.join().expect("no panic");
        (rounds, asked.elapsed())
    });
    drop(waiting);
    println!(
        "stop flag: the spinner did {rounds} rounds of 1 ms and stopped {} µs after being asked",
        latency.as_micros()
    );

    let barrier = Barrier::new(3);
    let started = Instant::now();
    let waiting = info_span!("thread::scope", waiting_on = "stages").entered();
    thread::scope(|s| {
        for (stage, work_ms) in [(1, 10), (2, 40), (3, 70)] {
            let barrier = &barrier;
            named(s, &format!("stage-{stage}"), move || {
                {
                    let _work = info_span!("phase 1").entered();
                    thread::sleep(Duration::from_millis(work_ms));
                }
                let arrived = started.elapsed().as_millis();
                {
                    let _waiting =
                        info_span!("barrier", waiting_on = "barrier (3 threads)").entered();
                    barrier.wait();
                }
                let left = started.elapsed().as_millis();
                let _work = info_span!("phase 2").entered();
                println!("barrier: stage-{stage} arrived at {arrived:>2} ms, left at {left:>2} ms");
            });
        }
    });
    drop(waiting);
    println!(
        "{}",
        one_run(
            &watch.finish(),
            "times are sleeps plus wake-ups; a stop takes about one 1 ms round on a free core",
        )
    );
}

// ── sync_channel ──
// `mpsc::sync_channel(2)` is a queue that holds at most two items: `send`
// blocks while it is full, `recv` while it is empty. No sentinel ("poison
// pill") is needed to stop the consumer: once every Sender is dropped, `recv`
// returns `Err` after the last item and the loop ends by itself.
// Timeline: the two producers wait on "queue full" (backpressure), the
// consumer waits on "queue empty" only at the start and never at the end.
fn sync_channel() {
    let watch = Watch::start();
    let (tx, rx) = mpsc::sync_channel::<String>(2);
    let blocked_us = AtomicU64::new(0);
    let started = Instant::now();
    let waiting = info_span!("thread::scope", waiting_on = "producers and consumer").entered();
    thread::scope(|s| {
        for p in 0..2 {
            let (tx, blocked_us) = (tx.clone(), &blocked_us);
            named(s, &format!("producer-{p}"), move || {
                for n in 0..4 {
                    let asked = Instant::now();
                    let _waiting = info_span!("send", waiting_on = "queue full").entered();
                    tx.send(format!("p{p}-{n}")).expect("the consumer hung up");
                    blocked_us.fetch_add(asked.elapsed().as_micros() as u64, Ordering::Relaxed);
                }
            }); // this producer's Sender is dropped when its closure ends
        }
        drop(tx); // main's own Sender too, or the channel would never close
        named(s, "consumer", move || {
            let mut got = Vec::new();
            loop {
                let next = {
                    let _waiting = info_span!("recv", waiting_on = "queue empty").entered();
                    rx.recv()
                };
                let Ok(item) = next else { break };
                let _work = info_span!("consume").entered();
                thread::sleep(Duration::from_millis(15));
                got.push(item);
            }
            println!(
                "consumer got {} items, then recv() returned Err: all Senders dropped",
                got.len()
            );
            println!("  order: {}", got.join(" "));
        });
    });
    drop(waiting);
    println!(
        "producers spent {} ms blocked in send (queue of 2, consumer 15 ms per item); total {} ms",
        blocked_us.load(Ordering::Relaxed) / 1000,
        started.elapsed().as_millis()
    );
    println!(
        "{}",
        one_run(
            &watch.finish(),
            "8 items × 15 ms of consuming: about 120 ms"
        )
    );
}

// ── lost_update ──
// Safe Rust forbids data races, not race conditions. Two ways to lose work
// with no `unsafe` in sight: (1) an atomic read, then an atomic write of the
// value plus one: each step is atomic, the pair is not, so increments made
// in between are overwritten; (2) check-then-act: "is the balance enough?"
// under one lock guard, "withdraw" under another, with other threads
// withdrawing in the gap. The fixes: one atomic read-modify-write
// (`fetch_add`), and one guard held across both the check and the act.
// Timeline: four `counter` lanes busy in `count`, three runs; then the
// `buyer` lanes each wait on the "balance" lock twice in the broken run,
// once in the fixed run.
fn lost_update() {
    const THREADS: u64 = 4;
    const EACH: u64 = 2_000_000;
    for fixed in [false, false, true] {
        let count = AtomicU64::new(0);
        let start_line = Barrier::new(THREADS as usize);
        let waiting = info_span!("thread::scope", waiting_on = "counters").entered();
        thread::scope(|s| {
            for t in 0..THREADS {
                let (count, start_line) = (&count, &start_line);
                named(s, &format!("counter-{t}"), move || {
                    wait_at(start_line);
                    let _work = info_span!("count", fixed).entered();
                    for _ in 0..EACH {
                        if fixed {
                            count.fetch_add(1, Ordering::Relaxed);
                        } else {
                            let seen = count.load(Ordering::Relaxed);
                            count.store(seen + 1, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        drop(waiting);
        let got = count.into_inner();
        let how = if fixed {
            "fetch_add     "
        } else {
            "load then store"
        };
        let lost = THREADS * EACH - got;
        println!(
            "{how}: expected {}, got {got:>7}, lost {lost}",
            THREADS * EACH
        );
        if lost == 0 && !fixed {
            println!(
                "  (nothing lost this time: the threads happened not to overlap; the race is still there)"
            );
        }
    }

    for fixed in [false, true] {
        let balance = Mutex::new(100_i64);
        let paid = AtomicU64::new(0);
        let waiting = info_span!("thread::scope", waiting_on = "buyers").entered();
        thread::scope(|s| {
            for b in 0..6 {
                let (balance, paid) = (&balance, &paid);
                named(s, &format!("buyer-{b}"), move || {
                    if fixed {
                        let mut money = lock(balance, "balance");
                        if *money >= 30 {
                            *money -= 30;
                            paid.fetch_add(1, Ordering::Relaxed);
                        }
                    } else {
                        let enough = *lock(balance, "balance") >= 30; // guard dropped at the `;`
                        if enough {
                            thread::sleep(Duration::from_millis(5)); // anything can happen here
                            *lock(balance, "balance") -= 30;
                            paid.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        drop(waiting);
        let how = if fixed {
            "check and act under one guard"
        } else {
            "check, unlock, then act"
        };
        println!(
            "{how:<29}: 6 buyers × 30 from 100 → {} paid, balance {}",
            paid.into_inner(),
            balance.into_inner().expect("no panic")
        );
    }
}

// ── deadlock ──
// Two threads, two locks, opposite order: thread-a moves money from account
// A to B (takes lock A, then lock B), thread-b from B to A (lock B, then A).
// Each gets its first lock and then waits for the one the other holds:
// neither can go on. std's `lock()` has no timeout, so a real deadlock would
// hang this lesson for ever; here the second lock is asked for with
// `try_lock` until a deadline, and each thread notes in a table what it holds
// and waits on. A watchdog reads the table every 50 ms; a cycle still there
// after 300 ms is a deadlock: it says who waits on whom and asks one thread
// to back off (release its lock and retry later); the transfer itself is
// `transfer_or_back_off` in `04_synchronization/wait_for.rs`. Then the fix:
// both threads take the locks in one global order (A before B), so a cycle
// cannot form.
// Timeline: thread-a and thread-b sit in overlapping waits, each on the lock
// the other is `holding`, until the watchdog's "deadlock detected" mark;
// then the same two names busy with `transfers`, with only slivers of wait.
fn deadlock() {
    let watch = Watch::start();
    let a = Account {
        lock_name: "lock A",
        balance: Mutex::new(100),
    };
    let b = Account {
        lock_name: "lock B",
        balance: Mutex::new(100),
    };
    let table = Mutex::new(wait_for::WaitFor::default());
    let both_hold_one = Barrier::new(2);
    let finished = AtomicUsize::new(0);
    let started = Instant::now();
    let waiting =
        info_span!("thread::scope", waiting_on = "thread-a, thread-b, watchdog").entered();
    thread::scope(|s| {
        for (name, from, to) in [("thread-a", &a, &b), ("thread-b", &b, &a)] {
            let (table, barrier, finished) = (&table, &both_hold_one, &finished);
            named(s, name, move || {
                let mut first_try = Some(barrier);
                while transfer_or_back_off(from, to, 10, table, first_try.take()).is_err() {
                    println!(
                        "{name} backed off: released {} and will retry",
                        from.lock_name
                    );
                    thread::sleep(Duration::from_millis(20));
                }
                println!(
                    "{name} got both locks and moved 10 from {} to {} at {} ms",
                    from.lock_name.replace("lock", "account"),
                    to.lock_name.replace("lock", "account"),
                    started.elapsed().as_millis()
                );
                finished.fetch_add(1, Ordering::SeqCst);
            });
        }
        named(s, "watchdog", || {
            let mut cycle_since: Option<Instant> = None;
            while finished.load(Ordering::SeqCst) < 2 && started.elapsed() < Duration::from_secs(5)
            {
                thread::sleep(Duration::from_millis(50));
                let mut table = table.lock().expect("no panic");
                let Some(cycle) = table.find_cycle() else {
                    cycle_since = None;
                    continue;
                };
                let since = *cycle_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= Duration::from_millis(300) && table.victim.is_none() {
                    let who = wait_for::describe(&cycle);
                    println!(
                        "watchdog: deadlock detected at {} ms (the same cycle for 300 ms): {who}",
                        started.elapsed().as_millis()
                    );
                    tracing::warn!(cycle = %who, "deadlock detected");
                    table.victim = cycle.last().map(|link| link.thread.clone());
                }
            }
        });
    });
    drop(waiting);

    // The fix: every thread locks the account with the smaller name first.
    let start_line = Barrier::new(2);
    let started = Instant::now();
    let waiting = info_span!("thread::scope", waiting_on = "thread-a and thread-b").entered();
    thread::scope(|s| {
        for (name, from, to) in [("thread-a", &a, &b), ("thread-b", &b, &a)] {
            let start_line = &start_line;
            named(s, name, move || {
                wait_at(start_line);
                let _work = info_span!("transfers", count = 2_000).entered();
                for _ in 0..2_000 {
                    let (first, second) = if from.lock_name < to.lock_name {
                        (from, to)
                    } else {
                        (to, from)
                    };
                    let mut g1 = lock(&first.balance, first.lock_name);
                    let mut g2 = lock(&second.balance, second.lock_name);
                    let (src, dst) = if first.lock_name == from.lock_name {
                        (&mut g1, &mut g2)
                    } else {
                        (&mut g2, &mut g1)
                    };
                    **src -= 1;
                    **dst += 1;
                }
            });
        }
    });
    drop(waiting);
    let total = *lock(&a.balance, "lock A") + *lock(&b.balance, "lock B");
    println!(
        "lock ordering (A before B): 2 threads × 2000 transfers in opposite directions, {} ms, no deadlock, total still {total}",
        started.elapsed().as_millis()
    );
    println!(
        "{}",
        one_run(
            &watch.finish(),
            "the stand-off lasts until the watchdog has seen the cycle for 300 ms",
        )
    );
}

// ── starvation ──
// A lock is not a queue. `greedy` holds the lock 2 ms at a time and locks
// again the moment it unlocks; `polite` wants it once. Run 1: polite polls
// with `try_lock` every millisecond; the lock is free only in the
// nanoseconds between greedy's unlock and relock, so polite starves until
// greedy stops. Run 2: polite blocks in `lock()`; std promises no order, so
// whether the woken polite beats greedy's relock is a race (measured). Run 3:
// a first-come, first-served ticket lock (`04_synchronization/fair.rs`)
// serves polite right after greedy's current turn.
// Timeline: in run 1 `polite` waits through all of greedy's `holding`
// spans; in run 3 its wait is one span long.
fn starvation() {
    const GREEDY_FOR: Duration = Duration::from_millis(200);
    let watch = Watch::start();
    let unfair = Mutex::new(0_u64);
    let waiting = info_span!("thread::scope", waiting_on = "greedy and polite").entered();
    let (turns, (tries, waited)) = thread::scope(|s| {
        let greedy = named(s, "greedy", || {
            hog(GREEDY_FOR, || unfair.lock().expect("no panic"))
        });
        let polite = named(s, "polite", || {
            thread::sleep(Duration::from_millis(20));
            let asked = Instant::now();
            let _waiting = info_span!("try_lock", waiting_on = "shared (try_lock)").entered();
            let mut tries = 1;
            while unfair.try_lock().is_err() {
                thread::sleep(Duration::from_millis(1));
                tries += 1;
            }
            (tries, asked.elapsed())
        });
        let turns = greedy.join().expect("no panic");
        (turns, polite.join().expect("no panic"))
    });
    drop(waiting);
    println!(
        "std Mutex, polite polls try_lock: greedy took {turns:>3} turns; polite failed {} tries, waited {:>3} ms",
        tries - 1,
        waited.as_millis()
    );

    let waiting = info_span!("thread::scope", waiting_on = "greedy and polite").entered();
    let (turns, waited) = thread::scope(|s| {
        let greedy = named(s, "greedy", || {
            hog(GREEDY_FOR, || unfair.lock().expect("no panic"))
        });
        let polite = named(s, "polite", || {
            thread::sleep(Duration::from_millis(20));
            let asked = Instant::now();
            let _value = lock(&unfair, "shared");
            asked.elapsed()
        });
        let turns = greedy.join().expect("no panic");
        (turns, polite.join().expect("no panic"))
    });
    drop(waiting);
    println!(
        "std Mutex, polite blocks in lock:  greedy took {turns:>3} turns; polite waited {:>3} ms (a race: varies)",
        waited.as_millis()
    );

    let fair = fair::FairMutex::new(0_u64);
    let fair_lock = || {
        let _waiting = info_span!("lock", waiting_on = "shared (fair)").entered();
        fair.lock()
    };
    let waiting = info_span!("thread::scope", waiting_on = "greedy and polite").entered();
    let (turns, waited) = thread::scope(|s| {
        let greedy = named(s, "greedy", || hog(GREEDY_FOR, fair_lock));
        let polite = named(s, "polite", || {
            thread::sleep(Duration::from_millis(20));
            let asked = Instant::now();
            let _value = fair_lock();
            asked.elapsed()
        });
        let turns = greedy.join().expect("no panic");
        (turns, polite.join().expect("no panic"))
    });
    drop(waiting);
    println!(
        "ticket lock, polite blocks:        greedy took {turns:>3} turns; polite waited {:>3} ms",
        waited.as_millis()
    );
    println!(
        "{}",
        one_run(
            &watch.finish(),
            "greedy holds the lock 2 ms a turn for 200 ms; who gets a freed lock is a race",
        )
    );
}

// ── rwlock ──
// An `RwLock` lets many readers in at once, or one writer alone. Three
// readers read a config three times each (20 ms a read) while a writer
// updates it once. On Linux, std's RwLock makes new readers wait once a
// writer is waiting, so the writer is not starved by a stream of readers.
// Timeline: the `reading` spans of the three readers overlap; the writer
// waits on "config (write)" until the current reads end, and readers that
// come after it wait on "config (read)".
fn rwlock() {
    let watch = Watch::start();
    let config = RwLock::new(String::from("v1"));
    let started = Instant::now();
    let waiting = info_span!("thread::scope", waiting_on = "readers and writer").entered();
    let writer_waited = thread::scope(|s| {
        for r in 0..3 {
            let config = &config;
            named(s, &format!("reader-{r}"), move || {
                for _ in 0..3 {
                    let current = {
                        let _waiting =
                            info_span!("read lock", waiting_on = "config (read)").entered();
                        config.read().expect("no panic")
                    };
                    let _held = info_span!("reading", version = %*current).entered();
                    thread::sleep(Duration::from_millis(20));
                }
            });
        }
        let writer = named(s, "writer", || {
            thread::sleep(Duration::from_millis(25));
            let asked = Instant::now();
            let mut current = {
                let _waiting = info_span!("write lock", waiting_on = "config (write)").entered();
                config.write().expect("no panic")
            };
            let waited = asked.elapsed();
            let _held = info_span!("writing").entered();
            thread::sleep(Duration::from_millis(10));
            *current = String::from("v2");
            waited
        });
        writer.join().expect("no panic")
    });
    drop(waiting);
    println!(
        "9 reads of 20 ms + 1 write of 10 ms in {} ms (one at a time: 190 ms); the writer waited {} ms; config is now {}",
        started.elapsed().as_millis(),
        writer_waited.as_millis(),
        config.read().expect("no panic")
    );
    println!(
        "{}",
        one_run(&watch.finish(), "one read at a time would take 190 ms")
    );
}

// ── once_and_poison ──
// `LazyLock` computes a value on first use, once, even when four threads
// ask at the same moment (the others wait for the first); `OnceLock` is the
// same with the value supplied at run time. Poisoning: a thread that panics
// while holding a `Mutex` marks it poisoned, and every later `lock()`
// returns `Err`, because the data may be half-updated. The data is still
// there (`into_inner`), and you decide whether it can be trusted.
// Timeline: four `reader` lanes in `first use` for the same stretch: one
// of them runs the initializer (a `computing primes` span inside its wait),
// the other three wait on "LazyLock PRIMES"; then `clumsy`, a short lane.
fn once_and_poison() {
    // A `static` may sit inside a function: only this demo can see it.
    static PRIMES_COMPUTED: AtomicUsize = AtomicUsize::new(0);
    static PRIMES: LazyLock<Vec<u32>> = LazyLock::new(|| {
        let _work = info_span!("computing primes").entered();
        PRIMES_COMPUTED.fetch_add(1, Ordering::SeqCst);
        (2..200_000_u32)
            .filter(|n| (2..*n).take_while(|d| d * d <= *n).all(|d| n % d != 0))
            .collect()
    });

    let owner: OnceLock<String> = OnceLock::new();
    let waiting = info_span!("thread::scope", waiting_on = "readers").entered();
    thread::scope(|s| {
        for t in 0..4 {
            let owner = &owner;
            named(s, &format!("reader-{t}"), move || {
                let count = {
                    let _waiting =
                        info_span!("first use", waiting_on = "LazyLock PRIMES").entered();
                    PRIMES.len()
                };
                owner.get_or_init(|| format!("reader-{t}"));
                count
            });
        }
    });
    drop(waiting);
    println!(
        "LazyLock: 4 threads used PRIMES ({} primes), computed {} time(s); OnceLock was set by {}",
        PRIMES.len(),
        PRIMES_COMPUTED.load(Ordering::SeqCst),
        owner.get().map_or("nobody", String::as_str)
    );

    let ledger = Mutex::new(vec![10, 20, 30]);
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        let name = thread::current().name().unwrap_or("?").to_string();
        println!(
            "  (expected) {name} panicked: {}",
            info.payload().downcast_ref::<&str>().unwrap_or(&"?")
        );
    }));
    let waiting = info_span!("thread::scope", waiting_on = "clumsy").entered();
    thread::scope(|s| {
        let clumsy = named(s, "clumsy", || {
            let _work = info_span!("update the ledger").entered();
            let mut entries = ledger.lock().expect("not poisoned yet");
            entries.push(40);
            panic!("bug while holding the ledger lock");
        });
        assert!(clumsy.join().is_err(), "the thread panicked");
    });
    drop(waiting);
    panic::set_hook(default_hook);
    match ledger.lock() {
        Ok(_) => println!("not poisoned?"),
        Err(poisoned) => {
            println!("ledger.lock() now returns Err: {poisoned}");
            println!(
                "the data is still there: {:?} (with the half-done push)",
                *poisoned.into_inner()
            );
        }
    }
    ledger.clear_poison();
    println!(
        "after clear_poison(), lock() is Ok: {}",
        ledger.lock().is_ok()
    );
}

// ── atomics ──
// Atomics are for single numbers and flags. A counter that only has to end
// up right can use `Relaxed`: each `fetch_add` is atomic, and no other
// memory depends on it. To *publish* data, write it, then set a flag with
// `Release`; a reader that sees the flag with `Acquire` is guaranteed to see
// everything written before it. With `Relaxed` on the flag that guarantee is
// gone on every CPU: the compiler may reorder the two stores itself, and
// ARM's cores may too.
// Costs are measured below: the three kinds take turns for five rounds, so
// a burst of other load hits them alike, and each cost printed is a median
// with its spread and the machine's load (the measuring policy).
// Timeline: four `counter` lanes busy in `count`, one row per run; then the
// `reader` waits on "ready flag" until the `writer` sets it.
fn atomics() {
    use workbook_trace::measuring::{RUNS, Summary, Watch, alternate, measured_at, timed};
    const THREADS: u64 = ATOMICS_THREADS;
    const EACH: u64 = ATOMICS_EACH;
    const KINDS: [&str; 3] = ["atomic Relaxed", "atomic SeqCst", "Mutex<u64>"];
    println!("{THREADS} threads × {EACH} increments, the three kinds taking turns:");
    let watch = Watch::start();
    let mut all_counted = true;
    let mut round = Vec::new();
    let seconds = alternate(RUNS, KINDS.len(), |k| {
        let (took, total) = timed(|| count_with(KINDS[k], THREADS, EACH));
        all_counted &= total == THREADS * EACH;
        round.push(format!("{} {:.2} ns", KINDS[k], per_increment(took)));
        if k == KINDS.len() - 1 {
            println!("  round: {}", round.join(", "));
            round.clear();
        }
        Ok(took)
    })
    .expect("the runs cannot fail");
    let conditions = watch.finish();
    let ns: Vec<Summary> = seconds
        .iter()
        .map(|s| {
            let per: Vec<f64> = s.iter().map(|&t| per_increment(t)).collect();
            Summary::of(&per).expect("ran")
        })
        .collect();
    for (kind, s) in KINDS.iter().zip(&ns) {
        println!("{kind:<14}: {} an increment", s.figure(1, " ns"));
    }
    let seq_cst = Summary::of_ratios(&seconds[1], &seconds[0]).expect("ran");
    let mutex = Summary::of_ratios(&seconds[2], &seconds[0]).expect("ran");
    for (what, r) in [("SeqCst / Relaxed", &seq_cst), ("Mutex / Relaxed ", &mutex)] {
        println!("{what}: {}, round by round", r.figure(2, "×"));
    }
    println!("every run counted to {}: {all_counted}", THREADS * EACH);
    let figures: Vec<&Summary> = ns.iter().chain([&seq_cst, &mutex]).collect();
    println!("{}", measured_at(&conditions, &figures));

    let data = AtomicU64::new(0);
    let ready = AtomicBool::new(false);
    let waiting = info_span!("thread::scope", waiting_on = "reader and writer").entered();
    let seen = thread::scope(|s| {
        let reader = named(s, "reader", || {
            let _waiting = info_span!("spin", waiting_on = "ready flag").entered();
            let deadline = Instant::now() + Duration::from_secs(2);
            while !ready.load(Ordering::Acquire) && Instant::now() < deadline {
                thread::yield_now();
            }
            data.load(Ordering::Relaxed)
        });
        named(s, "writer", || {
            thread::sleep(Duration::from_millis(10));
            data.store(42, Ordering::Relaxed);
            ready.store(true, Ordering::Release);
        });
        reader.join().expect("no panic")
    });
    drop(waiting);
    println!(
        "publish: the reader saw ready=true (Acquire) and then data={seen}, written before the Release store"
    );
}

/// `atomics`: how many threads count, and how far each.
const ATOMICS_THREADS: u64 = 4;
const ATOMICS_EACH: u64 = 250_000;

/// Nanoseconds per increment of one `atomics` run.
fn per_increment(seconds: f64) -> f64 {
    seconds * 1e9 / (ATOMICS_THREADS * ATOMICS_EACH) as f64
}

/// `threads` threads each add 1 `each` times to one counter of `kind`, and
/// the total they reach.
fn count_with(kind: &str, threads: u64, each: u64) -> u64 {
    let atomic = AtomicU64::new(0);
    let mutex = Mutex::new(0_u64);
    let waiting = info_span!("thread::scope", waiting_on = "counters").entered();
    thread::scope(|s| {
        for t in 0..threads {
            let (atomic, mutex) = (&atomic, &mutex);
            named(s, &format!("counter-{t}"), move || {
                let _work = info_span!("count", kind).entered();
                for _ in 0..each {
                    match kind {
                        "atomic Relaxed" => _ = atomic.fetch_add(1, Ordering::Relaxed),
                        "atomic SeqCst" => _ = atomic.fetch_add(1, Ordering::SeqCst),
                        _ => *mutex.lock().expect("no panic") += 1,
                    }
                }
            });
        }
    });
    drop(waiting);
    atomic.into_inner() + mutex.into_inner().expect("no panic")
}

// ── memory_ordering ──
// The publish bug, found by a tool instead of by luck. loom
// (`04_synchronization/ordering.rs`) runs a small closure under every
// interleaving of its threads and every value the memory model lets each
// load return. With `Relaxed` on the flag it finds an execution where the
// reader sees `ready == true` and `data == 0`; with `Release`/`Acquire` it
// explores them all and finds none. Why: `Relaxed` orders nothing but the
// flag itself, so the compiler may move the data store after the flag
// store (on any CPU) and ARM may make them visible out of order. The same
// two checks are tests in lessons/tests/lesson_04_loom.rs.
// Timeline: main busy in two `loom::model` spans, one per check, with a
// `loom found the bug` mark after the first.
fn memory_ordering() {
    ordering::run();
}

// ── compare_and_swap ──
// Check-then-act without a lock: `compare_exchange(current, new)` writes
// `new` only if the value is still `current`, else it fails and returns what
// is there now, and the loop checks again with that. Four buyers take
// tickets until 200,000 are sold: never more, however they interleave, and the
// number of lost races is counted. `fetch_update` is the same loop from std
// (`04_synchronization/cas.rs`).
// Timeline: four `buyer` lanes busy in `buy until sold out` side by side.
fn compare_and_swap() {
    cas::run();
}

// ── false_sharing ──
// Two threads, each incrementing its own counter: nothing is shared, yet
// when the two counters sit in one 64-byte cache line every write takes the
// line from the other core, and both crawl. Padding each counter to 128
// bytes (`#[repr(align(128))]`, like crossbeam's `CachePadded`) removes the
// contention. The two layouts take turns for five rounds; the medians,
// their spread, the cost round by round and the machine's load are printed
// (`04_synchronization/false_sharing.rs`).
// Timeline: pairs of `left`/`right` lanes busy in `count`: the "same line"
// pairs are longer than the "padded" ones.
fn false_sharing() {
    false_sharing::run();
}

// ── which_primitive ──
// The same jobs, three kinds of concurrent units. Across processes there is
// no shared memory by default, so most rows become messages. The demo ends
// with the one rule people trip on: in async code a std Mutex is fine for
// short critical sections, but a lock held across an `.await` must be
// tokio's, whose waiters are tasks, not blocked threads.
// Timeline: three task lanes taking turns with the tokio Mutex.
fn which_primitive() {
    let watch = Watch::start();
    let rows = [
        ("job", "threads", "async tasks", "processes"),
        (
            "exclusive access",
            "std Mutex",
            "std Mutex; tokio Mutex across .await",
            "one owner process (actor)",
        ),
        (
            "many readers",
            "RwLock",
            "tokio RwLock",
            "copy the data to each",
        ),
        (
            "limit N at once",
            "Mutex + Condvar",
            "tokio Semaphore",
            "a pool of N workers",
        ),
        (
            "signal / event",
            "Condvar, park, Barrier",
            "Notify, watch, CancellationToken",
            "a message or a signal",
        ),
        (
            "stop flag / counter",
            "AtomicBool / AtomicU64",
            "the same atomics",
            "a message (shared memory is rare)",
        ),
        (
            "queue",
            "mpsc::sync_channel",
            "tokio mpsc (bounded)",
            "pipes, sockets: a line each",
        ),
        (
            "one-time init",
            "OnceLock, LazyLock",
            "tokio OnceCell",
            "before spawn, pass as arguments",
        ),
    ];
    for (job, threads, tasks, processes) in rows {
        println!("{job:<20} {threads:<24} {tasks:<38} {processes}");
    }

    let started = Instant::now();
    let waiting = info_span!("block_on", waiting_on = "tasks").entered();
    let log = runtime().block_on(async {
        let log = Arc::new(tokio::sync::Mutex::new(Vec::new()));
        let mut tasks = tokio::task::JoinSet::new();
        for id in 0..3 {
            let log = log.clone();
            let job = async move {
                let mut entries = log.lock().await;
                tokio::time::sleep(Duration::from_millis(15)).await; // held across .await
                entries.push(id);
            };
            tasks.spawn(job.instrument(info_span!("writer", task = %format!("writer {id}"))));
        }
        tasks.join_all().await;
        log.lock().await.clone()
    });
    drop(waiting);
    println!(
        "tokio Mutex held across .await by 3 tasks: order {log:?}, {} ms (3 × 15 ms, one at a time)",
        started.elapsed().as_millis()
    );
    println!(
        "{}",
        one_run(
            &watch.finish(),
            "3 holds of 15 ms, one at a time: at least 45 ms"
        )
    );
}
