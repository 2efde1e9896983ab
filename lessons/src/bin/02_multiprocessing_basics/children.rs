//! The parent's toolbox: start a worker, wait for it with a deadline, and
//! never leave a child behind.
//!
//! Two facts about `std::process::Child` shape everything here:
//! - dropping a `Child` neither kills it nor waits for it. The process keeps
//!   running, and when it ends it stays a zombie until someone reaps it.
//! - `Child::wait` has no timeout. A child that hangs hangs its parent too.
//!
//! So every child in this lesson lives in a [`KillOnDrop`], and every wait goes
//! through [`wait_timeout`].
use std::io::{self, BufRead, BufReader, Read};
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A command that starts this very program in worker mode:
/// `02_multiprocessing_basics worker <args...>`.
///
/// This is Rust's answer to Python's fork and its `if __name__ == "__main__"`
/// guard: the child is a fresh process, and its arguments say what it does.
pub fn worker(args: &[&str]) -> Command {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().expect("the path of this program");
    // On Linux, `/proc/self/exe` is the very file this process runs, even if
    // `cargo build` has replaced the program on disk since it started.
    let self_exe = Path::new("/proc/self/exe");
    let mut command = Command::new(if self_exe.exists() { self_exe } else { &exe });
    let name = exe.file_name().unwrap_or(exe.as_os_str()).to_owned();
    command.arg0(name).arg("worker").args(args);
    command
}

/// A child process that is killed and reaped when this value is dropped, on
/// every path out of a function: return, `?`, or panic.
pub struct KillOnDrop(Child);

impl KillOnDrop {
    pub fn spawn(command: &mut Command) -> io::Result<Self> {
        command.spawn().map(KillOnDrop)
    }
}

impl Deref for KillOnDrop {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl DerefMut for KillOnDrop {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            // SIGKILL cannot be caught or ignored, so the wait after it is short.
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Waits up to `limit` for the child to end. `Ok(None)` means it is still
/// running: the caller decides whether to kill it.
pub fn wait_timeout(child: &mut Child, limit: Duration) -> io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + limit;
    let mut pause = Duration::from_micros(50);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(None);
        }
        std::thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(5));
    }
}

/// Like `Command::output`, with a deadline: runs the command with its output
/// captured and kills it if it runs past `limit`.
pub fn output_timeout(command: &mut Command, limit: Duration) -> io::Result<Output> {
    let mut child = KillOnDrop::spawn(
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    )?;
    // Each pipe gets its own reader thread: a child blocked writing to a full
    // stderr pipe while we read only stdout would never finish.
    let stdout = read_all(child.stdout.take());
    let stderr = read_all(child.stderr.take());
    let waiting = tracing::info_span!("wait", waiting_on = "the child to finish").entered();
    let waited = wait_timeout(&mut child, limit)?;
    drop(waiting);
    let Some(status) = waited else {
        return Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("still running after {limit:?}; killed"),
        ));
    };
    Ok(Output {
        status,
        stdout: stdout.recv_timeout(limit).unwrap_or_default(),
        stderr: stderr.recv_timeout(limit).unwrap_or_default(),
    })
}

fn read_all(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    if let Some(mut pipe) = pipe {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            let _ = tx.send(buf);
        });
    }
    rx
}

/// Forwards each line a child writes to a channel, tagged with `from`, on a
/// thread of its own. The parent can then wait for lines with
/// `recv_timeout`, which a blocking `read_line` cannot do.
pub fn forward_lines<T: Copy + Send + 'static>(
    pipe: impl Read + Send + 'static,
    from: T,
    to: mpsc::Sender<(T, String)>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if to.send((from, line)).is_err() {
                break;
            }
        }
    });
}

/// `exit code 3`, `killed by signal 6 (SIGABRT)`: an exit status in words.
pub fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    if let Some(code) = status.code() {
        format!("exit code {code}")
    } else if let Some(signal) = status.signal() {
        let name = nix::sys::signal::Signal::try_from(signal).map_or("?", |s| s.as_str());
        format!("killed by signal {signal} ({name})")
    } else {
        format!("{status}")
    }
}

/// A path in the temp directory, unique to this process, removed on drop.
pub struct TempPath(PathBuf);

impl TempPath {
    pub fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("workbook-02-{}-{name}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        TempPath(path)
    }
}

impl Deref for TempPath {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The state letter the kernel shows for a process in `/proc/PID/stat` (R
/// running, S sleeping, Z zombie), or `None` once it is gone (Linux only).
pub fn state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit(')').next()?.trim().chars().next()
}

/// Connects to the server's socket, retrying until it exists or time is up.
pub fn connect_within(path: &Path, limit: Duration) -> io::Result<std::os::unix::net::UnixStream> {
    let deadline = Instant::now() + limit;
    loop {
        match std::os::unix::net::UnixStream::connect(path) {
            Ok(stream) => {
                stream.set_read_timeout(Some(limit))?;
                return Ok(stream);
            }
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Err(err) => return Err(err),
        }
    }
}
