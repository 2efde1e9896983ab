//! RIGHT: no threads of its own: the Command becomes a tokio::process::Command on a small current-thread runtime, and one task writes stdin (then closes it) while reading stdout and stderr, all three joined with `tokio::join!`; then the child is reaped.
use std::io;
use std::process::{Command, ExitStatus, Stdio};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What a finished child left.
#[derive(Debug)]
pub struct Captured {
    pub pid: u32,
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Runs `cmd` with `input` on its stdin; its stdout, stderr and status.
pub fn run_filter(cmd: Command, input: &[u8]) -> io::Result<Captured> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    runtime.block_on(async {
        let mut cmd = tokio::process::Command::from(cmd);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let pid = child.id().expect("not yet reaped");
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let mut stdout_pipe = child.stdout.take().expect("stdout is piped");
        let mut stderr_pipe = child.stderr.take().expect("stderr is piped");
        let write = async move {
            let written = match stdin.write_all(input).await {
                // A child may exit without reading all its input.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            };
            drop(stdin); // end of input
            written
        };
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let (written, read_out, read_err) = tokio::join!(
            write,
            stdout_pipe.read_to_end(&mut stdout),
            stderr_pipe.read_to_end(&mut stderr),
        );
        // Reap the child whatever went wrong above.
        let status = child.wait().await?;
        written?;
        read_out?;
        read_err?;
        Ok(Captured {
            pid,
            status,
            stdout,
            stderr,
        })
    })
}
