//! RIGHT: no shared map behind a lock: one hub task owns the members and takes join/leave/line events from a channel (an actor); each client has a reader task and a writer task, and the writer is aborted when its client is dropped or on shutdown.
use std::collections::HashMap;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinSet;

pub const GOODBYE: &str = "server shutting down";
pub const GOODBYE_LIMIT: Duration = Duration::from_millis(200);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub clients: u64,
    pub slow_clients_dropped: u64,
}

enum Event {
    Join(u64, mpsc::Sender<Arc<str>>, oneshot::Sender<()>),
    Leave(u64),
    Line(u64, String),
}

/// The hub: owns every member's queue; ends when every event sender is gone.
async fn hub(mut events: mpsc::Receiver<Event>) -> u64 {
    let mut members: HashMap<u64, (mpsc::Sender<Arc<str>>, oneshot::Sender<()>)> = HashMap::new();
    let mut dropped = 0;
    while let Some(event) = events.recv().await {
        match event {
            Event::Join(id, queue, kick) => {
                members.insert(id, (queue, kick));
            }
            Event::Leave(id) => {
                members.remove(&id);
            }
            Event::Line(from, line) => {
                let message: Arc<str> = format!("{from}: {line}\n").into();
                let full: Vec<u64> = members
                    .iter()
                    .filter(|(id, (queue, _))| {
                        **id != from
                            && matches!(
                                queue.try_send(Arc::clone(&message)),
                                Err(mpsc::error::TrySendError::Full(_))
                            )
                    })
                    .map(|(id, _)| *id)
                    .collect();
                for id in full {
                    members.remove(&id); // drops its queue and its kick
                    dropped += 1;
                }
            }
        }
    }
    dropped
}

pub async fn serve(
    listener: TcpListener,
    queue: usize,
    shutdown: impl Future<Output = ()>,
) -> io::Result<Summary> {
    let (events, inbox) = mpsc::channel(1024);
    let hub_task = tokio::spawn(hub(inbox));
    let (stop, stopping) = watch::channel(false);
    let mut tasks = JoinSet::new();
    let mut clients = 0;
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                clients += 1;
                tasks.spawn(client(clients, stream, events.clone(), queue, stopping.clone()));
            }
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
        }
    }
    drop(listener);
    let _ = stop.send(true);
    if tokio::time::timeout(GOODBYE_LIMIT * 3, async {
        while tasks.join_next().await.is_some() {}
    })
    .await
    .is_err()
    {
        tasks.shutdown().await;
    }
    drop(events);
    let slow_clients_dropped = hub_task.await.unwrap_or(0);
    Ok(Summary {
        clients,
        slow_clients_dropped,
    })
}

/// Writes the queue to the socket; hands the socket back when the queue ends.
async fn writer(mut out: OwnedWriteHalf, mut inbox: mpsc::Receiver<Arc<str>>) -> OwnedWriteHalf {
    while let Some(message) = inbox.recv().await {
        if out.write_all(message.as_bytes()).await.is_err() {
            break;
        }
    }
    out
}

async fn client(
    id: u64,
    stream: TcpStream,
    events: mpsc::Sender<Event>,
    queue: usize,
    mut stopping: watch::Receiver<bool>,
) {
    let (reader, mut out) = stream.into_split();
    if out
        .write_all(format!("welcome {id}\n").as_bytes())
        .await
        .is_err()
    {
        return;
    }
    let (queue_tx, inbox) = mpsc::channel(queue);
    let (kick, mut kicked) = oneshot::channel();
    if events.send(Event::Join(id, queue_tx, kick)).await.is_err() {
        return;
    }
    let mut writing = tokio::spawn(writer(out, inbox));
    let guard = AbortOnDrop(writing.abort_handle());
    let mut lines = BufReader::new(reader).lines();
    let mut say_goodbye = false;
    let mut writer_ended = None;
    loop {
        tokio::select! {
            _ = stopping.changed() => { say_goodbye = true; break; }
            _ = &mut kicked => break,
            ended = &mut writing => { writer_ended = Some(ended); break } // the socket failed
            line = lines.next_line() => match line {
                Ok(Some(line)) => {
                    if events.send(Event::Line(id, line)).await.is_err() { break }
                }
                _ => break,
            },
        }
    }
    // The hub drops this client's queue: the writer ends once it has written
    // what is queued. A client that does not read is given GOODBYE_LIMIT.
    let _ = events.send(Event::Leave(id)).await;
    let out = match writer_ended {
        Some(ended) => ended.ok(),
        None => match tokio::time::timeout(GOODBYE_LIMIT, &mut writing).await {
            Ok(Ok(out)) => Some(out),
            _ => None,
        },
    };
    drop(guard); // aborts the writer if it is still stuck
    if let Some(mut out) = out {
        if say_goodbye {
            let goodbye = format!("{GOODBYE}\n");
            let _ = tokio::time::timeout(GOODBYE_LIMIT, out.write_all(goodbye.as_bytes())).await;
        }
        let _ = out.shutdown().await;
    }
}

/// Aborts a task when dropped, so an aborted client task takes its writer
/// with it.
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
