//! The wire: how a lesson's processes send trace records to the workbook.
//!
//! This comment is the one description of the format. Bump [`VERSION`] when
//! it changes; the reader refuses any other version.
//!
//! # Transport
//! The runner listens on TCP `127.0.0.1:<ephemeral port>` and starts the
//! lesson with three environment variables, which child processes inherit:
//! - `WORKBOOK_TRACE`: the address, e.g. `127.0.0.1:40123`;
//! - `WORKBOOK_TRACE_TOKEN`: 32 hex digits, a secret per run; a connection
//!   whose hello does not carry it is dropped, so only processes of this run
//!   can write to it;
//! - `WORKBOOK_EPOCH_NS`: the run's start as nanoseconds since the Unix epoch.
//!   Every timestamp is nanoseconds since this instant, so lanes of several
//!   processes line up.
//!
//! Each process opens one connection.
//!
//! # Framing
//! A record is a little-endian `u16` length followed by that many payload
//! bytes (at most [`MAX_RECORD`]). The payload is a tag byte and the fields
//! below, integers little-endian, `str` a `u16` length and UTF-8 bytes,
//! `fields` a `u8` count of (`str` key, `str` value) pairs.
//!
//! | tag | record | fields |
//! |-----|--------|--------|
//! | 1 | Hello  | version `u16`, token `[u8; 16]`, pid `u32`, ppid `u32`, name `str` (must be first) |
//! | 2 | Thread | thread `u32` (index within the process), name `str` |
//! | 3 | Span   | span `u64`, parent `u64` (0: none), name `str`, target `str`, fields |
//! | 4 | Enter  | span `u64`, thread `u32`, ts `u64` |
//! | 5 | Exit   | span `u64`, thread `u32`, ts `u64` |
//! | 6 | Mark   | thread `u32`, ts `u64`, span `u64` (0: none), name `str`, fields |
//! | 7 | Dropped| count `u64`: records the process could not keep (buffer full) |
//! | 8 | End    | ts `u64`: the process finished recording cleanly |
//! | 9 | Close  | span `u64`, ts `u64`: a waiting span was dropped (sent for waiting spans only) |
//! | 10 | `ThreadId` | thread `u32`, tid `u32`: the OS thread id of a thread (sent right after its Thread) |
//! | 11 | Sample | pid `u32`, tid `u32`, ts `u64`, `on_cpu` `u64`, queued `u64`, state `u8`, comm `str` |
//! | 12 | Process | pid `u32`, ppid `u32`, name `str`: a process of the run the sampler found |
//! | 13 | Sampler | interval `u64` (ns between samples), cpus `u16` (online CPUs), note `str` (empty when sampling works) |
//! | 14 | Freeze | ts `u64`, frozen `u8` (1: the run was stopped with SIGSTOP, 0: resumed) |
//! | 15 | Totals | thread `u32`, ts `u64`, `on_cpu` `u64`, queued `u64`: a thread's own kernel totals, read by the recorder (see below) |
//!
//! # What the kernel saw (records 11 to 14)
//! Records 11 to 14 do not come over the socket: the runner's sampler
//! (`src/runner/sampler.rs`) reads `/proc/PID/task/TID/schedstat` and `stat`
//! for every thread of every process of the run and produces them itself,
//! as connection 0 ([`SAMPLER_CONN`]), which needs no hello. A Sample holds
//! the thread's totals since it started: nanoseconds on a CPU, nanoseconds
//! runnable but waiting in a run queue, and its state letter from `stat`
//! (`R`, `S`, `D`, `T`, ...). Between two samples of one thread it was on a
//! core for the difference in `on_cpu`, queued for a core for the difference
//! in `queued`, and blocked for the rest. `comm` is the kernel's name of the
//! thread, sent with the first sample of a thread and when it changes (empty
//! otherwise). A `ThreadId` joins a recorder's thread index to the OS thread
//! id in Samples, so a thread's spans and its samples share one lane.
//! Sampler comes first, once: its note says why sampling is off, if it is.
//!
//! # A thread's own totals (record 15)
//! A thread that starts and ends between two of the sampler's rounds, or
//! before the sampler looks for new threads, would show nothing of what the
//! kernel saw. So the recorder, inside the lesson, reads a recording
//! thread's own totals (nanoseconds on a CPU, from its CPU-time clock;
//! nanoseconds queued for one, from `/proc/thread-self/schedstat`) twice:
//! when the thread first records, and when it ends (its thread-local state
//! is dropped). A Totals record means the same as a Sample of that thread
//! taken at `ts` (the thread's OS id is the one its `ThreadId` gave), and
//! comes after that `ThreadId`; the reader takes it only when it is later
//! than the thread's last reading. Threads that record nothing send none.
//!
//! Two field names have a meaning: a span with a `waiting_on` field is a
//! *waiting* span (its value says on what), and a span with a `task` field is
//! an async task, drawn as a lane of its own. A waiting span inside a task is
//! entered only while the task is polled; its Close says when the wait was
//! over, so the time between polls can be drawn as waiting on it.
use std::fmt;

