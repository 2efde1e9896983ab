//! `spin_lock`: a lock whose waiters spin burns a core each while making no
//! progress. The same 300 ms hold, waited out first by spinning on a
//! hand-made spin lock, then by blocking in a std `Mutex` (which puts a
//! waiter to sleep in the kernel, on a futex, until the holder lets go).
//! Each waiter's CPU time is its own thread's, from `getrusage`.
use nix::sys::resource::{UsageWho, getrusage};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use tracing::info_span;

/// How long the holder keeps the lock (a slow step done while holding it).
pub const HOLD: Duration = Duration::from_millis(300);
const WAITERS: usize = 2;

/// The simplest spin lock: one flag, taken with a compare-and-swap, retried
/// in a loop until it succeeds. Counts the failed tries.
pub struct SpinLock {
    taken: AtomicBool,
    spins: AtomicU64,
}

impl SpinLock {
    const fn new() -> Self {
        SpinLock {
            taken: AtomicBool::new(false),
            spins: AtomicU64::new(0),
        }
    }

    fn lock(&self) {
        while self
            .taken
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.spins.fetch_add(1, Ordering::Relaxed);
            std::hint::spin_loop();
        }
    }

    fn unlock(&self) {
        self.taken.store(false, Ordering::Release);
    }
}

/// This thread's CPU time so far.
fn thread_cpu() -> Duration {
    getrusage(UsageWho::RUSAGE_THREAD).map_or(Duration::ZERO, |u| {
        let (user, system) = (u.user_time(), u.system_time());
        let micros = |t: nix::sys::time::TimeVal| {
            Duration::from_secs(t.tv_sec() as u64) + Duration::from_micros(t.tv_usec() as u64)
        };
        micros(user) + micros(system)
    })
}

/// One waiter's figures: how long it waited and how much of that on a core.
struct Waited {
    waited: Duration,
    on_cpu: Duration,
}

/// Runs a closure while holding a lock.
type WithLock<'a> = &'a (dyn Fn(&mut dyn FnMut()) + Sync);

/// A holder takes the lock for [`HOLD`]; once it has it, the waiters ask
/// for it through `with_lock` and measure their wait.
fn contend(kind: &str, with_lock: WithLock) -> Vec<Waited> {
    let holding = Barrier::new(WAITERS + 1);
    let waiting = info_span!("thread::scope", waiting_on = "holder and waiters").entered();
    let waited = thread::scope(|s| {
        let holding = &holding;
        thread::Builder::new()
            .name(format!("{kind}-holder"))
            .spawn_scoped(s, move || {
                with_lock(&mut || {
                    let _held = info_span!("holding", lock = "the lock").entered();
                    holding.wait();
                    thread::sleep(HOLD);
                });
            })
            .expect("spawn the holder");
        let waiters: Vec<_> = (0..WAITERS)
            .map(|i| {
                thread::Builder::new()
                    .name(format!("{kind}-waiter-{i}"))
                    .spawn_scoped(s, move || {
                        holding.wait();
                        let (started, cpu) = (Instant::now(), thread_cpu());
                        let mut waited = None;
                        let _waiting =
                            info_span!("lock", waiting_on = format!("the lock ({kind})")).entered();
                        with_lock(&mut || {
                            waited = Some(Waited {
                                waited: started.elapsed(),
                                on_cpu: thread_cpu().saturating_sub(cpu),
                            });
                        });
                        waited.expect("ran while holding the lock")
                    })
                    .expect("spawn a waiter")
            })
            .collect();
        waiters
            .into_iter()
            .map(|w| w.join().expect("no panic"))
            .collect()
    });
    drop(waiting);
    waited
}

fn report(kind: &str, waited: &[Waited]) {
    for (i, w) in waited.iter().enumerate() {
        let share = w.on_cpu.as_secs_f64() / w.waited.as_secs_f64().max(1e-9);
        println!(
            "{kind}: waiter-{i} waited {:>3} ms, on a core for {:>3} ms of it ({:.0}%)",
            w.waited.as_millis(),
            w.on_cpu.as_millis(),
            share * 100.0
        );
    }
}

pub fn run() {
    let watch = workbook_trace::measuring::Watch::start();
    let spin = SpinLock::new();
    let spun = contend("spin", &|work| {
        spin.lock();
        work();
        spin.unlock();
    });
    report("spin lock", &spun);
    println!(
        "spin lock: the waiters tried {} times and got nothing done meanwhile",
        spin.spins.load(Ordering::Relaxed)
    );
    let mutex = Mutex::new(());
    let waited = contend("mutex", &|work| {
        let _guard = mutex.lock().expect("not poisoned");
        work();
    });
    report("std Mutex", &waited);
    let burnt = |w: &[Waited]| w.iter().map(|w| w.on_cpu).sum::<Duration>().as_millis();
    println!(
        "while they waited: the spinners burnt {} ms of CPU for no progress, the blocked waiters {} ms",
        burnt(&spun),
        burnt(&waited)
    );
    if spun.iter().any(|w| w.on_cpu < w.waited / 2) {
        println!(
            "(a spinner had a core less than half its wait: other programs or threads held the \
             cores; on free cores a spinner is on one nearly all the time)"
        );
    }
    println!(
        "{}",
        workbook_trace::measuring::one_run(
            &watch.finish(),
            "each waiter waits out the holder's 300 ms"
        )
    );
}
