//! What a lesson links: one call, [`init`], at the start of `main` installs a
//! `tracing` subscriber that ships span enters and exits, marks (events) and
//! thread names to the runner over the wire (see [`crate::wire`]).
//!
//! When the runner did not set `WORKBOOK_TRACE`, `init` installs nothing and
//! every `tracing` macro costs one relaxed load: lessons run at full speed
//! outside the workbook.
//!
//! Why a `Subscriber` of our own rather than a layer on
//! `tracing_subscriber::Registry`: the registry keeps a slab entry, a
//! reference count and an extension map per span, which roughly triples the
//! cost of an enter/exit pair. The timeline needs none of that: a span's
//! name and fields go out once when it is created, and enters and exits are
//! three words written to the recording thread's own ring ([`ring`]), which
//! a writer thread drains: no lock and no shared cache line on the hot path.
//!
//! # Order on the wire
//! Per thread, enters, exits and marks keep their order in its ring. Across
//! threads only two things matter: a span's definition must reach the
//! reader before any enter of it, and a Close after the exits of its span.
//! So records that are not a thread's own go to two shared buffers:
//! `early` (hello, threads, span definitions, drop counts) and `late`
//! (closes, the end). A flush takes `late` first, then reads the rings,
//! then takes `early`, and sends `early`, the rings, `late` in that order:
//! whatever happened before a record read from a ring is in `early` by the
//! time it is taken, and whatever a Close follows was in a ring before
//! `late` was taken.
//!
//! # When a thread records faster than the reader reads
//! A ring grows to 8 MiB; past that the recording thread waits for the
//! writer instead of losing records, for as long as the writer makes
//! progress. Only when the reader has stopped reading for [`STALL`] is a
//! record counted as dropped, and the thread's next records too, at once,
//! until the writer reads again: a lesson never hangs on its trace.
mod ring;
mod subscriber;
mod totals;
mod writer;

use crate::wire::{self, Record};
use ring::Ring;
use std::collections::HashMap;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use subscriber::Recorder;

/// How often the writer thread ships what was recorded.
const FLUSH_EVERY: Duration = Duration::from_millis(5);
/// Past this many unsent bytes in a shared buffer, records are counted as
/// dropped instead of kept (only span definitions and marks of flooding
/// lessons get there).
const BUFFER_CAP: usize = 64 << 20;
/// Past this many unsent bytes in a shared buffer, a recording thread waits
/// for the writer to take the buffer, as it waits on a full ring: a lesson
/// creating spans faster than the reader reads is slowed to the reader's
/// pace instead of queueing up to [`BUFFER_CAP`] (which put seconds between
/// a flooding lesson and its timeline). Only after a [`STALL`] does it go on
/// without waiting, up to [`BUFFER_CAP`], until the writer takes the buffer.
const BUFFER_WAIT_AT: usize = 512 << 10;
/// A recording thread whose ring is full waits this long for the writer to
/// read anything before it counts its record as dropped. Long enough that a
/// reader starved by a busy machine is not taken for a stuck one.
const STALL: Duration = Duration::from_secs(1);

/// Keeps recording alive; dropping it sends what is left and says goodbye.
/// Hold it for the whole of `main`: `let _recording = workbook_trace::record::init();`
#[must_use = "recording stops when this guard is dropped"]
pub struct Recording {
    shared: Option<Arc<Shared>>,
    writer: Option<std::thread::JoinHandle<()>>,
}

/// Installs the recorder if the runner asked for one. Never fails: when the
/// runner cannot be reached, the lesson runs unrecorded and says so on stderr.
pub fn init() -> Recording {
    let Ok(addr) = std::env::var(wire::ENV_ADDR) else {
        return Recording {
            shared: None,
            writer: None,
        };
    };
    let token = std::env::var(wire::ENV_TOKEN).unwrap_or_default();
    init_to(&addr, &token)
}

/// Like [`init`], with the runner's address and token given rather than
/// read from the environment (the trace benchmark records into itself).
#[doc(hidden)]
pub fn init_to(addr: &str, token_hex: &str) -> Recording {
    match connect(addr, token_hex) {
        Ok((shared, writer)) => Recording {
            shared: Some(shared),
            writer: Some(writer),
        },
        Err(err) => {
            eprintln!("workbook: not recording this run ({addr}: {err})");
            Recording {
                shared: None,
                writer: None,
            }
        }
    }
}

