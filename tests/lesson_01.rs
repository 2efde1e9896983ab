//! Lesson 01 run as a binary: every demo ends by itself with code 0, the
//! demos match the notes, and each prints the facts it is there to show.
mod support;

use std::time::Duration;
use support::run_with_timeout;

fn run_demo(name: &str) -> String {
    support::run_demo(lesson(), name, LIMIT)
}

fn listed_demos() -> Vec<String> {
    support::listed_demos(lesson())
}

fn lesson() -> &'static str {
    support::lesson("01_threading_basics")
}
/// Generous: the machine running the tests may be busy compiling.
const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn every_demo_exits_zero_on_its_own() {
    for name in listed_demos() {
        let stdout = run_demo(&name);
        assert!(
            stdout.contains(&format!("── {name} ·")),
            "demo {name} prints its header:\n{stdout}"
        );
    }
}

#[test]
fn no_arguments_runs_every_demo_in_order() {
    let output = run_with_timeout(lesson(), &[], LIMIT);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut from = 0;
    for name in listed_demos() {
        let at = stdout[from..]
            .find(&format!("── {name} ·"))
            .unwrap_or_else(|| panic!("{name} missing or out of order"));
        from += at;
    }
}

#[test]
fn an_unknown_demo_exits_2() {
    let output = run_with_timeout(lesson(), &["--demo", "nope"], LIMIT);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("spawn_join"));
}

#[test]
fn spawn_join_returns_values_through_join() {
    let stdout = run_demo("spawn_join");
    assert_eq!(
        stdout.matches("returned through join").count(),
        3,
        "{stdout}"
    );
}

#[test]
fn scoped_and_arc_agree() {
    let stdout = run_demo("scoped");
    let steps = |prefix: &str| -> u64 {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(prefix))
            .expect(prefix);
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    assert_eq!(steps("scoped:"), steps("Arc:"), "{stdout}");
}

#[test]
fn pool_order_gives_input_order_then_completion_order() {
    let stdout = run_demo("pool_order");
    let (in_order, by_completion) = stdout.split_once("completion order").expect("both parts");
    let jobs = |text: &str| -> Vec<u32> {
        text.lines()
            .filter_map(|l| l.trim().strip_prefix("job "))
            .map(|l| l.split(' ').next().unwrap().parse().unwrap())
            .collect()
    };
    assert_eq!(jobs(in_order), [0, 1, 2, 3, 4, 5]);
    let mut completed = jobs(by_completion);
    assert_ne!(
        completed,
        [0, 1, 2, 3, 4, 5],
        "jobs of unequal length finish out of order"
    );
    completed.sort_unstable();
    assert_eq!(completed, [0, 1, 2, 3, 4, 5], "every result arrives once");
}

#[test]
fn shared_counter_counts_every_add_both_ways() {
    let stdout = run_demo("shared_counter");
    assert!(
        stdout.contains("Arc<Mutex<u64>>: 1000000 (expected 1000000) in each of 5 runs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("AtomicU64:       1000000 (expected 1000000) in each of 5 runs"),
        "{stdout}"
    );
    let times: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("runs, took"))
        .collect();
    assert_eq!(times.len(), 2, "{stdout}");
    for line in times {
        assert_policy_figure(&stdout, line, "runs, took");
    }
    assert_policy_figure(&stdout, &stdout, "the mutex took");
    assert!(stdout.contains("  measured at load average"), "{stdout}");
}

/// The figure after `label` on `line` is a median of 5 runs that lies
/// within its printed spread (figures are printed to 0.1).
fn assert_policy_figure(stdout: &str, line: &str, label: &str) {
    let figure = support::figures::after(line, label);
    assert_eq!(figure.runs, Some(5), "{line}\n{stdout}");
    assert!(figure.is_consistent(0.051), "{line}\n{stdout}");
}

