use super::within;
use crate::ex::chat_server::{GOODBYE, Summary, serve};
use std::io;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::timeout;

/// Each client's queue: more lines than any burst the checks send at once.
const QUEUE: usize = 256;
/// How long a client waits for a line it should get.
const WAIT: Duration = Duration::from_secs(2);

/// Runs `make()` on a two-thread tokio runtime with a real clock, under a
/// deadline, and checks afterwards that no task of the server is left.
fn chat_test<F: Future<Output = ()> + Send>(make: impl FnOnce() -> F + Send + 'static) {
    within(
        Duration::from_secs(9),
        "the chat test did not finish",
        move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("cannot build a tokio runtime");
            runtime.block_on(make());
        },
    )
}

struct Server {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    handle: JoinHandle<io::Result<Summary>>,
}

async fn start() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let handle = tokio::spawn(serve(listener, QUEUE, async {
        let _ = stopped.await;
    }));
    Server { addr, stop, handle }
}

impl Server {
    /// Shuts the server down and returns its summary; fails if it takes
    /// longer than 2 s or leaves a task running.
    async fn shut_down(self) -> Summary {
        let _ = self.stop.send(());
        let summary = timeout(Duration::from_secs(2), self.handle)
            .await
            .expect("serve had not returned 2 s after the shutdown signal")
            .expect("serve panicked")
            .expect("serve failed");
        // Tasks that the server spawned and left behind are still counted.
        // A finished task leaves the count a moment after its handle has
        // its result, so give that 200 ms.
        let metrics = tokio::runtime::Handle::current().metrics();
        for _ in 0..20 {
            if metrics.num_alive_tasks() == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let alive = metrics.num_alive_tasks();
        assert_eq!(
            alive, 0,
            "{alive} task(s) the server spawned were still running after serve returned"
        );
        summary
    }
}

struct Client {
    id: String,
    lines: Lines<BufReader<OwnedReadHalf>>,
    writer: OwnedWriteHalf,
}

/// Connects with a small receive buffer (so a client that does not read is
/// soon seen as slow) and waits for the welcome line.
async fn connect(addr: SocketAddr) -> Client {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket
        .connect(addr)
        .await
        .expect("cannot connect to the server");
    let (reader, writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    let welcome = timeout(WAIT, lines.next_line())
        .await
        .expect("no welcome line within 2 s of connecting")
        .expect("reading the welcome line failed")
        .expect("the server closed the connection instead of welcoming it");
    let id = welcome
        .strip_prefix("welcome ")
        .unwrap_or_else(|| panic!("the first line should be `welcome <id>`, got {welcome:?}"))
        .to_string();
    Client { id, lines, writer }
}

impl Client {
    async fn say(&mut self, line: &str) {
        self.writer
            .write_all(format!("{line}\n").as_bytes())
            .await
            .unwrap();
    }

    /// The next line, or a failure saying what was expected.
    async fn next(&mut self, expecting: &str) -> String {
        match timeout(WAIT, self.lines.next_line()).await {
            Ok(Ok(Some(line))) => line,
            Ok(Ok(None)) => panic!(
                "client {} was disconnected while expecting {expecting:?}",
                self.id
            ),
            Ok(Err(e)) => panic!(
                "client {} failed to read ({e}) while expecting {expecting:?}",
                self.id
            ),
            Err(_) => panic!(
                "client {} got nothing within 2 s while expecting {expecting:?}",
                self.id
            ),
        }
    }

    /// Reads until the connection ends; the lines read. Fails after `limit`.
    async fn until_closed(&mut self, limit: Duration, what: &str) -> Vec<String> {
        let mut seen = Vec::new();
        let reading = async {
            while let Ok(Some(line)) = self.lines.next_line().await {
                seen.push(line);
            }
        };
        if timeout(limit, reading).await.is_err() {
            panic!(
                "client {} was still connected {limit:?} after {what}",
                self.id
            );
        }
        seen
    }
}

#[test]
fn each_line_reaches_every_other_client_in_order() {
    isolated!();
    chat_test(|| async {
        let server = start().await;
        let mut a = connect(server.addr).await;
        let mut b = connect(server.addr).await;
        let mut c = connect(server.addr).await;
        let ids = [&a.id, &b.id, &c.id];
        assert!(
            ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2],
            "ids are not distinct: {ids:?}"
        );
        for n in 0..50 {
            a.say(&format!("a says {n}")).await;
        }
        for n in 0..50 {
            let expected = format!("{}: a says {n}", a.id);
            assert_eq!(b.next(&expected).await, expected, "client b's line {n}");
            assert_eq!(c.next(&expected).await, expected, "client c's line {n}");
        }
        b.say("b answers").await;
        let expected = format!("{}: b answers", b.id);
        assert_eq!(
            a.next(&expected).await,
            expected,
            "client a's next line after it sent 50 and b sent one: its own lines must not come back"
        );
        assert_eq!(c.next(&expected).await, expected);
        let summary = server.shut_down().await;
        assert_eq!(summary.clients, 3, "clients counted in the summary");
        assert_eq!(summary.slow_clients_dropped, 0, "no client was slow");
    });
}

#[test]
fn a_client_that_does_not_read_does_not_stall_the_others() {
    isolated!();
    chat_test(|| async {
        let server = start().await;
        let mut sender = connect(server.addr).await;
        let mut reader = connect(server.addr).await;
        let mut sleeper = connect(server.addr).await; // never reads until the end
        // 10 MB: more than the socket buffers of the client that does not
        // read. Sent in batches of 100 lines, each read by the reading client
        // before the next is sent, so that only the other one falls behind.
        let lines = 40_000;
        let text = "x".repeat(250);
        for batch in 0..lines / 100 {
            let numbers = batch * 100..(batch + 1) * 100;
            let mut out = String::new();
            for n in numbers.clone() {
                out.push_str(&format!("{n} {text}\n"));
            }
            sender.writer.write_all(out.as_bytes()).await.unwrap();
            for n in numbers {
                let expected = format!("{}: {n} {text}", sender.id);
                let line = match timeout(WAIT, reader.lines.next_line()).await {
                    Ok(Ok(Some(line))) => line,
                    Ok(Ok(None)) => panic!(
                        "a reading client was disconnected after {n} of {lines} lines, sent 100 at a \
                         time (the queue holds {QUEUE}), while another client read nothing"
                    ),
                    _ => panic!(
                        "a reading client got only {n} of {lines} lines while another client read \
                         nothing: the slow client held up the others"
                    ),
                };
                assert!(
                    line == expected,
                    "line {n} of the reading client: got {line:?}"
                );
            }
        }
        let got = sleeper
            .until_closed(
                Duration::from_secs(2),
                "40,000 lines (10 MB) went by while it read nothing: the server kept its backlog without limit",
            )
            .await;
        assert!(
            got.len() < lines as usize,
            "the slow client got every line, so it was never dropped"
        );
        reader.say("still here").await;
        let expected = format!("{}: still here", reader.id);
        assert_eq!(
            sender.next(&expected).await,
            expected,
            "the chat after the slow client was dropped"
        );
        let summary = server.shut_down().await;
        assert_eq!(
            summary.slow_clients_dropped, 1,
            "slow clients dropped in the summary"
        );
    });
}

#[test]
fn shutdown_says_goodbye_closes_everything_and_stops_accepting() {
    isolated!();
    chat_test(|| async {
        let server = start().await;
        let addr = server.addr;
        let mut clients = Vec::new();
        for _ in 0..3 {
            clients.push(connect(addr).await);
        }
        clients[0].say("hello").await;
        for client in &mut clients[1..] {
            client.next("the hello line").await;
        }
        let summary = server.shut_down().await;
        assert_eq!(summary.clients, 3);
        for client in &mut clients {
            let rest = client
                .until_closed(Duration::from_secs(1), "shutdown")
                .await;
            assert_eq!(
                rest,
                vec![GOODBYE.to_string()],
                "what client {} got at shutdown",
                client.id
            );
        }
        let late = tokio::net::TcpStream::connect(addr).await;
        if let Ok(late) = late {
            let mut lines = BufReader::new(late).lines();
            let answer = timeout(WAIT, lines.next_line()).await;
            assert!(
                matches!(answer, Ok(Ok(None)) | Ok(Err(_))),
                "a client connecting after shutdown got {answer:?} instead of a refused or closed connection"
            );
        }
    });
}

#[test]
fn shutdown_does_not_wait_for_a_client_that_does_not_read() {
    isolated!();
    chat_test(|| async {
        let server = start().await;
        let mut talker = connect(server.addr).await;
        let _sleeper = connect(server.addr).await; // never reads
        // 12 lines of 640 KB: more than the sleeper's socket buffers hold, fewer
        // than its queue: it stays connected, its writes blocked.
        let text = "y".repeat(640 << 10);
        for n in 0..12 {
            talker.say(&format!("{n} {text}")).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        server.shut_down().await;
    });
}

#[test]
fn a_client_that_leaves_does_not_disturb_the_rest() {
    isolated!();
    chat_test(|| async {
        let server = start().await;
        let mut a = connect(server.addr).await;
        let mut b = connect(server.addr).await;
        let leaver = connect(server.addr).await;
        drop(leaver);
        tokio::time::sleep(Duration::from_millis(50)).await;
        for n in 0..20 {
            a.say(&format!("after {n}")).await;
        }
        for n in 0..20 {
            let expected = format!("{}: after {n}", a.id);
            assert_eq!(b.next(&expected).await, expected);
        }
        let late = connect(server.addr).await;
        assert!(
            ![&a.id, &b.id].contains(&&late.id),
            "a new client got an id already in use"
        );
        let summary = server.shut_down().await;
        assert_eq!(summary.clients, 4);
        assert_eq!(
            summary.slow_clients_dropped, 0,
            "slow clients dropped in the summary: one client left by itself, none was slow"
        );
    });
}
