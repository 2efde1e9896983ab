//! Lessons 02 (processes) and 03 (tokio) run as binaries: every demo ends by
//! itself with code 0 and prints the facts it is there to show, the demos
//! match the notes, no child process outlives lesson 02, and the timelines
//! show what the notes promise (processes as lanes, a task hopping threads).
mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::figures::{self, number_after};
use support::{listed_demos, run_with_timeout};

fn run_demo(lesson: &str, name: &str) -> String {
    support::run_demo(lesson, name, LIMIT)
}

fn l02() -> &'static str {
    support::lesson("02_multiprocessing_basics")
}
fn l03() -> &'static str {
    support::lesson("03_asyncio_basics")
}
/// Generous: the machine running the tests may be busy compiling.
const LIMIT: Duration = Duration::from_secs(90);

/// A speedup printed by the policy: a median of 5 runs within its spread,
/// and a run above `most`× (as many as the threads and cores it can use)
/// is explained in words, not left as a fact.
fn assert_speedup_explained(out: &str, speedup: figures::Printed, label: &str, most: f64) {
    assert_eq!(speedup.runs, Some(5), "{label}\n{out}");
    assert!(speedup.is_consistent(0.0051), "{label} {speedup:?}\n{out}");
    figures::assert_above_cores_explained(out, speedup.max, most, 0.005);
}

fn cores() -> f64 {
    std::thread::available_parallelism().map_or(1, usize::from) as f64
}

#[test]
fn every_lesson_02_demo_exits_zero_and_shows_its_facts() {
    for name in listed_demos(l02()) {
        let out = run_demo(l02(), &name);
        match name.as_str() {
            "spawn_wait" => {
                assert_eq!(
                    out.matches("ended with exit code 0, reaped at").count(),
                    3,
                    "{out}"
                );
                assert!(out.contains("`sh -c ...` ended with exit code 3"), "{out}");
                assert!(out.contains("; one run, load average"), "{out}");
            }
            "message_queue" => {
                assert!(out.contains("child → parent: SEND REPORT"), "{out}");
                assert!(out.contains("exited: exit code 0"), "{out}");
            }
            "pipe_between" => assert!(out.contains("consumer: 8 lines"), "{out}"),
            "actor_manager" => {
                assert!(out.contains("hits = 150 (3 clients"), "{out}");
                let request = figures::after(&out, "one request to the server process:");
                let add = figures::after(&out, "one atomic add shared by 3 threads:");
                for figure in [request, add] {
                    assert_eq!(figure.runs, Some(5), "{out}");
                    assert!(figure.is_consistent(0.051), "{figure:?}\n{out}");
                }
                assert!(out.contains("(4500000 adds in all)"), "{out}");
            }
            "process_pool" => {
                assert!(
                    out.contains(
                        "[1754, 2064, 2360, 2668, 2961, 3245, 3538, 3824, 4107, 4392, 4675, 4946]"
                    ),
                    "{out}"
                );
                assert!(out.contains("same results"), "{out}");
                for label in [
                    "3 worker processes:",
                    "3 worker threads:",
                    "processes' time over threads':",
                ] {
                    let figure = figures::after(&out, label);
                    assert_eq!(figure.runs, Some(5), "{out}");
                    assert!(figure.is_consistent(0.051), "{figure:?}\n{out}");
                }
            }
            "crash_isolation" => {
                assert!(out.contains("panic: exit code 101"), "{out}");
                assert!(out.contains("its stderr: worker gave up"), "{out}");
                assert!(out.contains("killed by signal 6 (SIGABRT)"), "{out}");
                assert!(out.contains("exit : exit code 3"), "{out}");
                assert!(
                    out.contains("join returned Err(\"thread gave up\")"),
                    "{out}"
                );
            }
            "kill_on_timeout" => {
                assert!(out.contains("reaped: killed by signal"), "{out}");
                assert!(out.contains("state Z before wait"), "{out}");
                assert!(out.contains("gone after"), "{out}");
            }
            "spawn_cost" => {
                let process = number_after(&out, "process (`true`)");
                let task = number_after(&out, "tokio task");
                assert!(process > task, "a process costs more than a task:\n{out}");
                // Each row: median µs, × a task, then the runs' min–max.
                for what in ["worker noop)", "(`true`)", "  thread ", "tokio task"] {
                    let row = out
                        .lines()
                        .find_map(|l| l.split_once(what).map(|(_, r)| r))
                        .unwrap_or_else(|| panic!("no {what} row:\n{out}"));
                    let cells: Vec<&str> = row.split_whitespace().collect();
                    let median: f64 = cells[0].parse().unwrap();
                    let (min, max) = cells[2].split_once('–').expect("a min–max cell");
                    let (min, max): (f64, f64) = (min.parse().unwrap(), max.parse().unwrap());
                    assert!(
                        min <= median + 0.051 && median <= max + 0.051,
                        "{row}\n{out}"
                    );
                }
            }
            other => panic!("no check for demo {other}"),
        }
    }
}