#[test]
fn printed_figures_parse() {
    use support::figures::parse;
    let p = parse(" 52.1 ms (median of 5 runs, 48.0–60.2); load").unwrap();
    assert_eq!(
        (p.median, p.runs, p.min, p.max),
        (52.1, Some(5), 48.0, 60.2)
    );
    assert!(p.is_consistent(0.0));
    let p = parse("1.95× (median of 3 runs, 1.90–2.05)").unwrap();
    assert_eq!(p.runs, Some(3));
    let p = parse("91.0 ms (88.0–95.0); ticker").unwrap();
    assert_eq!((p.runs, p.min), (None, 88.0));
    let outside = parse("4.0 ms (median of 5 runs, 5.0–6.0)").unwrap();
    assert!(!outside.is_consistent(0.05));
}

#[test]
fn a_printed_figure_is_read_back_and_held_to_its_runs() {
    use support::figures::{assert_conditions_printed, assert_ratio, figure, per_run};
    let out = "  round 1: a 10.00 ms, b 5.00 ms\n  round 2: a 12.00 ms, b 5.00 ms\n  \
               round 3: a 11.00 ms, b 5.50 ms\n  speedup 2.00× (median of 3 runs, 2.00–2.40); \
               load average 0.40, quiet\n";
    let (a, b) = (per_run(out, "round ", "a "), per_run(out, "round ", "b "));
    assert_eq!(a, [10.0, 12.0, 11.0]);
    let printed = figure(out, "speedup");
    assert_eq!(
        (printed.median, printed.min, printed.max, printed.runs),
        (2.0, 2.0, 2.4, Some(3))
    );
    assert_ratio(printed, &a, &b, 0.005, out);
    assert_conditions_printed(out);
    let wrong = std::panic::catch_unwind(|| assert_ratio(printed, &a, &a, 0.005, out));
    assert!(wrong.is_err(), "a median its runs do not give must fail");
}

/// Five runs each way, taking turns: each printed time is a median within
/// its spread, and a sleep is never shorter than asked, so one after another
/// six 50 ms waits take at least 300 ms and on six threads at least 50.
#[test]
fn io_bound_prints_medians_of_its_runs() {
    let stdout = run_demo("io_bound");
    let one_by_one = support::figures::after(&stdout, "6 requests one after another:");
    let overlapped = support::figures::after(&stdout, "6 requests on 6 threads:");
    let ratio = support::figures::after(&stdout, "overlap made it");
    for figure in [one_by_one, overlapped, ratio] {
        assert_eq!(figure.runs, Some(5), "{stdout}");
        assert!(figure.is_consistent(0.051), "{figure:?}\n{stdout}");
    }
    assert!(one_by_one.min >= 299.9, "{stdout}");
    assert!(overlapped.min >= 49.9, "{stdout}");
    assert!(stdout.contains("  measured at load average"), "{stdout}");
}

#[test]
fn too_many_threads_prints_medians_of_its_runs() {
    let stdout = run_demo("too_many_threads");
    let one_each = support::figures::after(&stdout, "2000 jobs, one thread each:");
    let pooled = support::figures::after(&stdout, "threads:");
    let ratio = support::figures::after(&stdout, "the pool was");
    for figure in [one_each, pooled, ratio] {
        assert_eq!(figure.runs, Some(5), "{stdout}");
        assert!(figure.is_consistent(0.051), "{figure:?}\n{stdout}");
    }
    // The µs per thread is the median run's time over its 2000 threads.
    let per_thread = stdout
        .lines()
        .find_map(|l| l.split_once(")  ("))
        .and_then(|(_, rest)| support::figures::leading_number(rest))
        .unwrap_or_else(|| panic!("no µs per thread:\n{stdout}"));
    assert!(
        (per_thread - one_each.median * 1e3 / 2000.0).abs() <= 0.06,
        "{per_thread} µs vs {one_each:?}\n{stdout}"
    );
}

#[test]
fn pool_order_says_its_times_are_from_one_run() {
    let stdout = run_demo("pool_order");
    assert!(stdout.contains("; one run, load average"), "{stdout}");
}

