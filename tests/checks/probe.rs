//! How many threads compute at once while an answer runs, for exercises
//! whose work happens inside the answer (nothing to instrument): Linux lists
//! each thread of this process in `/proc/self/task`, with its name, its state
//! (`R` is running or ready to run, `S` asleep: waiting on a lock, a join, a
//! channel) and in `schedstat` the CPU time it has used, in nanoseconds. The
//! probe samples them while the answer runs: a thread is busy in a sample if
//! it is in state `R` and has used CPU since the last sample.
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// The name of the thread the answer runs on. Threads it starts without a
/// name of their own inherit this one from it.
const PROBE: &str = "probe";

/// Runs `f` on a thread named [`PROBE`] and returns its result with the
/// most threads seen computing at the same moment: the probe thread, the
/// threads it started, and rayon's pool (whichever thread first started it).
pub fn busy_threads<T: Send>(f: impl FnOnce() -> T + Send) -> (T, usize) {
    let pool: HashSet<String> = rayon::broadcast(|_| this_thread()).into_iter().collect();
    settle(&pool);
    let mut last = HashMap::new();
    std::thread::scope(|scope| {
        let answer = std::thread::Builder::new()
            .name(PROBE.into())
            .spawn_scoped(scope, f)
            .expect("cannot start the probe thread");
        let mut most = 0;
        while !answer.is_finished() {
            most = most.max(busy_now(&pool, &mut last));
            std::thread::sleep(Duration::from_micros(500));
        }
        let value = answer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (value, most)
    })
}

/// [`busy_threads`] run up to `tries` times, until `enough` threads were
/// seen busy at once; every run's result, and the most seen in any run. On a
/// busy machine one run can miss an overlap that is there (two threads count
/// only when both got a core between the same two samples); an answer whose
/// threads never overlap shows none however often it runs, so trying again
/// bounds the work and never passes a sequential answer.
pub fn busy_threads_tries<T: Send>(
    tries: usize,
    enough: usize,
    f: impl Fn() -> T + Sync,
) -> (Vec<T>, usize) {
    let (mut values, mut most) = (Vec::new(), 0);
    for _ in 0..tries.max(1) {
        let (value, seen) = busy_threads(&f);
        values.push(value);
        most = most.max(seen);
        if most >= enough {
            break;
        }
    }
    (values, most)
}

/// This thread's id in `/proc/self/task`.
fn this_thread() -> String {
    std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|link| Some(link.file_name()?.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// Waits (at most 1 s) until rayon's pool has gone idle after the
/// broadcast: its threads spin a little before they sleep.
fn settle(pool: &HashSet<String>) {
    let mut last = HashMap::new();
    let started = Instant::now();
    busy_now(pool, &mut last);
    let mut quiet = 0;
    while quiet < 20 && started.elapsed() < Duration::from_secs(1) {
        std::thread::sleep(Duration::from_millis(1));
        quiet = if busy_now(pool, &mut last) == 0 {
            quiet + 1
        } else {
            0
        };
    }
}

/// How many of the watched threads are busy now (see the module doc);
/// `last` keeps each thread's CPU time from the previous sample.
fn busy_now(pool: &HashSet<String>, last: &mut HashMap<String, u64>) -> usize {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    let mut busy = 0;
    for task in tasks.filter_map(Result::ok) {
        let tid = task.file_name().to_string_lossy().into_owned();
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        // "tid (name) S ...": the name may hold spaces, so split around it.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        if &stat[open + 1..close] != PROBE && !pool.contains(&tid) {
            continue;
        }
        let running = stat[close + 1..].trim_start().starts_with('R');
        let cpu: u64 = std::fs::read_to_string(task.path().join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok())
            .unwrap_or(0);
        let before = last.insert(tid, cpu);
        if running && before.is_some_and(|before| cpu > before) {
            busy += 1;
        }
    }
    busy
}
