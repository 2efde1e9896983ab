use super::within;
use crate::ex::capture_output::{Captured, run_filter};
use std::process::Command;
use std::time::{Duration, Instant};

fn sh(script: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", script]);
    cmd
}

/// Runs `run_filter` under a deadline; `what` describes the run for messages.
fn run(what: &str, cmd: Command, input: Vec<u8>) -> Captured {
    let hang = format!(
        "run_filter did not return ({what}); the child and the parent were both left waiting"
    );
    within(Duration::from_secs(5), &hang, move || {
        run_filter(cmd, &input)
    })
    .unwrap_or_else(|e| panic!("run_filter failed ({what}): {e}"))
}

/// Polls until process `pid` is gone (reaped) or 2 s pass; a zombie fails.
fn assert_gone(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            return;
        };
        if Instant::now() > deadline {
            let state = stat.rsplit(')').next().unwrap_or("").trim_start();
            let state = state.chars().next().unwrap_or('?');
            panic!(
                "child {pid} is still in the process table after run_filter returned, in state {state} \
                 ({}): nobody waited for it",
                if state == 'Z' { "a zombie" } else { "running" }
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Distinct bytes, so a lost or reordered block shows.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[test]
fn a_few_bytes_stdout_stderr_and_status() {
    isolated!();
    let out = run(
        "a small filter",
        sh("tr a-z A-Z; echo warned >&2; exit 3"),
        b"hello\n".to_vec(),
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "HELLO\n");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "warned\n");
    assert_eq!(out.status.code(), Some(3), "exit status");
    assert_gone(out.pid);
}

#[test]
fn megabytes_through_cat() {
    isolated!();
    let input = pattern(3 << 20);
    let out = run(
        "cat with 3 MiB of input",
        Command::new("cat"),
        input.clone(),
    );
    assert_eq!(
        out.stdout.len(),
        input.len(),
        "bytes that came back out of cat"
    );
    assert!(out.stdout == input, "cat's output differs from its input");
    assert!(out.status.success());
    assert_gone(out.pid);
}

#[test]
fn a_flood_on_stderr_before_the_answer() {
    isolated!();
    let script = "head -c 2000000 /dev/zero | tr '\\0' w >&2; echo answer";
    let out = run(
        "a child that writes 2 MB to stderr, then one line to stdout",
        sh(script),
        Vec::new(),
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "answer\n");
    assert_eq!(out.stderr.len(), 2_000_000, "bytes captured from stderr");
    assert_gone(out.pid);
}

#[test]
fn both_streams_full_while_the_input_is_still_coming() {
    isolated!();
    // tee copies stdin to stdout and to stderr (through /dev/stderr).
    let input = pattern(1 << 20);
    let out = run(
        "tee with 1 MiB of input copied to stdout and stderr",
        sh("tee /dev/stderr"),
        input.clone(),
    );
    assert!(out.stdout == input, "stdout differs from the input");
    assert!(out.stderr == input, "stderr differs from the input");
    assert_gone(out.pid);
}

#[test]
fn a_child_that_ignores_its_input_is_fine() {
    isolated!();
    let out = run(
        "a child that prints one line and exits without reading 4 MiB of input",
        sh("echo early"),
        pattern(4 << 20),
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "early\n");
    assert!(out.status.success());
    assert_gone(out.pid);
}
