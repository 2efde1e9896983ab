//! Lesson 03's `line_server`: an async TCP server on 127.0.0.1 that answers
//! each line with the line in capitals, and four real clients. Framing by
//! tokio-util's `LinesCodec` (with a length limit), backpressure by a cap on
//! open connections, and a graceful shutdown.
use futures::{SinkExt, StreamExt};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{sleep, timeout};
use tokio_util::codec::{Framed, FramedRead, LinesCodec, LinesCodecError};
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, info_span};

pub const MAX_LINE: usize = 64;
pub const MAX_CONNECTIONS: usize = 2;
const PATIENCE: Duration = Duration::from_secs(3);

/// What one connection did, as the server saw it.
#[derive(Default)]
struct Served {
    lines: u32,
    too_long: u32,
    said_bye: bool,
}

/// Accepts until `shutdown`, at most `MAX_CONNECTIONS` at once, then waits
/// (at most `PATIENCE`) for the open connections to finish. Returns what
/// each connection did and the most that were ever open at once (measured).
async fn serve(listener: TcpListener, shutdown: CancellationToken) -> (Vec<Served>, usize) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut connections = JoinSet::new();
    let mut most_open = 0;
    for n in 1.. {
        // Backpressure: take a slot *before* accepting. While every slot is
        // taken the server accepts nobody; new clients wait in the kernel's
        // accept queue, their lines in its buffers, costing this process
        // nothing.
        let permit = tokio::select! {
            permit = Arc::clone(&slots).acquire_owned()
                .instrument(info_span!("slot", waiting_on = "a free connection slot")) => {
                permit.expect("never closed")
            }
            () = shutdown.cancelled() => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept()
                .instrument(info_span!("accept", waiting_on = "a client")) => match accepted {
                Ok((stream, _)) => stream,
                Err(err) => { println!("server: accept failed: {err}"); continue }
            },
            () = shutdown.cancelled() => break,
        };
        most_open = most_open.max(MAX_CONNECTIONS - slots.available_permits());
        let token = shutdown.clone();
        let connection = async move {
            let served = handle(stream, token).await;
            drop(permit); // the slot is free again
            served
        };
        connections.spawn(connection.instrument(info_span!(
            "connection",
            task = format!("connection {n}").as_str()
        )));
    }
    drop(listener); // no new connections from here on
    let mut served = Vec::new();
    let finishing = async {
        while let Some(done) = connections.join_next().await {
            served.push(done.expect("a connection cannot panic"));
        }
    };
    if timeout(PATIENCE, finishing).await.is_err() {
        println!("server: connections still open after {PATIENCE:?}; aborting them");
    }
    (served, most_open)
}

/// One connection: a line in, the line in capitals out, until the client
/// closes or the server shuts down. `Framed` keeps a partly received line in
/// its buffer, so `next()` is cancel safe and may sit in `select!`.
async fn handle(stream: TcpStream, shutdown: CancellationToken) -> Served {
    let mut lines = Framed::new(stream, LinesCodec::new_with_max_length(MAX_LINE));
    let mut served = Served::default();
    loop {
        let next = tokio::select! {
            next = lines.next().instrument(info_span!("read", waiting_on = "a line from the client")) => next,
            () = shutdown.cancelled() => {
                served.said_bye = lines.send("bye: the server is shutting down").await.is_ok();
                break;
            }
        };
        let reply = match next {
            Some(Ok(line)) => {
                served.lines += 1;
                line.to_uppercase()
            }
            Some(Err(LinesCodecError::MaxLineLengthExceeded)) => {
                // After a decoding error `Framed` ends its stream, so the
                // rule here is: say why, then hang up.
                served.too_long += 1;
                let why = format!("error: a line may be at most {MAX_LINE} bytes; closing");
                let _ = lines.send(why).await;
                break;
            }
            Some(Err(LinesCodecError::Io(_))) | None => break, // the client is gone
        };
        // `send` waits while the client does not read and the socket's
        // buffer is full: the second place backpressure reaches the server.
        if lines.send(reply).await.is_err() {
            break;
        }
    }
    served
}

