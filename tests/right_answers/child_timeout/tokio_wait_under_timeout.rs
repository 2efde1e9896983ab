//! RIGHT: no polling loop: on a small current-thread tokio runtime, a task reads stdout while tokio::time::timeout bounds child.wait(); past the limit, tokio's Child::kill kills and reaps the child.
use std::io;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;
use tokio::io::AsyncReadExt;

/// How a run ended.
#[derive(Debug)]
pub enum Outcome {
    /// The child exited by itself.
    Finished { status: ExitStatus, stdout: String },
    /// The child ran past the limit and was killed and reaped.
    TimedOut { pid: u32 },
}

/// Runs `cmd`; kills and reaps it if it runs longer than `limit`.
pub fn run_with_deadline(cmd: Command, limit: Duration) -> io::Result<Outcome> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut cmd = tokio::process::Command::from(cmd);
        let mut child = cmd.stdout(Stdio::piped()).spawn()?;
        let pid = child.id().expect("not yet reaped");
        let mut stdout = child.stdout.take().expect("stdout is piped");
        // Read while the child runs, so a child with a lot to say finishes.
        let reader = tokio::spawn(async move {
            let mut text = String::new();
            stdout.read_to_string(&mut text).await.map(|_| text)
        });
        match tokio::time::timeout(limit, child.wait()).await {
            Ok(status) => {
                let status = status?;
                let stdout = reader
                    .await
                    .map_err(|_| io::Error::other("the reader task failed"))??;
                Ok(Outcome::Finished { status, stdout })
            }
            Err(_limit_passed) => {
                child.kill().await?; // kills, then waits: reaped
                // The reader is dropped with the runtime; a grandchild
                // holding the pipe open must not keep us here.
                Ok(Outcome::TimedOut { pid })
            }
        }
    })
}
