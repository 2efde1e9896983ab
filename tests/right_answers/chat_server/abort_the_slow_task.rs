//! RIGHT: no kick signal: the hub keeps each client's AbortHandle and aborts a slow client's task (dropping its socket); shutdown is a tokio broadcast channel, and `serve` keeps plain JoinHandles in a Vec instead of a JoinSet.
use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, mpsc};
use tokio::task::{AbortHandle, JoinHandle};

pub const GOODBYE: &str = "server shutting down";
pub const GOODBYE_LIMIT: Duration = Duration::from_millis(200);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub clients: u64,
    pub slow_clients_dropped: u64,
}

struct Member {
    queue: mpsc::Sender<Arc<str>>,
    task: AbortHandle,
}

#[derive(Default)]
struct Hub {
    members: HashMap<u64, Member>,
    dropped: u64,
}

type SharedHub = Arc<Mutex<Hub>>;

fn broadcast_line(hub: &SharedHub, from: u64, line: &str) {
    let message: Arc<str> = format!("{from}: {line}\n").into();
    let mut hub = hub.lock().unwrap();
    let mut slow = Vec::new();
    for (&id, member) in &hub.members {
        if id == from {
            continue;
        }
        if let Err(mpsc::error::TrySendError::Full(_)) = member.queue.try_send(Arc::clone(&message))
        {
            slow.push(id);
        }
    }
    for id in slow {
        if let Some(member) = hub.members.remove(&id) {
            // Ending its task drops its socket: the connection closes.
            member.task.abort();
            hub.dropped += 1;
        }
    }
}

pub async fn serve(
    listener: TcpListener,
    queue: usize,
    shutdown: impl Future<Output = ()>,
) -> io::Result<Summary> {
    let hub: SharedHub = Arc::default();
    let (stop, _) = broadcast::channel::<()>(1);
    let mut tasks: Vec<JoinHandle<()>> = Vec::new();
    let mut clients = 0;
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                clients += 1;
                let id = clients;
                let (queue_tx, inbox) = mpsc::channel(queue);
                let stopping = stop.subscribe();
                // Hold the lock while spawning, so the task cannot leave
                // before it has joined.
                let mut locked = hub.lock().unwrap();
                let handle = tokio::spawn(client(id, stream, Arc::clone(&hub), inbox, stopping));
                let task = handle.abort_handle();
                locked.members.insert(id, Member { queue: queue_tx, task });
                drop(locked);
                tasks.retain(|task| !task.is_finished());
                tasks.push(handle);
            }
        }
    }
    drop(listener);
    let _ = stop.send(());
    let aborts: Vec<AbortHandle> = tasks.iter().map(JoinHandle::abort_handle).collect();
    let all_ended = futures::future::join_all(tasks);
    if tokio::time::timeout(GOODBYE_LIMIT * 3, all_ended)
        .await
        .is_err()
    {
        for task in &aborts {
            task.abort();
        }
    }
    hub.lock().unwrap().members.clear();
    let slow_clients_dropped = hub.lock().unwrap().dropped;
    Ok(Summary {
        clients,
        slow_clients_dropped,
    })
}

async fn client(
    id: u64,
    stream: TcpStream,
    hub: SharedHub,
    mut inbox: mpsc::Receiver<Arc<str>>,
    mut stopping: broadcast::Receiver<()>,
) {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    let welcome = format!("welcome {id}\n");
    if writer.write_all(welcome.as_bytes()).await.is_ok() {
        loop {
            tokio::select! {
                _ = stopping.recv() => {
                    let goodbye = format!("{GOODBYE}\n");
                    let _ = tokio::time::timeout(GOODBYE_LIMIT, writer.write_all(goodbye.as_bytes())).await;
                    break;
                }
                line = lines.next_line() => match line {
                    Ok(Some(line)) => broadcast_line(&hub, id, &line),
                    _ => break,
                },
                Some(message) = inbox.recv() => {
                    tokio::select! {
                        written = writer.write_all(message.as_bytes()) => if written.is_err() { break },
                        _ = stopping.recv() => break,
                    }
                }
            }
        }
    }
    hub.lock().unwrap().members.remove(&id);
    let _ = writer.shutdown().await;
}
