//! `workbook bench` (the models suite, and the sampler's) run as a binary, in `--quick` mode:
//! it ends within a bound, prints JSON whose keys say what they are, a
//! CPU-bound speedup for every model, Python's figures wherever python3 is
//! installed, and says so when Python is skipped.
mod support;

use serde_json::Value;
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use support::{run_with_timeout, workbook};

/// Generous: `--quick` takes under a minute (every job half a second
/// sequential, 5 runs, in Rust and in Python), but the test machine is busy.
const LIMIT: Duration = Duration::from_secs(300);
const MODELS: [&str; 4] = ["threads", "rayon", "processes", "tokio"];

fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "workbook bench failed: {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

fn positive(figures: &Value, path: &str) -> f64 {
    let value = path
        .split('.')
        .fold(figures, |v, key| &v[key])
        .as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number in:\n{figures:#}"));
    assert!(value.is_finite() && value > 0.0, "{path} = {value}");
    value
}

#[test]
fn json_has_every_figure_with_a_speedup_per_model() {
    let output = run_with_timeout(workbook(), &["bench", "--json", "--quick"], LIMIT);
    let stdout = succeeded(&output);
    assert!(
        output.stderr.is_empty(),
        "no progress bar when stdout is not a terminal: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let figures: Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    for model in MODELS {
        positive(&figures, &format!("cpu_bound.{model}.speedup"));
        positive(&figures, &format!("cpu_bound.{model}.seconds"));
        positive(&figures, &format!("io_bound.{model}.speedup"));
        positive(&figures, &format!("tiny_tasks.{model}.speedup"));
        let sweep = figures["sweep"][model]
            .as_array()
            .expect("a sweep per model");
        assert!(sweep.len() >= 2, "at least 1 and 2 workers");
        assert_eq!(sweep[0]["workers"], 1);
    }
    positive(&figures, "cpu_bound.sequential.seconds");
    for unit in ["thread", "rayon_job", "process", "tokio_task"] {
        positive(&figures, &format!("startup.{unit}.micros"));
    }
    positive(&figures, "machine.cores");
    // Waits overlap: a thread or a task per wait beats waiting in turn.
    assert!(
        positive(&figures, "io_bound.threads.speedup") > 1.5,
        "{figures:#}"
    );
    assert!(
        positive(&figures, "io_bound.tokio.speedup") > 1.5,
        "{figures:#}"
    );
    if cfg!(target_os = "linux") {
        positive(&figures, "memory.thread.kib");
        positive(&figures, "memory.tokio_task.bytes");
        positive(&figures, "memory.process.rss_kib");
    }
    match &figures["python"] {
        Value::Null => {
            let why = figures["python_skipped"]
                .as_str()
                .unwrap_or_else(|| panic!("no Python figures and no reason: {figures:#}"));
            assert!(
                !support::python3_installed(),
                "python3 is installed, but the Python figures are missing: {why}"
            );
            eprintln!("SKIPPED the Python figures: python3 is not installed ({why})");
        }
        python => {
            for model in MODELS {
                positive(python, &format!("cpu_bound.{model}.speedup"));
                positive(python, &format!("cpu_bound.{model}.rust_over_python"));
                positive(python, &format!("io_bound.{model}.rust_over_python"));
            }
            assert_eq!(python["cpu_bound"]["same_checksum_as_rust"], true);
            // The measuring policy holds for Python too: a median of runs
            // with its spread, not a best run.
            let threads = &python["cpu_bound"]["threads"];
            assert!(threads["runs"].as_u64() >= Some(5), "{python:#}");
            let range = &threads["speedup_range"];
            assert!(
                range[0].as_f64() <= threads["speedup"].as_f64()
                    && threads["speedup"].as_f64() <= range[1].as_f64(),
                "{python:#}"
            );
            let micros = &python["startup"]["process"];
            assert!(
                micros["micros_range"][0].as_f64() <= micros["micros"].as_f64(),
                "{python:#}"
            );
        }
    }
    // Every figure says how it was measured: runs, spread and the load.
    assert!(
        figures["machine"]["runs"].as_u64() >= Some(5),
        "{figures:#}"
    );
    assert!(figures["machine"]["load_average"].is_array() || !cfg!(target_os = "linux"));
    // How many cores the threads' runs got: the reason when a speedup is low.
    positive(&figures, "machine.threads_cores_used.median");
    assert!(
        figures["machine"]["threads_cores_used"]["runs"].as_u64() >= Some(5),
        "{figures:#}"
    );
    let threads = &figures["cpu_bound"]["threads"];
    assert!(threads["runs"].as_u64() >= Some(5), "{figures:#}");
    assert!(
        threads["speedup_range"][0].as_f64() <= threads["speedup"].as_f64(),
        "{figures:#}"
    );
}

/// Runs `workbook bench --quick` with Python switched off, within `LIMIT`.
fn bench_without_python() -> Output {
    let child = Command::new(workbook())
        .args(["bench", "--quick"])
        .env("WORKBOOK_PYTHON", "off")
        .env_remove("WORKBOOK_TRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start workbook");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    let Ok(output) = rx.recv_timeout(LIMIT) else {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid as i32),
            nix::sys::signal::Signal::SIGKILL,
        );
        panic!("workbook bench --quick did not finish within {LIMIT:?}; killed it");
    };
    output.expect("workbook output")
}

#[test]
fn text_report_has_the_tables_the_plot_and_says_python_was_skipped() {
    let stdout = succeeded(&bench_without_python());
    for heading in [
        "F1 · I/O-bound",
        "F1 · CPU-bound",
        "F2 · start-up",
        "F3 · pool size",
        "F4 · memory",
        "F5 · tiny tasks",
    ] {
        assert!(stdout.contains(heading), "missing {heading}:\n{stdout}");
    }
    assert!(
        stdout.contains("Python rows skipped: WORKBOOK_PYTHON=off"),
        "{stdout}"
    );
    assert!(
        stdout.contains("workers") && stdout.contains("┬"),
        "a plot with a workers axis:\n{stdout}"
    );
    assert!(
        stdout.contains("T threads  R rayon  P processes  K tokio"),
        "{stdout}"
    );
}

#[test]
fn sampler_json_has_each_case_with_its_figures_machine_and_verdict() {
    let output = run_with_timeout(
        workbook(),
        &["bench", "sampler", "--json", "--quick"],
        LIMIT,
    );
    let stdout = succeeded(&output);
    let figures: Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    if figures.get("skipped").is_some() {
        return; // no /proc schedstat on this machine
    }
    let cases = figures["cases"].as_array().expect("cases");
    let targets: Vec<&str> = cases.iter().filter_map(|c| c["target"].as_str()).collect();
    assert_eq!(targets, ["overhead", "alone", "shared", "sleeper"]);
    for case in cases {
        positive(case, "sampler_percent_of_a_core.median");
        positive(case, "rounds_per_second.median");
        // Shares of a thread's life: on a core and queued add up to 100% at most.
        let share = |key: &str| case[key]["median"].as_f64().expect("a share");
        let (on_cpu, queued) = (share("on_cpu_percent"), share("queued_percent"));
        assert!(
            on_cpu >= 0.0 && queued >= 0.0 && on_cpu + queued <= 100.5,
            "{case:#}"
        );
        assert!(case["machine"]["load_average"].is_array(), "{case:#}");
        assert!(case["machine"]["steal_fraction"].is_number(), "{case:#}");
        let verdict = case["verdict"]["verdict"].as_str().expect("a verdict");
        assert!(
            ["met", "missed", "not_judged"].contains(&verdict),
            "{verdict}"
        );
    }
}
