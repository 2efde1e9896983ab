//! [`Stopper`]: the handle that stops (or freezes) a supervised child's
//! tree, apart from the child itself so that the registry of what is alive
//! can hold stoppers without depending on the child's code (which registers
//! each child there).
use crate::tree::TreeId;
use std::process::ExitStatus;
use std::sync::mpsc::Sender;

/// What a child's owner hears: its exit (from the waiter thread) or a stop.
pub(crate) enum Message {
    Exited(ExitStatus),
    Stop,
}

/// Asks a supervised child's owner to stop it; cheap to clone and share.
#[derive(Clone)]
pub struct Stopper {
    pub(crate) tx: Sender<Message>,
    pub(crate) tree: TreeId,
}

impl Stopper {
    /// Kills the child's whole tree now and tells its owner, whose wait
    /// returns [`crate::Outcome::Stopped`].
    pub fn stop(&self) {
        let _ = self.tx.send(Message::Stop);
        self.tree.kill();
    }

    /// Freezes the child's whole tree (SIGSTOP to every process of it); the
    /// owner's wait goes on. Returns how many processes besides the child
    /// were stopped.
    pub fn freeze(&self) -> usize {
        self.tree.freeze()
    }

    /// Continues the tree after [`Stopper::freeze`] (SIGCONT).
    pub fn resume(&self) -> usize {
        self.tree.resume()
    }
}
