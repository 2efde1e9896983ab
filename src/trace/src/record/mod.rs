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
//! 21-byte records appended to a shared buffer that a writer thread drains.
mod subscriber;

use crate::wire::{self, Record};
use std::collections::HashMap;
use std::io::Write;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use subscriber::Recorder;

/// How often the writer thread ships what was recorded.
const FLUSH_EVERY: Duration = Duration::from_millis(5);
/// Past this many unsent bytes, records are counted as dropped instead of
/// kept, so a lesson that floods never runs out of memory or waits on us.
const BUFFER_CAP: usize = 64 << 20;
/// A drained buffer is kept for reuse up to this capacity; beyond it (after
/// a flood) it is shrunk, so an idle lesson does not hold a flood's memory.
const SPARE_KEEP: usize = 8 << 20;

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
        buffer: Mutex::new(Vec::with_capacity(64 << 10)),
        spare: Mutex::new(Vec::with_capacity(64 << 10)),
        wake: Condvar::new(),
        stream: Mutex::new(Some(stream)),
        clock,
        started,
        epoch_offset,
        dropped: AtomicU64::new(0),
        closing: AtomicBool::new(false),
        next_span: AtomicU64::new(1),
        next_thread: AtomicU32::new(0),
        waiting: Mutex::new(HashMap::new()),
        waiting_alive: AtomicUsize::new(0),
    });
    shared.push(&Record::Hello {
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
    buffer: Mutex<Vec<u8>>,
    /// The buffer the writer sent last, emptied with its capacity kept and
    /// swapped in for the next batch: a fresh `Vec` each time would grow by
    /// reallocation and fault in new pages on the recording threads, which
    /// cost more than the records themselves in a tight loop.
    spare: Mutex<Vec<u8>>,
    wake: Condvar,
    stream: Mutex<Option<TcpStream>>,
    /// The cycle counter when available (a few ns a read against ~25 ns for
    /// `Instant::now` here): two reads per enter/exit pair are most of the
    /// recording cost.
    clock: quanta::Clock,
    started: u64,
    epoch_offset: u64,
    dropped: AtomicU64,
    closing: AtomicBool,
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

impl Shared {
    fn now(&self) -> u64 {
        self.epoch_offset + self.clock.delta_as_nanos(self.started, self.clock.raw())
    }

    fn lock_waiting(&self) -> std::sync::MutexGuard<'_, HashMap<u64, usize>> {
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Appends to the unsent buffer, or counts a drop when it is full.
    fn append(&self, encode: impl FnOnce(&mut Vec<u8>)) {
        let mut buffer = self
            .buffer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buffer.len() > BUFFER_CAP {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        encode(&mut buffer);
    }

    fn push(&self, record: &Record) {
        self.append(|buffer| wire::encode(record, buffer));
    }

    fn push_switch(&self, tag: u8, span: u64, thread: u32) {
        let ts = self.now();
        self.append(|buffer| wire::encode_switch(buffer, tag, span, thread, ts));
    }

    fn write_loop(&self) {
        while !self.closing.load(Ordering::Acquire) {
            {
                let buffer = self
                    .buffer
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let _unused = self.wake.wait_timeout(buffer, FLUSH_EVERY);
            }
            self.flush_now();
        }
    }

    /// Takes the buffer and writes it out. If the runner went away, recording
    /// quietly stops: the lesson must not fail because nobody is watching.
    fn flush_now(&self) {
        let mut stream = self
            .stream
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut spare = self
            .spare
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::mem::swap(
            &mut *spare,
            &mut *self
                .buffer
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let batch = &mut *spare;
        let dropped = self.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            wire::encode(&Record::Dropped { count: dropped }, batch);
        }
        if !batch.is_empty()
            && let Some(conn) = stream.as_mut()
            && conn.write_all(batch).is_err()
        {
            *stream = None;
        }
        batch.clear();
        batch.shrink_to(SPARE_KEEP);
    }

    fn finish(&self) {
        self.push(&Record::End { ts: self.now() });
        self.closing.store(true, Ordering::Release);
        self.wake.notify_all();
        self.flush_now();
        if let Some(conn) = self
            .stream
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            let _ = conn.shutdown(std::net::Shutdown::Write);
        }
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