/// 4: Totals records. 3: `ThreadId`, Sample, Process, Sampler and Freeze
/// records. Stored runs of versions 2 and 3 still decode: each version only
/// added records.
pub const VERSION: u16 = 4;
/// The connection the runner's own records (samples, freezes) come on.
pub const SAMPLER_CONN: u32 = 0;
/// The largest payload a reader accepts.
pub const MAX_RECORD: usize = 16 * 1024;

pub const ENV_ADDR: &str = "WORKBOOK_TRACE";
pub const ENV_TOKEN: &str = "WORKBOOK_TRACE_TOKEN";
pub const ENV_EPOCH: &str = "WORKBOOK_EPOCH_NS";

/// The field that marks a span as waiting.
pub const WAITING_FIELD: &str = "waiting_on";
/// The field that marks a span as an async task.
pub const TASK_FIELD: &str = "task";

pub type Fields = Vec<(String, String)>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Hello {
        version: u16,
        token: [u8; 16],
        pid: u32,
        ppid: u32,
        name: String,
    },
    Thread {
        thread: u32,
        name: String,
    },
    Span {
        span: u64,
        parent: u64,
        name: String,
        target: String,
        fields: Fields,
    },
    Enter {
        span: u64,
        thread: u32,
        ts: u64,
    },
    Exit {
        span: u64,
        thread: u32,
        ts: u64,
    },
    Mark {
        thread: u32,
        ts: u64,
        span: u64,
        name: String,
        fields: Fields,
    },
    Dropped {
        count: u64,
    },
    End {
        ts: u64,
    },
    Close {
        span: u64,
        ts: u64,
    },
    ThreadId {
        thread: u32,
        tid: u32,
    },
    Sample(Sample),
    Process {
        pid: u32,
        ppid: u32,
        name: String,
    },
    Sampler {
        interval: u64,
        cpus: u16,
        note: String,
    },
    Freeze {
        ts: u64,
        frozen: bool,
    },
    /// A recording thread's own kernel totals at `ts` (record 15).
    Totals {
        thread: u32,
        ts: u64,
        on_cpu: u64,
        queued: u64,
    },
}

/// One reading of one thread by the sampler (record 11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub pid: u32,
    pub tid: u32,
    /// Nanoseconds since the run started.
    pub ts: u64,
    /// Total nanoseconds on a CPU since the thread started.
    pub on_cpu: u64,
    /// Total nanoseconds runnable but waiting for a CPU.
    pub queued: u64,
    /// The state letter from `/proc/.../stat`: `R`, `S`, `D`, `T`, ...
    pub state: u8,
    /// The kernel's thread name; empty when unchanged since the last sample.
    pub comm: String,
}

const TAG_HELLO: u8 = 1;
const TAG_THREAD: u8 = 2;
const TAG_SPAN: u8 = 3;
const TAG_ENTER: u8 = 4;
const TAG_EXIT: u8 = 5;
const TAG_MARK: u8 = 6;
const TAG_DROPPED: u8 = 7;
const TAG_END: u8 = 8;
const TAG_CLOSE: u8 = 9;
const TAG_THREAD_ID: u8 = 10;
const TAG_SAMPLE: u8 = 11;
const TAG_PROCESS: u8 = 12;
const TAG_SAMPLER: u8 = 13;
const TAG_FREEZE: u8 = 14;
const TAG_TOTALS: u8 = 15;

