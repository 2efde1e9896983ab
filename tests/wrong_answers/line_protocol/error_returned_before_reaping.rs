//! WRONG: right while all goes well, but when a write fails (a worker that exits without reading its input) the error is returned with `?` before the worker is waited for: it stays a zombie after ask returned: the checks must see it unreaped.
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
    })?;
    let status = child.wait()?;
    if !status.success() {
        return Err(io::Error::other(format!("the worker failed: {status}")));
    }
    Ok(replies)
}
