//! The trace listener: accepts the lesson's processes on loopback, checks
//! each one's token, and forwards its records as they arrive.
use super::RunEvent;
use crate::wire::{self, Framer, Record, WireError};
use std::io::{ErrorKind, Read};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::SyncSender as Sender;
use std::time::{Duration, Instant};

pub struct Listener {
    pub addr: String,
    pub token: [u8; 16],
    done: Arc<AtomicBool>,
    active: Arc<AtomicUsize>,
    accept: Option<std::thread::JoinHandle<()>>,
}

impl Listener {
    pub fn start(tx: Sender<RunEvent>) -> std::io::Result<Listener> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?.to_string();
        let token = new_token();
        let done = Arc::new(AtomicBool::new(false));
        let active = Arc::new(AtomicUsize::new(0));
        let (for_accept, active_count) = (done.clone(), active.clone());
        let accept = std::thread::Builder::new()
            .name("trace-accept".into())
            .spawn(move || accept_loop(&listener, token, &tx, &for_accept, &active_count))?;
        Ok(Listener {
            addr,
            token,
            done,
            active,
            accept: Some(accept),
        })
    }

    pub fn token_hex(&self) -> String {
        use std::fmt::Write as _;
        self.token.iter().fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
    }

    /// The lesson has exited: give its connections `grace` to deliver what
    /// they still hold, then close everything.
    pub fn finish(mut self, grace: Duration) {
        let deadline = Instant::now() + grace;
        while self.active.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        self.done.store(true, Ordering::SeqCst);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
    }
}

/// 16 random bytes from the kernel; a hash of the time and pid if that fails.
fn new_token() -> [u8; 16] {
    let mut token = [0u8; 16];
    if std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut token))
        .is_err()
    {
        use std::hash::{BuildHasher, RandomState};
        let a = RandomState::new().hash_one(std::time::SystemTime::now());
        let b = RandomState::new().hash_one(std::process::id());
        token[..8].copy_from_slice(&a.to_le_bytes());
        token[8..].copy_from_slice(&b.to_le_bytes());
    }
    token
}

fn accept_loop(
    listener: &TcpListener,
    token: [u8; 16],
    tx: &Sender<RunEvent>,
    done: &Arc<AtomicBool>,
    active: &Arc<AtomicUsize>,
) {
    let mut next_conn = 0u32;
    let mut readers: Vec<std::thread::JoinHandle<()>> = Vec::new();
    let mut refused = 0u64;
    while !done.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                next_conn += 1;
                let conn = next_conn;
                readers.retain(|reader| !reader.is_finished());
                if active.load(Ordering::SeqCst) >= MAX_OPEN_CONNECTIONS {
                    // One thread per connection: past the cap a flood of
                    // connections would cost a thread each. Refuse, count,
                    // and say so once (then at the end, the total).
                    drop(stream);
                    refused += 1;
                    if refused == 1 {
                        let _ = tx.send(RunEvent::WireError {
                            conn,
                            message: format!(
                                "connection refused: {MAX_OPEN_CONNECTIONS} trace connections \
                                 are already open (the limit per run)"
                            ),
                        });
                    }
                    continue;
                }
                let (tx, done, count) = (tx.clone(), done.clone(), active.clone());
                active.fetch_add(1, Ordering::SeqCst);
                let reader = std::thread::Builder::new()
                    .name(format!("trace-conn-{conn}"))
                    .spawn(move || {
                        read_connection(stream, conn, token, &tx, &done);
                        let _ = tx.send(RunEvent::Disconnected { conn });
                        count.fetch_sub(1, Ordering::SeqCst);
                    });
                if let Ok(reader) = reader {
                    readers.push(reader);
                } else {
                    active.fetch_sub(1, Ordering::SeqCst);
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    for reader in readers {
        let _ = reader.join();
    }
    if refused > 1 {
        let _ = tx.send(RunEvent::WireError {
            conn: 0,
            message: format!(
                "{refused} trace connections were refused in all: more than \
                 {MAX_OPEN_CONNECTIONS} were open at once"
            ),
        });
    }
}

/// At most this many trace connections are open at once (each has a reader
/// thread); a lesson needs one per process, far fewer.
pub const MAX_OPEN_CONNECTIONS: usize = 256;

/// How long a new connection may take to say hello.
const HELLO_LIMIT: Duration = Duration::from_secs(2);

fn read_connection(
    mut stream: TcpStream,
    conn: u32,
    token: [u8; 16],
    tx: &Sender<RunEvent>,
    done: &AtomicBool,
) {
    if stream.set_nonblocking(false).is_err()
        || stream
            .set_read_timeout(Some(Duration::from_millis(50)))
            .is_err()
    {
        return;
    }
    let mut framer = Framer::default();
    let mut greeted = false;
    let mut chunk = vec![0u8; 64 << 10];
    let opened = Instant::now();
    loop {
        if !greeted && opened.elapsed() > HELLO_LIMIT {
            // Closed before the event is sent: the run's channel is bounded,
            // so the send may wait, and the peer must see the close now.
            let _ = stream.shutdown(std::net::Shutdown::Both);
            let _ = tx.send(RunEvent::WireError {
                conn,
                message: format!(
                    "no hello within {} s; connection closed",
                    HELLO_LIMIT.as_secs()
                ),
            });
            return;
        }
        let n = match stream.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) =>
            {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                continue;
            }
            Err(_) => return,
        };
        framer.push(&chunk[..n]);
        let mut records = Vec::new();
        while let Some(next) = framer.next_record() {
            match next {
                Ok(record) if !greeted => {
                    if let Err(why) = check_hello(&record, token) {
                        let _ = stream.shutdown(std::net::Shutdown::Both);
                        let _ = tx.send(RunEvent::WireError { conn, message: why });
                        return;
                    }
                    greeted = true;
                    records.push(record);
                }
                Ok(record) => records.push(record),
                Err(err @ WireError::Oversized(_)) => {
                    let _ = stream.shutdown(std::net::Shutdown::Both);
                    let _ = tx.send(RunEvent::WireError {
                        conn,
                        message: format!("{err}; closing the connection"),
                    });
                    return;
                }
                // Before the hello nothing is trusted: a bad frame closes
                // the connection.
                Err(err) if !greeted => {
                    let _ = stream.shutdown(std::net::Shutdown::Both);
                    let _ = tx.send(RunEvent::WireError {
                        conn,
                        message: format!("{err} before the hello; connection closed"),
                    });
                    return;
                }
                Err(err) => {
                    let _ = tx.send(RunEvent::WireError {
                        conn,
                        message: err.to_string(),
                    });
                }
            }
        }
        if !records.is_empty() && tx.send(RunEvent::Trace { conn, records }).is_err() {
            return;
        }
    }
}

fn check_hello(record: &Record, token: [u8; 16]) -> Result<(), String> {
    match record {
        Record::Hello {
            version,
            token: got,
            ..
        } if *got == token && *version == wire::VERSION => Ok(()),
        Record::Hello {
            version,
            token: got,
            ..
        } if *got == token => Err(format!(
            "wire version {version}, this workbook reads version {}; rebuild the lessons",
            wire::VERSION
        )),
        Record::Hello { .. } => {
            Err("wrong token: not a process of this run; connection refused".into())
        }
        _ => Err("the first record was not a hello; connection refused".into()),
    }
}
