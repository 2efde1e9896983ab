use super::{assert_no_child_left, within};
use crate::ex::pipe_between::{Piped, pipe};
use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::time::Duration;

fn sh(script: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", script]);
    cmd
}

fn run(what: &str, first: Command, second: Command) -> Piped {
    let hang = format!("pipe did not return ({what})");
    within(Duration::from_secs(5), &hang, move || pipe(first, second))
        .unwrap_or_else(|e| panic!("pipe failed ({what}): {e}"))
}

#[test]
fn many_lines_flow_from_the_first_to_the_second() {
    isolated!();
    let mut seq = Command::new("seq");
    seq.args(["1", "200000"]);
    let piped = run(
        "seq 1 200000 | wc -l",
        seq,
        Command::new("wc").tap_arg("-l"),
    );
    assert_eq!(
        piped.output.trim(),
        "200000",
        "wc -l counted this many lines"
    );
    assert!(piped.first.success() && piped.second.success());
}

#[test]
fn more_output_than_a_pipe_holds_comes_back_whole() {
    isolated!();
    // The second child writes about 590 KB: far more than its stdout pipe
    // holds (about 64 KiB), so it finishes only if someone reads meanwhile.
    let mut seq = Command::new("seq");
    seq.args(["1", "100000"]);
    let piped = run(
        "seq 1 100000 | cat: about 590 KB from the second child, more than a pipe holds",
        seq,
        Command::new("cat"),
    );
    let expected: String = (1..=100_000).map(|n| format!("{n}\n")).collect();
    assert!(
        piped.output == expected,
        "the second child's output: {} bytes, expected the {} bytes of 1 to 100000, one a line",
        piped.output.len(),
        expected.len()
    );
    assert!(piped.first.success() && piped.second.success());
}

#[test]
fn both_exit_statuses_come_back() {
    isolated!();
    let piped = run(
        "a first child that exits 3 | cat",
        sh("echo one; exit 3"),
        sh("cat; exit 5"),
    );
    assert_eq!(piped.output, "one\n");
    assert_eq!(
        (piped.first.code(), piped.second.code()),
        (Some(3), Some(5)),
        "(first, second) exit codes"
    );
}

#[test]
fn the_bytes_do_not_pass_through_this_process() {
    isolated!();
    // Each child names the pipe it holds (/proc/self/fd/N is `pipe:[inode]`):
    // the first its stdout, in a file; the second its stdin, on its stdout.
    let file = std::env::temp_dir().join(format!(
        "pipe_between_{}_{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let file_arg = file.display().to_string();
    let first = sh(&format!(
        "end=$(readlink /proc/$$/fd/1); echo \"$end\" > '{file_arg}'; echo data"
    ));
    let second = sh("readlink /proc/$$/fd/0; cat > /dev/null");
    let piped = run("two children that name their pipe ends", first, second);
    let first_end = std::fs::read_to_string(&file).unwrap_or_default();
    let _ = std::fs::remove_file(&file);
    assert!(
        first_end.starts_with("pipe:"),
        "the first child's stdout is {first_end:?}, not a pipe"
    );
    assert_eq!(
        piped.output.trim(),
        first_end.trim(),
        "the first child writes into one pipe and the second reads from another: \
         the bytes are being carried across by this process"
    );
}

#[test]
fn a_reader_that_stops_early_stops_the_writer() {
    isolated!();
    // Children of a Rust program ignore SIGPIPE (Rust ignores it, and exec
    // keeps that), so the writer stops when a write fails, with status 7.
    let endless = sh("while echo y; do :; done; exit 7");
    let mut head = Command::new("head");
    head.args(["-n", "3"]);
    let piped = run(
        "an endless writer | head -n 3 (the writer's writes must fail once head exits)",
        endless,
        head,
    );
    assert_eq!(piped.output, "y\ny\ny\n");
    assert!(piped.second.success(), "head's status: {:?}", piped.second);
    assert!(
        piped.first.code() == Some(7) || piped.first.signal() == Some(13),
        "the endless writer ended with {:?}; it should have stopped because its writes failed",
        piped.first
    );
}

#[test]
fn a_second_that_cannot_start_leaves_no_first_behind() {
    isolated!();
    let mut sleeper = Command::new("sleep");
    sleeper.arg("30");
    let missing = Command::new("/nonexistent/no-such-program");
    let result = within(
        Duration::from_secs(5),
        "pipe did not return (the second command does not exist)",
        move || pipe(sleeper, missing).map(|_| ()),
    );
    assert!(
        result.is_err(),
        "pipe returned Ok, but the second command does not exist"
    );
    assert_no_child_left(
        "pipe returned the error of a second command that could not start (sleep 30 | a missing program)",
    );
}

/// `Command::new("wc").tap_arg("-l")`: one argument, inline.
trait TapArg {
    fn tap_arg(self, arg: &str) -> Self;
}

impl TapArg for Command {
    fn tap_arg(mut self, arg: &str) -> Self {
        self.arg(arg);
        self
    }
}