/// The speedup printed is the one its rounds measured: the median of each
/// round's one-thread time over its all-threads time, with their spread,
/// and every round computed the same total.
#[test]
fn cpu_bound_prints_the_speedup_its_rounds_measured() {
    let stdout = run_demo("cpu_bound");
    let ms_before = |line: &str, marker: &str| -> f64 {
        let head = line
            .split_once(marker)
            .unwrap_or_else(|| panic!("no {marker:?} in {line:?}"))
            .1;
        head.trim_start()
            .split(" ms")
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no time after {marker:?} in {line:?}"))
    };
    let rounds: Vec<&str> = stdout.lines().filter(|l| l.starts_with("round ")).collect();
    assert!(rounds.len() >= 3, "{stdout}");
    let mut ratios: Vec<f64> = rounds
        .iter()
        .map(|l| ms_before(l, "1 thread") / ms_before(l, " threads"))
        .collect();
    let totals: Vec<&str> = rounds
        .iter()
        .filter_map(|l| l.split_once("(total steps ").map(|(_, t)| t))
        .collect();
    assert_eq!(totals.len(), rounds.len(), "{stdout}");
    assert!(totals.windows(2).all(|w| w[0] == w[1]), "{stdout}");
    ratios.sort_by(f64::total_cmp);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("speedup: "))
        .unwrap_or_else(|| panic!("no speedup line:\n{stdout}"));
    let printed = support::figures::after(line, "");
    // Times are printed to 0.1 ms, figures to 0.01.
    let close = |printed: f64, measured: f64| (printed - measured).abs() <= 0.011;
    assert!(
        close(printed.median, ratios[ratios.len() / 2]),
        "printed {printed:?}, rounds give {ratios:?}"
    );
    assert!(close(printed.min, ratios[0]), "{line} vs {ratios:?}");
    assert!(
        close(printed.max, ratios[ratios.len() - 1]),
        "{line} vs {ratios:?}"
    );
    assert_eq!(printed.runs, Some(rounds.len()), "{line}");
    assert!(stdout.contains("no GIL"));
    // A round above N× on N cores is explained, never left as a fact.
    let cores: f64 = line
        .split_once(" with ")
        .and_then(|(_, rest)| support::figures::leading_number(rest))
        .unwrap_or_else(|| panic!("no thread count in {line:?}"));
    support::figures::assert_above_cores_explained(&stdout, printed.max, cores, 0.005);
}

#[test]
fn forgotten_join_loses_the_workers_last_line() {
    let stdout = run_demo("forgotten_join");
    assert!(stdout.contains("| main:   returning from main"), "{stdout}");
    assert!(stdout.contains("| worker: step 1 of 5"), "{stdout}");
    assert!(!stdout.contains("all 5 steps done"), "{stdout}");
}

#[test]
fn panic_in_thread_joins_err_and_the_others_finish() {
    let output = run_with_timeout(lesson(), &["--demo", "panic_in_thread"], LIMIT);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.matches("= Ok(").count(), 3, "{stdout}");
    assert!(
        stdout.contains(r#"join("oops") = Err(payload: "input is a number"#),
        "{stdout}"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("[panic hook] thread 'parser-2' panicked"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("RUST_BACKTRACE"),
        "the default hook stays silent:\n{stderr}"
    );
}

#[test]
fn named_threads_trace_has_a_track_per_named_thread() {
    let trace = support::trace("01", Some("named_threads"), LIMIT);
    let names = support::thread_names(&trace);
    assert!(names.len() >= 4, "at least 4 thread tracks: {names:?}");
    for i in 1..=4 {
        let name = format!("downloader-{i}");
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let waits = support::waiting_slices(&trace);
    let downloads = waits.iter().filter(|w| w.4 == "network (sleep)").count();
    assert_eq!(downloads, 8, "two waiting downloads per thread: {waits:?}");
    assert!(
        waits.iter().any(|w| w.4 == "downloader"),
        "main waits on join: {waits:?}"
    );
}

/// `lesson | head -1`: the lesson ends quietly when its reader goes, with
/// SIGPIPE's shell code, and no panic message.
#[test]
fn a_closed_stdout_ends_the_lesson_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(lesson())
        .env_remove("WORKBOOK_TRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lesson 01");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the lesson's next print fails.
    let deadline = std::time::Instant::now() + LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the lesson kept running with nobody reading for {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(141), "{status}: {stderr}");
}