/// Appends one framed record to `out`. Strings longer than the format allows
/// are cut at a character boundary rather than refused: a lesson must never
/// fail because of its trace.
pub fn encode(record: &Record, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&[0, 0]);
    match record {
        Record::Hello {
            version,
            token,
            pid,
            ppid,
            name,
        } => {
            out.push(TAG_HELLO);
            out.extend_from_slice(&version.to_le_bytes());
            out.extend_from_slice(token);
            out.extend_from_slice(&pid.to_le_bytes());
            out.extend_from_slice(&ppid.to_le_bytes());
            put_str(out, name, 1024);
        }
        Record::Thread { thread, name } => {
            out.push(TAG_THREAD);
            out.extend_from_slice(&thread.to_le_bytes());
            put_str(out, name, 256);
        }
        Record::Span {
            span,
            parent,
            name,
            target,
            fields,
        } => {
            out.push(TAG_SPAN);
            out.extend_from_slice(&span.to_le_bytes());
            out.extend_from_slice(&parent.to_le_bytes());
            put_str(out, name, 256);
            put_str(out, target, 256);
            put_fields(out, fields);
        }
        Record::Enter { span, thread, ts } | Record::Exit { span, thread, ts } => {
            let tag = if matches!(record, Record::Enter { .. }) {
                TAG_ENTER
            } else {
                TAG_EXIT
            };
            out.truncate(start);
            encode_switch(out, tag, *span, *thread, *ts);
            return;
        }
        Record::Mark {
            thread,
            ts,
            span,
            name,
            fields,
        } => {
            out.push(TAG_MARK);
            out.extend_from_slice(&thread.to_le_bytes());
            out.extend_from_slice(&ts.to_le_bytes());
            out.extend_from_slice(&span.to_le_bytes());
            put_str(out, name, 512);
            put_fields(out, fields);
        }
        Record::Dropped { count } => {
            out.push(TAG_DROPPED);
            out.extend_from_slice(&count.to_le_bytes());
        }
        Record::End { ts } => {
            out.push(TAG_END);
            out.extend_from_slice(&ts.to_le_bytes());
        }
        Record::Close { span, ts } => {
            out.push(TAG_CLOSE);
            out.extend_from_slice(&span.to_le_bytes());
            out.extend_from_slice(&ts.to_le_bytes());
        }
        Record::ThreadId { thread, tid } => {
            out.push(TAG_THREAD_ID);
            out.extend_from_slice(&thread.to_le_bytes());
            out.extend_from_slice(&tid.to_le_bytes());
        }
        Record::Sample(sample) => {
            out.push(TAG_SAMPLE);
            out.extend_from_slice(&sample.pid.to_le_bytes());
            out.extend_from_slice(&sample.tid.to_le_bytes());
            out.extend_from_slice(&sample.ts.to_le_bytes());
            out.extend_from_slice(&sample.on_cpu.to_le_bytes());
            out.extend_from_slice(&sample.queued.to_le_bytes());
            out.push(sample.state);
            put_str(out, &sample.comm, 64);
        }
        Record::Process { pid, ppid, name } => {
            out.push(TAG_PROCESS);
            out.extend_from_slice(&pid.to_le_bytes());
            out.extend_from_slice(&ppid.to_le_bytes());
            put_str(out, name, 1024);
        }
        Record::Sampler {
            interval,
            cpus,
            note,
        } => {
            out.push(TAG_SAMPLER);
            out.extend_from_slice(&interval.to_le_bytes());
            out.extend_from_slice(&cpus.to_le_bytes());
            put_str(out, note, 1024);
        }
        Record::Freeze { ts, frozen } => {
            out.push(TAG_FREEZE);
            out.extend_from_slice(&ts.to_le_bytes());
            out.push(u8::from(*frozen));
        }
        Record::Totals {
            thread,
            ts,
            on_cpu,
            queued,
        } => {
            out.push(TAG_TOTALS);
            out.extend_from_slice(&thread.to_le_bytes());
            out.extend_from_slice(&ts.to_le_bytes());
            out.extend_from_slice(&on_cpu.to_le_bytes());
            out.extend_from_slice(&queued.to_le_bytes());
        }
    }
    let len = (out.len() - start - 2) as u16;
    out[start..start + 2].copy_from_slice(&len.to_le_bytes());
}