/// Every process lesson 02 starts carries this variable (children inherit the
/// environment), so after the run, any process still holding it is a stray.
#[test]
fn lesson_02_runs_whole_and_leaves_no_process_behind() {
    let mark = format!("lessons_02_03_{}", std::process::id());
    let mut lesson = Command::new(l02())
        .env("WORKBOOK_TEST_MARK", &mark)
        .env_remove("WORKBOOK_TRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = lesson.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = lesson.kill();
            let _ = lesson.wait();
            panic!("lesson 02 did not finish within {LIMIT:?}; killed it");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "lesson 02 failed: {status}");
    let strays = |mark: &str| -> Vec<String> {
        let needle = format!("WORKBOOK_TEST_MARK={mark}");
        std::fs::read_dir("/proc")
            .map(|dir| {
                dir.flatten()
                    .filter(|e| {
                        e.file_name()
                            .to_string_lossy()
                            .bytes()
                            .all(|b| b.is_ascii_digit())
                    })
                    .filter(|e| {
                        std::fs::read(e.path().join("environ"))
                            .is_ok_and(|env| env.split(|&b| b == 0).any(|v| v == needle.as_bytes()))
                    })
                    .map(|e| {
                        let cmdline = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
                        String::from_utf8_lossy(&cmdline).replace('\0', " ")
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        strays(&mark),
        Vec::<String>::new(),
        "processes left behind by lesson 02"
    );
}

#[test]
fn every_lesson_03_demo_exits_zero_and_shows_its_facts() {
    for name in listed_demos(l03()) {
        let out = run_demo(l03(), &name);
        match name.as_str() {
            "lazy_futures" => {
                let made = out.find("nothing brewed yet").expect("creation line");
                let brewed = out.find("brewing tea").expect("brewing line");
                assert!(made < brewed, "nothing runs before .await:\n{out}");
                assert!(!out.contains("brewing juice..."), "{out}");
            }
            "gather" => {
                let stock = out.find("JoinSet:  stock").expect("stock");
                let users = out.find("JoinSet:  users").expect("users");
                assert!(stock < users, "JoinSet yields in completion order:\n{out}");
                assert!(out.contains(r#"["p1", "p2", "p3", "p4", "p5"]"#), "{out}");
            }
            "spawn_tasks" => {
                assert!(out.contains("4 of 4 tasks started within"), "{out}");
                assert!(out.contains("is_panic() = true"), "{out}");
            }
            "blocking_the_executor" => {
                // A stall is at least as long as the blocking sleep: a lower
                // bound that holds on however busy a machine.
                let stalled = number_after(
                    &out,
                    "std::thread::sleep in a task         ticker's longest gap:",
                );
                assert!(stalled >= 290.0, "{out}");
                assert!(out.contains("; one run, load average"), "{out}");
            }
            "async_cleanup" => {
                assert!(out.contains("B: dropped while open"), "{out}");
                assert!(out.contains("C: closed politely"), "{out}");
                assert!(out.contains("D: dropped while open"), "{out}");
                assert!(!out.contains("D: closed"), "{out}");
            }
            "streams" => assert_eq!(out.matches("  reading ").count(), 5, "{out}"),
            "cpu_work" => {
                assert_eq!(out.matches(" 13848 primes in").count(), 3, "{out}");
                for way in ["inline in the task", "spawn_blocking", "rayon + oneshot"] {
                    let line = out.lines().find(|l| l.starts_with(way)).unwrap();
                    let time = figures::parse(line.split_once("primes in").unwrap().1).unwrap();
                    let gap = figures::parse(line.split_once("longest gap").unwrap().1).unwrap();
                    assert!(time.is_consistent(0.051), "{line}\n{out}");
                    assert!(gap.is_consistent(0.51), "{line}\n{out}");
                }
                let speedup = figures::after(&out, "rayon over spawn_blocking:");
                assert_speedup_explained(&out, speedup, "rayon over spawn_blocking:", cores());
            }
            "semaphore" => assert!(out.contains("at most 3 in flight"), "{out}"),
            "work_queue" => {
                let mut jobs: Vec<u32> = out
                    .lines()
                    .filter_map(|l| {
                        l.split_once("did jobs [")
                            .map(|(_, r)| r.trim_end_matches(']'))
                    })
                    .flat_map(|list| {
                        list.split(", ")
                            .map(|j| j.parse::<u32>().unwrap())
                            .collect::<Vec<_>>()
                    })
                    .collect();
                jobs.sort_unstable();
                assert_eq!(
                    jobs,
                    (0..12).collect::<Vec<_>>(),
                    "every job done once:\n{out}"
                );
            }
            "runtimes" => {
                assert_eq!(out.matches(r#"polled on {"main"}"#).count(), 4, "{out}");
                for label in ["current_thread ", "multi_thread "] {
                    let time = figures::after(&out, label);
                    assert_eq!(time.runs, Some(5), "{out}");
                    assert!(time.is_consistent(0.051), "{time:?}\n{out}");
                }
                let speedup = figures::after(&out, "multi_thread over current_thread:");
                let most = cores().min(2.0); // two workers
                assert_speedup_explained(&out, speedup, "multi_thread over current_thread:", most);
            }
            "timeout_select" => {
                assert!(out.contains("dropped mid-way: report"), "{out}");
                assert!(out.contains("mirror B (80 ms) won"), "{out}");
                assert!(out.contains("dropped mid-way: mirror A"), "{out}");
                let after = out
                    .lines()
                    .find(|l| l.starts_with("after abort():"))
                    .expect("abort line");
                let counts: Vec<&str> = after
                    .trim_start_matches("after abort(): ")
                    .split([' ', ','])
                    .collect();
                assert_eq!(
                    counts[0], counts[2],
                    "the count stops after abort(): {after}"
                );
            }
            "many_tasks" => {
                let wall = number_after(&out, "100000 tasks × sleep(1 s):");
                let peak = number_after(&out, "s wall,");
                assert!((1.0..10.0).contains(&wall), "{out}");
                assert!(peak <= 150.0, "peak memory at most 150 MiB:\n{out}");
                if support::python3_installed() {
                    assert!(
                        out.contains("(python3, measured now)"),
                        "python3 is installed: the asyncio figure is required:\n{out}"
                    );
                    let python = number_after(&out, "100000 tasks × asyncio.sleep(1):");
                    assert!(python >= 1.0, "asyncio cannot beat its own sleep:\n{out}");
                } else {
                    assert!(out.contains("asyncio: skipped"), "{out}");
                    eprintln!("SKIPPED the asyncio comparison: python3 is not installed");
                }
            }
            "hand_made_future" => {
                // One poll to start each task, one per wake-up: 3 wakes, 5 polls.
                assert_eq!(out.matches("→ Pending").count(), 3, "{out}");
                assert_eq!(out.matches("wake  ").count(), 3, "{out}");
                assert!(out.contains("poll one timer #2 → Ready"), "{out}");
                assert!(out.contains("poll async fn #3 → Ready"), "{out}");
                // Every poll after the first of a task follows a wake of that
                // task since its last poll. Both timers can fire before the
                // executor polls either (on busy cores), so the wake need not
                // be on the line just before.
                let task_of = |text: &str| {
                    ["one timer", "async fn"]
                        .into_iter()
                        .find(|task| text.trim_start().starts_with(task))
                };
                let mut woken = std::collections::BTreeSet::new();
                for line in out.lines() {
                    if let Some(task) = line.split_once("wake  ").and_then(|(_, w)| task_of(w)) {
                        woken.insert(task);
                    } else if let Some((_, poll)) = line.split_once(" poll ") {
                        let task = task_of(poll).unwrap_or_else(|| panic!("{line}\n{out}"));
                        if !poll.contains(" #1 ") {
                            assert!(woken.remove(task), "{task} polled unwoken:\n{out}");
                        }
                    }
                }
            }
            "cancel_safety" => {
                let runs: Vec<&str> = out.lines().filter(|l| l.contains("received")).collect();
                assert_eq!(runs.len(), 3, "{out}");
                let lost = number_after(runs[0], "dropped inside a future:");
                let missing = number_after(runs[0], "missing");
                assert!(lost > 0.0, "the racing loop lost nothing:\n{out}");
                assert!(
                    (lost - missing).abs() < 0.5,
                    "each missing message was dropped inside a future:\n{out}"
                );
                for fixed in &runs[1..] {
                    assert!(fixed.contains("received 30 of 30"), "{out}");
                    assert!(fixed.ends_with("dropped inside a future: 0"), "{out}");
                }
            }
            "broadcast_watch_notify" => {
                assert!(
                    out.contains("fast subscriber received 12, told it missed  0"),
                    "{out}"
                );
                let slow = out
                    .lines()
                    .find(|l| l.contains("slow subscriber"))
                    .expect("slow");
                let got = number_after(slow, "slow subscriber received");
                let missed = number_after(slow, "told it missed");
                assert!(missed > 0.0 && (got + missed - 12.0).abs() < 0.5, "{out}");
                let seen = out
                    .split_once("saw ")
                    .and_then(|(_, r)| r.split_once('[')?.1.split_once(']'))
                    .expect("watch list")
                    .0;
                let versions: Vec<u32> = seen.split(", ").map(|v| v.parse().unwrap()).collect();
                assert!(versions.windows(2).all(|w| w[0] < w[1]), "{out}");
                assert_eq!(versions.last(), Some(&20), "the latest is seen:\n{out}");
                assert!(versions.len() < 20, "changes coalesce:\n{out}");
                let woke = |w: &str| number_after(&out, &format!("waiter {w} woke at"));
                assert!(woke("1") >= 30.0 && woke("1") < woke("2"), "{out}");
                assert!(woke("2") >= 60.0 && woke("3") >= 60.0, "{out}");
            }
            "line_server" => {
                assert!(
                    out.contains("client 1: first reply")
                        && out.contains(r#"got ["FIRST LINE", "SECOND LINE", "THIRD LINE"]"#),
                    "lines cut across writes arrive whole:\n{out}"
                );
                assert!(
                    out.contains(
                        "a line may be at most 64 bytes; closing\"], then the server closed"
                    ),
                    "{out}"
                );
                assert!(
                    out.contains(r#""I STAY CONNECTED", "bye: the server is shutting down"]"#),
                    "{out}"
                );
                // Measured by the server: clients 1 and 2 overlap, and the
                // semaphore never lets a third in beside them.
                assert!(
                    out.contains("(at most 2 open at once; the limit is 2), 5 lines answered"),
                    "{out}"
                );
                // Clients 3 and 4 connect once 1 and 2 hold both slots, so
                // they are answered only after a slot is given back: later,
                // on the demo's one clock, than client 2's first reply.
                let first = |c: &str| number_after(&out, &format!("client {c}: first reply"));
                let connected = |c: &str| {
                    let line = out
                        .lines()
                        .find(|l| l.starts_with(&format!("client {c}: first reply")))
                        .unwrap_or_else(|| panic!("no report of client {c}:\n{out}"));
                    number_after(line, "connected at")
                };
                for late in ["3", "4"] {
                    assert!(connected(late) >= first("2"), "{out}");
                    assert!(first(late) >= connected(late), "{out}");
                }
            }
            other => panic!("no check for demo {other}"),
        }
    }
}

/// The whole lesson, its demos in order. The deadline only catches a hang:
/// the work is bounded by the lesson itself, and a busy machine may take
/// several times its usual half minute.
#[test]
fn lesson_03_runs_whole_with_its_demos_in_order() {
    let output = run_with_timeout(l03(), &[], WHOLE_LESSON_HANG);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut from = 0;
    for name in listed_demos(l03()) {
        from += stdout[from..]
            .find(&format!("── {name} ·"))
            .unwrap_or_else(|| panic!("{name} missing or out of order"));
    }
}

/// Past this the whole of lesson 03 is taken to hang.
const WHOLE_LESSON_HANG: Duration = Duration::from_secs(300);

#[test]
fn lesson_02_pool_trace_has_a_process_per_worker() {
    let trace = support::trace("02", Some("process_pool"), LIMIT);
    let names = support::process_names(&trace);
    assert!(names.len() >= 4, "the lesson and its 3 workers: {names:?}");
    assert_eq!(
        names.iter().filter(|n| n.contains("worker pool")).count(),
        3,
        "{names:?}"
    );
}

#[test]
fn lesson_03_multi_thread_task_is_polled_on_two_workers() {
    let trace = support::trace("03", Some("runtimes"), LIMIT);
    // Poll slices appear on the worker thread and on the task's own track;
    // only the worker threads count here.
    let base = workbook::views::perfetto::TASK_TID_BASE;
    let hopped: Vec<(String, usize)> = support::threads_per_task(&trace)
        .into_iter()
        .map(|(task, threads)| (task, threads.iter().filter(|(_, tid)| *tid < base).count()))
        .filter(|(task, threads)| task.contains("multi_thread") && *threads >= 2)
        .collect();
    assert!(
        !hopped.is_empty(),
        "no multi_thread task was polled on two worker threads"
    );
}