/// Sends everything recorded so far. Call it before `std::process::exit`,
/// which skips destructors.
pub fn flush() {
    if let Some(shared) = SHARED.get() {
        shared.flush_now();
    }
}

static SHARED: std::sync::OnceLock<Arc<Shared>> = std::sync::OnceLock::new();

fn connect(
    addr: &str,
    token_hex: &str,
) -> std::io::Result<(Arc<Shared>, std::thread::JoinHandle<()>)> {
    let token = parse_token(token_hex)
        .ok_or_else(|| std::io::Error::other("missing or malformed WORKBOOK_TRACE_TOKEN"))?;
    let stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    let epoch_offset = epoch_offset();
    let clock = quanta::Clock::new();
    let started = clock.raw();
    let shared = Arc::new(Shared {
        early: Mutex::new(Vec::with_capacity(64 << 10)),
        late: Mutex::new(Vec::new()),
        rings: Mutex::new(Vec::new()),
        wake: Condvar::new(),
        nudged: Mutex::new(false),
        stream: Mutex::new(writer::Stream::new(stream)),
        clock,
        started,
        epoch_offset,
        dropped: AtomicU64::new(0),
        buffers_stalled: AtomicBool::new(false),
        closing: AtomicBool::new(false),
        ended: AtomicBool::new(false),
        next_span: AtomicU64::new(1),
        next_thread: AtomicU32::new(0),
        waiting: Mutex::new(HashMap::new()),
        waiting_alive: AtomicUsize::new(0),
    });
    shared.push_early(&Record::Hello {
        version: wire::VERSION,
        token,
        pid: std::process::id(),
        ppid: std::os::unix::process::parent_id(),
        name: process_label(),
    });
    let _ = SHARED.set(shared.clone());
    let subscriber = Recorder {
        shared: shared.clone(),
    };
    if tracing::subscriber::set_global_default(subscriber).is_err() {
        return Err(std::io::Error::other(
            "another tracing subscriber is already installed",
        ));
    }
    let for_writer = shared.clone();
    let writer = std::thread::Builder::new()
        .name("workbook-recorder".into())
        .spawn(move || for_writer.write_loop())?;
    Ok((shared, writer))
}

/// Nanoseconds between the run's epoch and now, so this process's clock lines
/// up with its parent's.
fn epoch_offset() -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos() as u64;
    let epoch = std::env::var(wire::ENV_EPOCH)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(now);
    now.saturating_sub(epoch)
}

fn parse_token(hex: &str) -> Option<[u8; 16]> {
    if hex.len() != 32 {
        return None;
    }
    let mut token = [0u8; 16];
    for (i, byte) in token.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(token)
}

/// `lesson-name arg1 arg2`: how a process is labelled on the timeline.
fn process_label() -> String {
    let mut args = std::env::args();
    let exe = args.next().unwrap_or_default();
    let exe = exe.rsplit('/').next().unwrap_or("process").to_string();
    // `--demo NAME` is the same for every process of a run: leave it out.
    let mut words = vec![exe];
    while let Some(arg) = args.next() {
        if arg == "--demo" {
            args.next();
        } else {
            words.push(arg);
        }
    }
    words.join(" ")
}

