//! RIGHT: no second thread: `ask` runs a current-thread tokio runtime and drives the writing of the requests and the reading of the replies as two futures with `tokio::join!`; `serve` reads with `read_line` into one reused buffer.
use std::io::{self, BufRead, Write};
use std::process::{Command, Stdio};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, BufWriter};

pub fn serve(
    mut input: impl BufRead,
    mut output: impl Write,
    handle: impl Fn(&str) -> String,
) -> io::Result<usize> {
    let mut served = 0;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(served);
        }
        let request = line.strip_suffix('\n').unwrap_or(&line);
        let request = request.strip_suffix('\r').unwrap_or(request);
        output.write_all(handle(request).as_bytes())?;
        output.write_all(b"\n")?;
        // The parent waits for this reply before it may send more.
        output.flush()?;
        served += 1;
    }
}

pub fn ask(worker: Command, requests: &[String]) -> io::Result<Vec<String>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    runtime.block_on(ask_async(worker, requests))
}

async fn ask_async(worker: Command, requests: &[String]) -> io::Result<Vec<String>> {
    let mut worker = tokio::process::Command::from(worker);
    let mut child = worker
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let stdin = child.stdin.take().expect("stdin is piped");
    let stdout = child.stdout.take().expect("stdout is piped");
    let write_all = async move {
        let mut stdin = BufWriter::new(stdin);
        for request in requests {
            stdin.write_all(request.as_bytes()).await?;
            stdin.write_all(b"\n").await?;
        }
        stdin.flush().await?;
        stdin.shutdown().await
        // `stdin` is dropped here: the worker sees the end of its input.
    };
    let read_all = async move {
        let mut lines = BufReader::new(stdout).lines();
        let mut replies = Vec::new();
        while let Some(line) = lines.next_line().await? {
            replies.push(line);
        }
        Ok::<_, io::Error>(replies)
    };
    // Both at once: neither side can fill a pipe the other is not emptying.
    let (written, replies) = tokio::join!(write_all, read_all);
    // Reaped on every path; its failure says more than the broken pipe.
    let status = child.wait().await?;
    if !status.success() {
        return Err(io::Error::other(format!("the worker failed: {status}")));
    }
    written?;
    replies
}