/// A client: writes `chunks` 30 ms apart (chunk borders fall anywhere in a
/// line) while it reads replies, until it has `replies` of them or the
/// server closes the connection; with `replies == 0` it stays until the
/// server closes. Returns the replies, when the first came, and whether the
/// server closed the connection.
async fn client(
    addr: SocketAddr,
    chunks: &[&str],
    replies: usize,
    served: tokio::sync::oneshot::Sender<()>,
    demo_began: Instant,
) -> ClientReport {
    let mut served = Some(served);
    let stream = TcpStream::connect(addr).await.expect("the server listens");
    let connected = demo_began.elapsed();
    let (read, mut write) = stream.into_split();
    let writing = async {
        for chunk in chunks {
            if write.write_all(chunk.as_bytes()).await.is_err() {
                break; // the server closed the connection
            }
            sleep(Duration::from_millis(30)).await;
        }
    };
    let reading = async {
        let mut incoming = FramedRead::new(read, LinesCodec::new());
        let mut report = ClientReport {
            connected,
            ..ClientReport::default()
        };
        while replies == 0 || report.lines.len() < replies {
            let next = timeout(PATIENCE, incoming.next())
                .instrument(info_span!("read", waiting_on = "a reply from the server"))
                .await;
            match next {
                Ok(Some(Ok(line))) => {
                    report.first.get_or_insert_with(|| demo_began.elapsed());
                    if let Some(served) = served.take() {
                        let _ = served.send(()); // this client holds a slot now
                    }
                    report.lines.push(line);
                }
                Ok(None | Some(Err(_))) => {
                    report.closed_by_server = true;
                    break;
                }
                Err(_) => break, // no reply within PATIENCE
            }
        }
        report
    };
    let ((), report) = tokio::join!(writing, reading);
    let _ = write.shutdown().await;
    report
}

#[derive(Default)]
struct ClientReport {
    lines: Vec<String>,
    /// Both counted from the start of the demo, so clients compare.
    connected: Duration,
    first: Option<Duration>,
    closed_by_server: bool,
}

pub async fn run() {
    let demo_began = Instant::now();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("bound");
    let shutdown = CancellationToken::new();
    let server = tokio::spawn(
        serve(listener, shutdown.clone()).instrument(info_span!("server", task = "server")),
    );
    let long = format!("{}\n", "x".repeat(100));
    let scripts: Vec<(&str, Vec<&str>, usize)> = vec![
        (
            "client 1",
            vec!["first line\nsec", "ond line\nthi", "rd line\n"],
            3,
        ),
        ("client 2", vec!["one line in one write\n"], 1),
        ("client 3", vec![long.as_str(), "short again\n"], 2),
        ("client 4", vec!["i stay connected\n"], 0),
    ];
    let mut clients = JoinSet::new();
    let mut holding = Vec::new();
    for (i, (name, chunks, replies)) in scripts.into_iter().enumerate() {
        if i == MAX_CONNECTIONS {
            // Clients 3 and 4 connect only once 1 and 2 hold both slots, so
            // they wait for a slot however busy the machine is.
            let both_served = futures::future::join_all(std::mem::take(&mut holding));
            let _ = timeout(PATIENCE, both_served).await;
        }
        let chunks: Vec<String> = chunks.into_iter().map(String::from).collect();
        let (served, first_reply) = tokio::sync::oneshot::channel();
        holding.push(first_reply);
        let talk = async move {
            let chunks: Vec<&str> = chunks.iter().map(String::as_str).collect();
            (
                name,
                client(addr, &chunks, replies, served, demo_began).await,
            )
        };
        clients.spawn(talk.instrument(info_span!("client", task = name)));
    }
    sleep(Duration::from_millis(300)).await;
    println!("main: shutdown, 300 ms after the last client started");
    shutdown.cancel();
    let mut reports = Vec::new();
    while let Some(done) = clients.join_next().await {
        reports.push(done.expect("a client cannot panic"));
    }
    reports.sort_by_key(|(name, _)| *name);
    for (name, report) in reports {
        let first = report.first.map_or_else(
            || "never".to_string(),
            |t| format!("{:5.1} ms", t.as_secs_f64() * 1e3),
        );
        let closed = if report.closed_by_server {
            ", then the server closed the connection"
        } else {
            ""
        };
        println!(
            "{name}: first reply {first} into the demo (connected at {:5.1} ms); got {:?}{closed}",
            report.connected.as_secs_f64() * 1e3,
            report.lines
        );
    }
    let (served, most_open) = server.await.expect("the server cannot panic");
    let lines: u32 = served.iter().map(|s| s.lines).sum();
    let too_long: u32 = served.iter().map(|s| s.too_long).sum();
    let byes = served.iter().filter(|s| s.said_bye).count();
    println!(
        "server: {} connections (at most {most_open} open at once; the limit is {MAX_CONNECTIONS}), {lines} lines answered, {too_long} cut off for a line over {MAX_LINE} bytes, {byes} told `bye` at shutdown; all closed",
        served.len()
    );
}
