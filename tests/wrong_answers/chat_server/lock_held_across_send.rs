//! WRONG: the hub is behind a tokio Mutex and broadcast awaits `send` on each bounded queue while holding it, so no line is lost; but a client that stops reading fills its queue, the broadcast waits for it with the lock held, and every other client stalls behind it: the checks must see the reading client starve.
use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex as AsyncMutex;
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
    // An async lock, so that it can be held across the sends below.
    members: AsyncMutex<HashMap<u64, Member>>,
    dropped: Mutex<u64>,
}

impl Hub {
    async fn join(&self, id: u64, queue: mpsc::Sender<Arc<str>>, kick: oneshot::Sender<()>) {
        let member = Member { queue, _kick: kick };
        self.members.lock().await.insert(id, member);
    }

    async fn leave(&self, id: u64) {
        self.members.lock().await.remove(&id);
    }

    /// Queues `line` from client `from` for every other client, without
    /// waiting; a client whose queue is full is dropped.
    async fn broadcast(&self, from: u64, line: &str) {
        let message: Arc<str> = format!("{from}: {line}\n").into();
        let mut members = self.members.lock().await;
        let mut gone = Vec::new();
        for (&id, member) in members.iter() {
            if id == from {
                continue;
            }
            // The queue is bounded: a full one waits here for room, so no
            // line is ever lost. A closed one belongs to a client that left.
            if member.queue.send(Arc::clone(&message)).await.is_err() {
                gone.push(id);
            }
        }
        for id in gone {
            members.remove(&id);
        }
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
    hub.join(id, queue_tx, kick).await;
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
                    Ok(Some(line)) => hub.broadcast(id, &line).await,
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
    hub.leave(id).await;
    let _ = writer.shutdown().await;
}