/// The hot path: an enter or exit record, written without building a
/// [`Record`] first.
/// Built in a fixed array and appended at once: one capacity check instead
/// of five, a third of the cost of the record.
pub fn encode_switch(out: &mut Vec<u8>, tag: u8, span: u64, thread: u32, ts: u64) {
    let mut frame = [0u8; 23];
    frame[..2].copy_from_slice(&21u16.to_le_bytes());
    frame[2] = tag;
    frame[3..11].copy_from_slice(&span.to_le_bytes());
    frame[11..15].copy_from_slice(&thread.to_le_bytes());
    frame[15..].copy_from_slice(&ts.to_le_bytes());
    out.extend_from_slice(&frame);
}

pub const ENTER: u8 = TAG_ENTER;
pub const EXIT: u8 = TAG_EXIT;

fn put_str(out: &mut Vec<u8>, s: &str, max: usize) {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    out.extend_from_slice(&(end as u16).to_le_bytes());
    out.extend_from_slice(&s.as_bytes()[..end]);
}

fn put_fields(out: &mut Vec<u8>, fields: &Fields) {
    let n = fields.len().min(16);
    out.push(n as u8);
    for (k, v) in &fields[..n] {
        put_str(out, k, 64);
        put_str(out, v, 256);
    }
}

/// Why a record was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    Oversized(usize),
    UnknownTag(u8),
    Truncated(&'static str),
    BadUtf8,
    TrailingBytes(usize),
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::Oversized(n) => write!(f, "record of {n} bytes exceeds {MAX_RECORD}"),
            WireError::UnknownTag(t) => write!(f, "unknown record tag {t}"),
            WireError::Truncated(what) => write!(f, "record ends inside {what}"),
            WireError::BadUtf8 => write!(f, "string is not UTF-8"),
            WireError::TrailingBytes(n) => write!(f, "{n} bytes left after the record"),
        }
    }
}

/// Splits a byte stream into payloads. Feed it whatever the socket gives;
/// it keeps partial frames until the rest arrives.
///
/// Records are read from an offset into `pending`, and the consumed front is
/// dropped only when more bytes arrive: draining the front after every record
/// would move the rest of a 64 KiB chunk each time, which made intake
/// quadratic in the chunk size.
#[derive(Default)]
pub struct Framer {
    pending: Vec<u8>,
    read: usize,
}

impl Framer {
    pub fn push(&mut self, bytes: &[u8]) {
        if self.read > 0 {
            self.pending.drain(..self.read);
            self.read = 0;
        }
        self.pending.extend_from_slice(bytes);
    }

    /// Bytes received but not yet returned as records.
    pub fn buffered(&self) -> usize {
        self.pending.len() - self.read
    }

    /// The next complete frame, decoded. `None` when more bytes are needed.
    /// An oversized length is an error the stream cannot recover from: the
    /// caller should count it and drop the connection.
    pub fn next_record(&mut self) -> Option<Result<Record, WireError>> {
        let rest = &self.pending[self.read..];
        if rest.len() < 2 {
            return None;
        }
        let len = u16::from_le_bytes([rest[0], rest[1]]) as usize;
        if len > MAX_RECORD {
            return Some(Err(WireError::Oversized(len)));
        }
        if rest.len() < 2 + len {
            return None;
        }
        let payload = &rest[2..2 + len];
        // Nearly every record is an enter or an exit: read its fixed layout
        // straight, without the general decoder's checks per field.
        if len == 21 && (payload[0] == TAG_ENTER || payload[0] == TAG_EXIT) {
            let span = u64::from_le_bytes(payload[1..9].try_into().expect("8 bytes"));
            let thread = u32::from_le_bytes(payload[9..13].try_into().expect("4 bytes"));
            let ts = u64::from_le_bytes(payload[13..21].try_into().expect("8 bytes"));
            let record = if payload[0] == TAG_ENTER {
                Record::Enter { span, thread, ts }
            } else {
                Record::Exit { span, thread, ts }
            };
            self.read += 2 + len;
            return Some(Ok(record));
        }
        let result = decode(payload);
        self.read += 2 + len;
        Some(result)
    }
}

