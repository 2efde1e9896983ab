//! WRONG: ask writes every request, then reads the replies, on one thread: fine for a few requests, a pipe deadlock for many; the checks must send a big batch.
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
    let mut stdin = BufWriter::new(stdin);
    for request in requests {
        writeln!(stdin, "{request}")?;
    }
    stdin.flush()?;
    drop(stdin);
    let replies = BufReader::new(stdout)
        .lines()
        .collect::<io::Result<Vec<_>>>()?;
    let status = child.wait()?;
    if !status.success() {
        return Err(io::Error::other(format!("the worker failed: {status}")));
    }
    Ok(replies)
}
