//! WRONG: serve reads every request before answering any: right for a file, but a parent that waits for each reply before sending the next waits forever; the checks must send one request at a time.
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::process::{Command, Stdio};
use std::thread;

/// The worker's side: one reply line per request line, until the input ends.
pub fn serve(
    input: impl BufRead,
    mut output: impl Write,
    handle: impl Fn(&str) -> String,
) -> io::Result<usize> {
    let requests = input.lines().collect::<io::Result<Vec<String>>>()?;
    for request in &requests {
        writeln!(output, "{}", handle(request))?;
    }
    output.flush()?;
    Ok(requests.len())
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