/// Decodes one payload (without its length prefix).
pub fn decode(payload: &[u8]) -> Result<Record, WireError> {
    if payload.len() > MAX_RECORD {
        return Err(WireError::Oversized(payload.len()));
    }
    let mut r = Reader { buf: payload };
    let tag = r.u8("tag")?;
    let record = match tag {
        TAG_HELLO => Record::Hello {
            version: r.u16("version")?,
            token: r.array16()?,
            pid: r.u32("pid")?,
            ppid: r.u32("ppid")?,
            name: r.str()?,
        },
        TAG_THREAD => Record::Thread {
            thread: r.u32("thread")?,
            name: r.str()?,
        },
        TAG_SPAN => Record::Span {
            span: r.u64("span")?,
            parent: r.u64("parent")?,
            name: r.str()?,
            target: r.str()?,
            fields: r.fields()?,
        },
        TAG_ENTER | TAG_EXIT => {
            let span = r.u64("span")?;
            let thread = r.u32("thread")?;
            let ts = r.u64("ts")?;
            if tag == TAG_ENTER {
                Record::Enter { span, thread, ts }
            } else {
                Record::Exit { span, thread, ts }
            }
        }
        TAG_MARK => Record::Mark {
            thread: r.u32("thread")?,
            ts: r.u64("ts")?,
            span: r.u64("span")?,
            name: r.str()?,
            fields: r.fields()?,
        },
        TAG_DROPPED => Record::Dropped {
            count: r.u64("count")?,
        },
        TAG_END => Record::End { ts: r.u64("ts")? },
        TAG_CLOSE => Record::Close {
            span: r.u64("span")?,
            ts: r.u64("ts")?,
        },
        TAG_THREAD_ID => Record::ThreadId {
            thread: r.u32("thread")?,
            tid: r.u32("tid")?,
        },
        TAG_SAMPLE => Record::Sample(Sample {
            pid: r.u32("pid")?,
            tid: r.u32("tid")?,
            ts: r.u64("ts")?,
            on_cpu: r.u64("on_cpu")?,
            queued: r.u64("queued")?,
            state: r.u8("state")?,
            comm: r.str()?,
        }),
        TAG_PROCESS => Record::Process {
            pid: r.u32("pid")?,
            ppid: r.u32("ppid")?,
            name: r.str()?,
        },
        TAG_SAMPLER => Record::Sampler {
            interval: r.u64("interval")?,
            cpus: r.u16("cpus")?,
            note: r.str()?,
        },
        TAG_FREEZE => Record::Freeze {
            ts: r.u64("ts")?,
            frozen: r.u8("frozen")? != 0,
        },
        TAG_TOTALS => Record::Totals {
            thread: r.u32("thread")?,
            ts: r.u64("ts")?,
            on_cpu: r.u64("on_cpu")?,
            queued: r.u64("queued")?,
        },
        other => return Err(WireError::UnknownTag(other)),
    };
    if !r.buf.is_empty() {
        return Err(WireError::TrailingBytes(r.buf.len()));
    }
    Ok(record)
}

struct Reader<'a> {
    buf: &'a [u8],
}

impl Reader<'_> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&[u8], WireError> {
        if self.buf.len() < n {
            return Err(WireError::Truncated(what));
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }
    fn u8(&mut self, what: &'static str) -> Result<u8, WireError> {
        Ok(self.take(1, what)?[0])
    }
    fn u16(&mut self, what: &'static str) -> Result<u16, WireError> {
        Ok(u16::from_le_bytes(self.take(2, what)?.try_into().unwrap()))
    }
    fn u32(&mut self, what: &'static str) -> Result<u32, WireError> {
        Ok(u32::from_le_bytes(self.take(4, what)?.try_into().unwrap()))
    }
    fn u64(&mut self, what: &'static str) -> Result<u64, WireError> {
        Ok(u64::from_le_bytes(self.take(8, what)?.try_into().unwrap()))
    }
    fn array16(&mut self) -> Result<[u8; 16], WireError> {
        Ok(self.take(16, "token")?.try_into().unwrap())
    }
    fn str(&mut self) -> Result<String, WireError> {
        let len = self.u16("string length")? as usize;
        let bytes = self.take(len, "string")?;
        String::from_utf8(bytes.to_vec()).map_err(|_| WireError::BadUtf8)
    }
    fn fields(&mut self) -> Result<Fields, WireError> {
        let n = self.u8("field count")?;
        (0..n).map(|_| Ok((self.str()?, self.str()?))).collect()
    }
}

#[cfg(test)]
mod tests;
