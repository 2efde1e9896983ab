//! # line_protocol · lesson 02 · a worker process, one message a line (M2, M3)
//!
//! A parent and a worker process talk over the worker's stdin and stdout, one
//! message a line. Write both sides:
//!
//! 1. [`serve`], the worker: read requests one a line, write `handle(line)`
//!    as one line for each, and flush after each reply (the parent may be
//!    waiting for it). Return how many requests were served when the input
//!    ends.
//! 2. [`ask`], the parent: start `worker` with piped stdin and stdout, send
//!    each request as a line, and return the reply lines in order. Then wait
//!    for the worker and report a failure if it did not exit successfully.
//!
//! A big batch must not deadlock. A pipe holds only about 64 KiB: a worker
//! blocks when its stdout is full, and a parent blocks writing to a full
//! stdin. If the parent writes every request before reading any reply, both
//! wait for each other forever. Write the requests on a second thread while
//! this one reads the replies, and close stdin (drop it) when done so the
//! worker sees the end of its input.
//!
//! In lesson 02 the worker is this same program started again with a worker
//! flag (`std::env::current_exe()`); the checks use small Unix tools instead.
//!
//! Check it: `cargo run -- check line_protocol`
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::process::{Command, Stdio};
use std::thread;

/// The worker's side: one reply line per request line, until the input ends.
pub fn serve(
    input: impl BufRead,
    mut output: impl Write,
    handle: impl Fn(&str) -> String,
) -> io::Result<usize> {
    let mut served = 0;
    for line in input.lines() {
        writeln!(output, "{}", handle(&line?))?;
        output.flush()?;
        served += 1;
    }
    Ok(served)
}

/// The parent's side: sends `requests` to a new `worker`, returns its replies.
pub fn ask(mut worker: Command, requests: &[String]) -> io::Result<Vec<String>> {
    let mut child = worker
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let stdin = child.stdin.take().expect("stdin is piped");
    let stdout = child.stdout.take().expect("stdout is piped");
    let replies = thread::scope(|scope| {
        let writer = scope.spawn(move || -> io::Result<()> {
            let mut stdin = BufWriter::new(stdin);
            for request in requests {
                writeln!(stdin, "{request}")?;
            }
            stdin.flush()
            // `stdin` is dropped here, which closes the pipe.
        });
        let replies = BufReader::new(stdout)
            .lines()
            .collect::<io::Result<Vec<_>>>();
        writer.join().expect("the writer thread panicked")?;
        replies
    });
    // Reap the worker whatever went wrong above (a worker that exits early
    // makes the writes fail), so it never stays a zombie; its failure, if
    // it failed, says more than the broken pipe it caused.
    let status = child.wait()?;
    if !status.success() {
        return Err(io::Error::other(format!("the worker failed: {status}")));
    }
    replies
}
