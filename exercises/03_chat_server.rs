//! # chat_server · lesson 03 · capstone: a chat server on tokio (A2, A3, A9, A11, V5)
//!
//! About 45 minutes. Write [`serve`]: a chat server over TCP. The checks
//! connect real clients to it on 127.0.0.1.
//!
//! ## The protocol (lines of text, each ending in `\n`)
//!
//! 1. A client connects. The server gives it an id (1, 2, 3, ...: never
//!    reused) and sends `welcome <id>`. From then on, the client gets every
//!    line that any *other* client sends.
//! 2. When client 7 sends `hello`, every other connected client gets
//!    `7: hello`. Lines from one client arrive in the order it sent them.
//!    The sender does not get its own line back.
//! 3. A client that disconnects is forgotten; the others go on.
//!
//! ## A slow client must not stall the others
//!
//! A client that stops reading must cost the others nothing: no sender
//! waits for it, and the server does not keep its backlog without limit.
//! Each client has a queue of at most `queue` lines. When a line cannot be
//! queued for a client because its queue is full, that client is
//! disconnected (its connection closed, its task ended) and counted in
//! [`Summary::slow_clients_dropped`]. That is our policy: dropping the line
//! instead would silently give that client a chat with holes in it.
//!
//! ## Graceful shutdown
//!
//! When the `shutdown` future completes: stop accepting connections; send
//! every client the line [`GOODBYE`] (a client that does not take it within
//! [`GOODBYE_LIMIT`] is not waited for); close every connection; and return
//! once every task the server started has ended (within a second).
//!
//! ## What is provided
//!
//! [`Hub`] keeps the connected clients, each with the sending end of its
//! queue; `join` and `leave` are written. Write `Hub::broadcast`, the
//! per-client task [`client`], and the accept loop in [`serve`]. Useful:
//! `tokio::select!`, `mpsc::Sender::try_send` (never waits), a `watch`
//! channel for the shutdown signal, `JoinSet` for the client tasks,
//! `TcpStream::into_split`, `AsyncBufReadExt::lines` (its `next_line` is
//! cancel-safe).
//!
//! Check it: `cargo run -- check chat_server`
use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinSet;

/// The line every client gets when the server shuts down.
pub const GOODBYE: &str = "server shutting down";
/// How long shutdown waits for a client to take its goodbye.
pub const GOODBYE_LIMIT: Duration = Duration::from_millis(200);

/// What `serve` reports when it returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Clients that connected (and were welcomed).
    pub clients: u64,
    /// Clients disconnected because their queue was full.
    pub slow_clients_dropped: u64,
}

/// One connected client, as the hub sees it.
struct Member {
    /// The sending end of the client's queue of lines to write to it.
    queue: mpsc::Sender<Arc<str>>,
    /// Dropped when the client is removed from the hub, so that its task,
    /// holding the receiving end, can notice at once that it was dropped.
    _kick: oneshot::Sender<()>,
}

/// Everyone connected, by id.
#[derive(Default)]
pub struct Hub {
    members: Mutex<HashMap<u64, Member>>,
    dropped: Mutex<u64>,
}

impl Hub {
    fn join(&self, id: u64, queue: mpsc::Sender<Arc<str>>, kick: oneshot::Sender<()>) {
        let member = Member { queue, _kick: kick };
        self.members.lock().unwrap().insert(id, member);
    }

    fn leave(&self, id: u64) {
        self.members.lock().unwrap().remove(&id);
    }

    /// Queues `line` from client `from` for every other client, without
    /// waiting; a client whose queue is full is removed and counted.
    fn broadcast(&self, from: u64, line: &str) {
        // TODO: format `<from>: <line>\n` once (an `Arc<str>` is cheap to
        // clone), `try_send` it to every other member, and remove (and
        // count in `dropped`) each member whose queue is full.
        todo!("broadcast a line")
    }
}

/// Serves chat on `listener`, each client with a queue of `queue` lines,
/// until `shutdown` completes; then says goodbye to every client, closes
/// every connection, ends every task, and returns.
pub async fn serve(
    listener: TcpListener,
    queue: usize,
    shutdown: impl Future<Output = ()>,
) -> io::Result<Summary> {
    let hub = Arc::new(Hub::default());
    let (stop, stopping) = watch::channel(false);
    let mut tasks: JoinSet<()> = JoinSet::new();
    // TODO: accept clients (each gets the next id and a `client` task in
    // `tasks`) until `shutdown` completes. Then stop accepting, tell the
    // client tasks to stop, and wait for them all (aborting any that do not
    // end in time). Return the summary.
    todo!("the accept loop and the shutdown")
}

/// One client: welcome it, then relay its lines to the hub and the hub's
/// lines to it, until it leaves, is dropped as too slow, or shutdown.
async fn client(
    id: u64,
    stream: TcpStream,
    hub: Arc<Hub>,
    queue: usize,
    mut stopping: watch::Receiver<bool>,
) {
    // TODO: make the queue (`mpsc::channel(queue)`) and the kick
    // (`oneshot::channel()`), join the hub, send the welcome line, then loop
    // over whichever comes first: a line from the client (broadcast it), a
    // line in the queue (write it), the kick, or the shutdown signal (write
    // the goodbye, within GOODBYE_LIMIT). A write to a client that does not
    // read can wait for ever: what must still be able to interrupt it?
    // At the end, leave the hub.
    todo!("one client's task")
}
