//! A supervised child: started in a process group of its own, tagged (see
//! [`crate::tree`]), listed in the registry while it lives, waited for by a
//! thread of its own that reaps it and posts its status on a channel, so the
//! owner waits for exit, a deadline or a stop with one `recv_timeout`, with
//! no polling.
use crate::registry;
use crate::stopper::{Message, Stopper};
use crate::tree::{self, TAG_VAR, TreeId};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{ChildStderr, ChildStdin, ChildStdout, Command, ExitStatus};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How a supervised child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It exited by itself with this code.
    Exited(i32),
    /// A signal it did not catch ended it (number).
    Signalled(i32),
    /// It ran past its deadline and was killed.
    TimedOut(Duration),
    /// It was killed on request ([`Stopper::stop`] or [`crate::stop_all`]).
    Stopped,
}

impl Outcome {
    pub fn success(self) -> bool {
        self == Outcome::Exited(0)
    }

    fn of(status: ExitStatus) -> Outcome {
        match (status.code(), status.signal()) {
            (Some(code), _) => Outcome::Exited(code),
            (None, Some(signal)) => Outcome::Signalled(signal),
            (None, None) => Outcome::Exited(-1),
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Exited(code) => write!(f, "exited with code {code}"),
            Outcome::Signalled(signal) => write!(f, "was killed by {}", signal_name(*signal)),
            Outcome::TimedOut(limit) => write!(f, "ran longer than {} s", limit.as_secs()),
            Outcome::Stopped => write!(f, "was stopped"),
        }
    }
}

/// "signal 6 (SIGABRT)".
pub fn signal_name(signal: i32) -> String {
    let name = nix::sys::signal::Signal::try_from(signal).map_or("unknown", |s| s.as_str());
    format!("signal {signal} ({name})")
}

/// How the whole tree ended: the child's outcome, and how many other
/// processes of its tree were still alive and had to be killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ended {
    pub outcome: Outcome,
    pub strays: usize,
}

/// What [`Supervised::wait`] saw first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waited {
    Exited(ExitStatus),
    Deadline,
    StopAsked,
}

/// A running child under supervision. Dropping it kills its tree.
pub struct Supervised {
    tree: TreeId,
    messages: Receiver<Message>,
    tx: Sender<Message>,
    status: Option<ExitStatus>,
    stop_asked: bool,
    pub stdin: Option<ChildStdin>,
    pub stdout: Option<ChildStdout>,
    pub stderr: Option<ChildStderr>,
}

static NEXT_TAG: AtomicU64 = AtomicU64::new(0);

/// Starts `command` under supervision: a new process group, a tag, an entry
/// in the registry, a waiter thread.
pub fn spawn(command: &mut Command) -> std::io::Result<Supervised> {
    let tag = format!(
        "wb{}-{}",
        std::process::id(),
        NEXT_TAG.fetch_add(1, Ordering::Relaxed)
    );
    let mut child = command
        .process_group(0)
        .env(TAG_VAR, tree::tags_with(&tag))
        .spawn()?;
    let tree = TreeId::new(child.id() as i32, tag);
    let (tx, messages) = mpsc::channel();
    let stopper = Stopper {
        tx: tx.clone(),
        tree: tree.clone(),
    };
    registry::add(tree.root, stopper);
    let (stdin, stdout, stderr) = (child.stdin.take(), child.stdout.take(), child.stderr.take());
    let waiter_tx = tx.clone();
    std::thread::Builder::new()
        .name("child-waiter".into())
        .spawn(move || {
            // A failed wait means the child is gone already: report it as
            // killed rather than leave the owner waiting.
            let status = child.wait().unwrap_or(ExitStatus::from_raw(9));
            let _ = waiter_tx.send(Message::Exited(status));
        })?;
    Ok(Supervised {
        tree,
        messages,
        tx,
        status: None,
        stop_asked: false,
        stdin,
        stdout,
        stderr,
    })
}

impl Supervised {
    pub fn pid(&self) -> u32 {
        self.tree.root as u32
    }

    /// A handle that stops this child from another thread.
    pub fn stopper(&self) -> Stopper {
        Stopper {
            tx: self.tx.clone(),
            tree: self.tree.clone(),
        }
    }

    /// Waits until the child exits, `limit` passes (if given) or a stop is
    /// asked, without killing anything: the caller may look at the child
    /// first (see [`crate::threads`]), then calls [`Supervised::end`].
    pub fn wait(&mut self, limit: Option<Duration>) -> Waited {
        if let Some(status) = self.status {
            return Waited::Exited(status);
        }
        let deadline = limit.map(|l| Instant::now() + l);
        let message = match deadline {
            Some(deadline) => {
                match self
                    .messages
                    .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                {
                    Ok(message) => message,
                    Err(RecvTimeoutError::Timeout) => return Waited::Deadline,
                    Err(RecvTimeoutError::Disconnected) => unreachable!("we hold a sender"),
                }
            }
            None => self.messages.recv().expect("we hold a sender"),
        };
        match message {
            Message::Exited(status) => {
                self.status = Some(status);
                Waited::Exited(status)
            }
            Message::Stop => {
                self.stop_asked = true;
                Waited::StopAsked
            }
        }
    }

    /// Kills whatever is left of the tree, reaps the child and the strays
    /// this process may reap, and says how the child ended. A child still
    /// running here counts as stopped unless `timed_out` says why.
    pub fn end(mut self, timed_out: Option<Duration>) -> Ended {
        let strays = self.tree.kill();
        let status = match self.status {
            Some(status) => status,
            None => loop {
                match self.messages.recv().expect("we hold a sender") {
                    Message::Exited(status) => break status,
                    Message::Stop => self.stop_asked = true,
                }
            },
        };
        let exited_first = self.status.is_some();
        self.status = Some(status);
        let outcome = match timed_out {
            Some(limit) if !exited_first => Outcome::TimedOut(limit),
            _ if self.stop_asked && !exited_first => Outcome::Stopped,
            _ => Outcome::of(status),
        };
        Ended { outcome, strays }
    }

    /// Waits for exit, `limit` or a stop, then ends the tree.
    pub fn run(mut self, limit: Option<Duration>) -> Ended {
        match self.wait(limit) {
            Waited::Deadline => self.end(limit),
            Waited::Exited(_) | Waited::StopAsked => self.end(None),
        }
    }
}

impl Drop for Supervised {
    fn drop(&mut self) {
        registry::remove(self.tree.root);
        if self.status.is_none() {
            // Ended early (a panic, an early return): leave nothing behind.
            // The waiter thread reaps the child.
            self.tree.kill();
        }
    }
}
