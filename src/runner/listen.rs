//! The trace listener: accepts the lesson's processes on loopback, checks
//! each one's token, and forwards its records as they arrive.
use super::RunEvent;
use crate::wire::{self, Framer, Record, WireError};
use std::io::{ErrorKind, Read};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::SyncSender as Sender;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

pub struct Listener {
    pub addr: String,
    pub token: [u8; 16],
    done: Arc<AtomicBool>,
    active: Arc<Active>,
    /// The listening socket, to wake the accept loop when the run ends.
    socket: Option<TcpListener>,
    accept: Option<std::thread::JoinHandle<()>>,
}

/// The connections being read, counted so that [`Listener::finish`] can
/// wait for the last to end without polling.
#[derive(Default)]
struct Active {
    count: Mutex<usize>,
    ended: Condvar,
}

impl Active {
    fn count(&self) -> MutexGuard<'_, usize> {
        self.count.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn add(&self) {
        *self.count() += 1;
    }

    fn remove(&self) {
        *self.count() -= 1;
        self.ended.notify_all();
    }
}

impl Listener {
    /// Listens for the run's trace connections; at most `byte_limit` bytes
    /// of trace in all are taken from them (the rest is read and refused).
    pub fn start(tx: Sender<RunEvent>, byte_limit: u64) -> std::io::Result<Listener> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        // Accepted connections inherit a fixed receive buffer: loopback
        // autotuning would grow it to tcp_rmem's maximum (32 MiB here) under
        // a flood, seconds of records queued in the kernel behind the view.
        nix::sys::socket::setsockopt(
            &listener,
            nix::sys::socket::sockopt::RcvBuf,
            &RECEIVE_BUFFER,
        )
        .map_err(std::io::Error::from)?;
        let addr = listener.local_addr()?.to_string();
        let token = new_token()?;
        let done = Arc::new(AtomicBool::new(false));
        let active = Arc::new(Active::default());
        let (for_accept, active_count) = (done.clone(), active.clone());
        let socket = listener.try_clone()?;
        let accept = std::thread::Builder::new()
            .name("trace-accept".into())
            .spawn(move || {
                let budget = Budget {
                    limit: byte_limit,
                    used: AtomicU64::new(0),
                    refused: AtomicU64::new(0),
                    told: AtomicBool::new(false),
                };
                accept_loop(
                    &listener,
                    token,
                    &tx,
                    &for_accept,
                    &active_count,
                    &Arc::new(budget),
                );
            })?;
        Ok(Listener {
            addr,
            token,
            done,
            active,
            socket: Some(socket),
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
    /// they still hold, then close everything. It waits on the count of
    /// open connections and wakes the accept loop instead of polling
    /// either: a run's end is not held up by a tick (it was, up to 5 ms).
    pub fn finish(mut self, grace: Duration) {
        let deadline = Instant::now() + grace;
        let mut count = self.active.count();
        while *count > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            count = self
                .active
                .ended
                .wait_timeout(count, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        drop(count);
        self.stop_accepting();
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }

    /// Tells the accept loop to end and wakes it: on Linux, shutting a
    /// listening socket down makes a blocked `accept` return at once.
    fn stop_accepting(&mut self) {
        self.done.store(true, Ordering::SeqCst);
        if let Some(socket) = self.socket.take() {
            let shut =
                nix::sys::socket::shutdown(socket.as_raw_fd(), nix::sys::socket::Shutdown::Both);
            // Where that is refused, a connection of our own wakes it.
            if shut.is_err()
                && let Ok(addr) = socket.local_addr()
            {
                let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
            }
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop_accepting();
    }
}

/// 16 random bytes from the operating system's generator. Without one the
/// port would take anyone's connection, so the run does not start.
fn new_token() -> std::io::Result<[u8; 16]> {
    let mut token = [0u8; 16];
    getrandom::fill(&mut token)
        .map_err(|e| std::io::Error::other(format!("no random token for the trace port: {e}")))?;
    Ok(token)
}

fn accept_loop(
    listener: &TcpListener,
    token: [u8; 16],
    tx: &Sender<RunEvent>,
    done: &Arc<AtomicBool>,
    active: &Arc<Active>,
    budget: &Arc<Budget>,
) {
    let mut next_conn = 0u32;
    let mut readers: Vec<std::thread::JoinHandle<()>> = Vec::new();
    let mut refused = 0u64;
    let mut told_refused = false;
    while !done.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok(_) if done.load(Ordering::SeqCst) => break,
            Ok((stream, _)) => {
                next_conn += 1;
                let conn = next_conn;
                readers.retain(|reader| !reader.is_finished());
                if *active.count() >= MAX_OPEN_CONNECTIONS {
                    // One thread per connection: past the cap a flood of
                    // connections would cost a thread each. Refuse, count,
                    // and say so once (then at the end, the total).
                    drop(stream);
                    refused += 1;
                    // Never wait here: a full channel (a slow reader of the
                    // run's events) must not stop the accepting. If the
                    // notice does not fit now, the total at the end says it.
                    if refused == 1 {
                        told_refused = tx
                            .try_send(RunEvent::WireError {
                                conn,
                                message: format!(
                                    "connection refused: {MAX_OPEN_CONNECTIONS} trace connections \
                                 are already open (the limit per run)"
                                ),
                            })
                            .is_ok();
                    }
                    continue;
                }
                let (tx, done, count) = (tx.clone(), done.clone(), active.clone());
                let budget = budget.clone();
                active.add();
                let reader = std::thread::Builder::new()
                    .name(format!("trace-conn-{conn}"))
                    .spawn(move || {
                        read_connection(stream, conn, token, &tx, &done, &budget);
                        let _ = tx.send(RunEvent::Disconnected { conn });
                        count.remove();
                    });
                if let Ok(reader) = reader {
                    readers.push(reader);
                } else {
                    active.remove();
                }
            }
            // Woken by `stop_accepting`, or out of file descriptors: the
            // loop looks at `done` again (a short wait, not a spin).
            Err(_) => {
                if !done.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }
    }
    for reader in readers {
        let _ = reader.join();
    }
    if refused > 1 || (refused == 1 && !told_refused) {
        let _ = tx.send(RunEvent::WireError {
            conn: 0,
            message: format!(
                "{refused} trace connections were refused in all: more than \
                 {MAX_OPEN_CONNECTIONS} were open at once"
            ),
        });
    }
    let refused = budget.refused.load(Ordering::SeqCst);
    if refused > 0 {
        let _ = tx.send(RunEvent::WireError {
            conn: 0,
            message: format!(
                "{} ({refused} bytes) of trace refused in all past the run's limit of {}",
                fmt_bytes(refused),
                fmt_bytes(budget.limit)
            ),
        });
    }
}

/// The trace bytes a run may send in all, shared by its connections.
struct Budget {
    limit: u64,
    used: AtomicU64,
    /// Bytes read past the limit and thrown away.
    refused: AtomicU64,
    /// The first refusal has been said.
    told: AtomicBool,
}

impl Budget {
    /// Takes `n` bytes; false once the run's limit is passed (and from then
    /// on: a chunk across the limit is refused whole, a record never half).
    fn take(&self, n: usize) -> bool {
        let before = self.used.fetch_add(n as u64, Ordering::SeqCst);
        if before.saturating_add(n as u64) <= self.limit {
            return true;
        }
        self.refused.fetch_add(n as u64, Ordering::SeqCst);
        false
    }
}

/// `512 MiB`, `3.2 MiB`, `900 bytes`.
fn fmt_bytes(n: u64) -> String {
    if n < 1 << 10 {
        format!("{n} bytes")
    } else if n < 1 << 20 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", n as f64 / f64::from(1 << 20))
    }
}

/// At most this many trace connections are open at once (each has a reader
/// thread); a lesson needs one per process, far fewer.
pub const MAX_OPEN_CONNECTIONS: usize = 256;

/// The kernel's receive buffer per trace connection, bytes (it doubles the
/// figure for its own bookkeeping).
const RECEIVE_BUFFER: usize = 512 << 10;

/// How long a new connection may take to say hello.
const HELLO_LIMIT: Duration = Duration::from_secs(2);

fn read_connection(
    mut stream: TcpStream,
    conn: u32,
    token: [u8; 16],
    tx: &Sender<RunEvent>,
    done: &AtomicBool,
    budget: &Budget,
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
    // Past the run's byte limit the connection is read (the lesson must not
    // wait on a full socket) and what it sends is refused and counted.
    let mut over_limit = false;
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
        // Before the hello the chunk is checked as ever (it is at most one
        // read per connection, and connections are capped).
        if greeted && (over_limit || !budget.take(n)) {
            if over_limit {
                budget.refused.fetch_add(n as u64, Ordering::SeqCst);
            }
            over_limit = true;
            if !budget.told.swap(true, Ordering::SeqCst) {
                let _ = tx.send(RunEvent::WireError {
                    conn,
                    message: format!(
                        "the run's trace reached its limit of {}: later records are refused \
                         (the total is counted at the end)",
                        fmt_bytes(budget.limit)
                    ),
                });
            }
            continue;
        }
        if !greeted {
            budget.used.fetch_add(n as u64, Ordering::SeqCst);
        }
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
