//! RIGHT: ask the other way round: a spawned thread reads the replies while this thread writes the requests and then closes stdin.
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
    let reader = thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .collect::<io::Result<Vec<_>>>()
    });
    let mut stdin = BufWriter::new(stdin);
    let written = requests
        .iter()
        .try_for_each(|request| writeln!(stdin, "{request}"))
        .and_then(|()| stdin.flush());
    drop(stdin);
    let replies = reader.join().expect("the reader thread panicked");
    // Reaped before any error is returned, so it never stays a zombie.
    let status = child.wait()?;
    if !status.success() {
        return Err(io::Error::other(format!("the worker failed: {status}")));
    }
    written?;
    replies
}
