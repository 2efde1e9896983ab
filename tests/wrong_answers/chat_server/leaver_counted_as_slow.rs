//! WRONG: a client that leaves stays in the hub until a broadcast finds its queue closed, and every failed `try_send` (closed as well as full) counts as a slow client dropped: the summary reports a client that left as dropped for being slow.
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
    queue: mpsc::Sender<Arc<str>>,
    /// Dropped when the client is removed: its task sees that and ends.
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

    /// Queues `line` from client `from` for every other client, without
    /// waiting; a client whose queue is full is dropped.
    fn broadcast(&self, from: u64, line: &str) {
        let message: Arc<str> = format!("{from}: {line}\n").into();
        let mut members = self.members.lock().unwrap();
        let before = members.len();
        // A queue that takes no more lines belongs to a client that is
        // not keeping up: drop it.
        members.retain(|&id, member| {
            id == from || member.queue.try_send(Arc::clone(&message)).is_ok()
        });
        *self.dropped.lock().unwrap() += (before - members.len()) as u64;
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
    let mut tasks = JoinSet::new();
    let mut clients = 0;
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue }; // e.g. too many open files
                clients += 1;
                let task = client(clients, stream, Arc::clone(&hub), queue, stopping.clone());
                tasks.spawn(task);
            }
            // Reap finished client tasks, so the set does not grow for ever.
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
        }
    }
    drop(listener); // no more connections
    let _ = stop.send(true);
    let all_ended = async { while tasks.join_next().await.is_some() {} };
    if tokio::time::timeout(GOODBYE_LIMIT * 3, all_ended)
        .await
        .is_err()
    {
        tasks.shutdown().await; // abort the ones that overstay, and wait for them
    }
    let slow_clients_dropped = *hub.dropped.lock().unwrap();
    Ok(Summary {
        clients,
        slow_clients_dropped,
    })
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
    let (reader, mut writer) = stream.into_split();
    let (queue_tx, mut inbox) = mpsc::channel(queue);
    let (kick, mut kicked) = oneshot::channel();
    hub.join(id, queue_tx, kick);
    let mut lines = BufReader::new(reader).lines();
    let welcome = format!("welcome {id}\n");
    if writer.write_all(welcome.as_bytes()).await.is_ok() {
        loop {
            tokio::select! {
                _ = stopping.changed() => {
                    let goodbye = format!("{GOODBYE}\n");
                    let _ = tokio::time::timeout(GOODBYE_LIMIT, writer.write_all(goodbye.as_bytes())).await;
                    break;
                }
                _ = &mut kicked => break, // removed from the hub: too slow
                line = lines.next_line() => match line {
                    Ok(Some(line)) => hub.broadcast(id, &line),
                    _ => break, // gone, or not UTF-8
                },
                Some(message) = inbox.recv() => {
                    // A client that stops reading blocks this write: stop
                    // waiting for it when it is kicked or on shutdown.
                    tokio::select! {
                        written = writer.write_all(message.as_bytes()) => if written.is_err() { break },
                        _ = &mut kicked => break,
                        _ = stopping.changed() => break,
                    }
                }
            }
        }
    }
    // The next broadcast finds the queue closed and removes the member.
    let _ = writer.shutdown().await;
}