struct Shared {
    /// Hello, threads, span definitions: sent before the rings' records.
    early: Mutex<Vec<u8>>,
    /// Closes and the end: sent after them.
    late: Mutex<Vec<u8>>,
    /// Each recording thread's oldest unread ring, in the order the threads
    /// first recorded.
    rings: Mutex<Vec<Arc<Ring>>>,
    wake: Condvar,
    /// Set by [`Shared::nudge`], cleared by the writer when it wakes: under
    /// the lock the writer waits on, so a nudge given while the writer is
    /// busy flushing is not lost (it would sleep a whole pause, and a
    /// lesson's exit waits for it).
    nudged: Mutex<bool>,
    /// The connection and the writer's buffers; whoever holds it flushes.
    stream: Mutex<writer::Stream>,
    /// The cycle counter when available (a few ns a read against ~25 ns for
    /// `Instant::now` here). Recording threads store raw readings; the
    /// writer turns them into nanoseconds.
    clock: quanta::Clock,
    started: u64,
    epoch_offset: u64,
    dropped: AtomicU64,
    /// A thread waited a whole [`STALL`] for the writer to take a shared
    /// buffer; until the writer takes one, nobody waits again.
    buffers_stalled: AtomicBool,
    closing: AtomicBool,
    /// The End is in `late` (see [`Shared::push_late_before_end`]).
    ended: AtomicBool,
    next_span: AtomicU64,
    next_thread: AtomicU32,
    /// Waiting spans still alive, with how many handles each has. When the
    /// last one drops, a Close record says the wait is over: inside an async
    /// task that is the only way to know how long it waited between polls.
    waiting: Mutex<HashMap<u64, usize>>,
    /// `waiting.len()`, readable without the lock: most spans that close are
    /// not waiting spans, and then closing costs one load.
    waiting_alive: AtomicUsize,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// Nanoseconds since the run's epoch of a raw clock reading.
    fn nanos(&self, raw: u64) -> u64 {
        self.epoch_offset + self.clock.delta_as_nanos(self.started, raw)
    }

    fn now(&self) -> u64 {
        self.nanos(self.clock.raw())
    }

    fn lock_waiting(&self) -> MutexGuard<'_, HashMap<u64, usize>> {
        lock(&self.waiting)
    }

    /// Appends to a shared buffer, or counts a drop when it is full.
    fn append(&self, buffer: &Mutex<Vec<u8>>, encode: impl FnOnce(&mut Vec<u8>)) {
        let mut guard = lock(buffer);
        if guard.len() > BUFFER_WAIT_AT && !self.buffers_stalled.load(Ordering::Relaxed) {
            drop(guard);
            if !self.wait_for_writer(|| lock(buffer).len() <= BUFFER_WAIT_AT) {
                self.buffers_stalled.store(true, Ordering::Relaxed);
            }
            guard = lock(buffer);
        }
        let buffer = &mut *guard;
        if buffer.len() > BUFFER_CAP {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        encode(buffer);
    }

    /// Asks the writer to flush, then polls `progress` every 50 µs:
    /// whether it said the writer moved on within a [`STALL`]. Only a
    /// recording thread with a full ring or buffer waits here (the writer
    /// swaps a shared buffer out whole, and reads a ring from its end).
    fn wait_for_writer(&self, mut progress: impl FnMut() -> bool) -> bool {
        self.nudge();
        let since = std::time::Instant::now();
        while since.elapsed() < STALL {
            std::thread::sleep(Duration::from_micros(50));
            if progress() {
                return true;
            }
        }
        false
    }

    /// A record that must reach the reader before the rings' records.
    fn push_early(&self, record: &Record) {
        self.append(&self.early, |buffer| wire::encode(record, buffer));
    }

    /// A record that must reach the reader after the rings' records.
    fn push_late(&self, record: &Record) {
        self.append(&self.late, |buffer| wire::encode(record, buffer));
    }

    /// Asks the writer to flush now rather than at its next tick.
    fn nudge(&self) {
        *lock(&self.nudged) = true;
        self.wake.notify_one();
    }

    /// A record that must reach the reader after the rings' records, unless
    /// the End is out: a scoped thread's thread-locals (and so its totals)
    /// may be dropped after its scope returned, even after `main` said
    /// goodbye, and nothing may follow the End.
    pub(super) fn push_late_before_end(&self, record: &Record) {
        self.append(&self.late, |buffer| {
            if !self.ended.load(Ordering::Relaxed) {
                wire::encode(record, buffer);
            }
        });
    }

    fn finish(&self) {
        // Under the buffer's lock, with the End: nothing is appended after it.
        self.append(&self.late, |buffer| {
            wire::encode(&Record::End { ts: self.now() }, buffer);
            self.ended.store(true, Ordering::Relaxed);
        });
        self.closing.store(true, Ordering::Release);
        self.nudge();
        self.flush_now();
        lock(&self.stream).shut();
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.take() {
            shared.finish();
        }
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_parse_only_from_32_hex_digits() {
        assert_eq!(
            parse_token("000102030405060708090a0b0c0d0e0f"),
            Some([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
        );
        assert_eq!(parse_token("abc"), None);
        assert_eq!(parse_token(&"zz".repeat(16)), None);
    }
}
