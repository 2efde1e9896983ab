//! `events.bin`, byte by byte. The file starts with [`MAGIC`] and the format
//! version (`u32`), then a sequence of entries, each `kind u8, ts u64 (ns
//! since the run was asked for), num u64, len u32, payload`, integers
//! little-endian. Trace records are stored in the wire format
//! ([`crate::wire`]), so replay decodes them with the same code as a live run.
use super::{FORMAT, UnsupportedFormat, reads};
use crate::runner::{Outcome, RunEvent};
use crate::wire;
use std::io::Read;
use std::time::Duration;

/// The first bytes of a versioned `events.bin`. Format 1 had no header: its
/// first byte is an entry kind (1 to 10), never `w`.
pub const MAGIC: &[u8; 8] = b"wbevents";
/// [`MAGIC`] and the version.
pub const HEADER_LEN: usize = MAGIC.len() + 4;
/// An entry's fixed part: kind, ts, num, len.
pub const ENTRY_HEAD: usize = 21;

pub fn header() -> [u8; HEADER_LEN] {
    let mut head = [0u8; HEADER_LEN];
    head[..MAGIC.len()].copy_from_slice(MAGIC);
    head[MAGIC.len()..].copy_from_slice(&FORMAT.to_le_bytes());
    head
}

/// Reads the header, then entry after entry, handing each event to `each`
/// and the bytes read (of `total`) to `progress` about every MiB; see
/// [`super::stream`].
pub fn stream(
    mut reader: impl Read,
    total: u64,
    mut each: impl FnMut(u64, RunEvent),
    mut progress: impl FnMut(u64, u64) -> bool,
) -> anyhow::Result<()> {
    const EVERY: u64 = 1 << 20;
    let mut header = [0u8; HEADER_LEN];
    let got = read_full(&mut reader, &mut header)?;
    if got == 0 {
        // An empty file: the run was asked for and nothing came yet.
        progress(total, total);
        return Ok(());
    }
    // Format 1 had no header: its first byte is an entry kind.
    let version = if got == HEADER_LEN && header.starts_with(MAGIC) {
        u32::from_le_bytes(header[MAGIC.len()..].try_into()?)
    } else {
        1
    };
    if !reads(version) {
        return Err(UnsupportedFormat {
            file: "events.bin",
            found: version,
        }
        .into());
    }
    let (mut done, mut told) = (HEADER_LEN as u64, 0u64);
    let mut head = [0u8; ENTRY_HEAD];
    let mut payload = Vec::new();
    loop {
        if read_full(&mut reader, &mut head)? < ENTRY_HEAD {
            break;
        }
        let kind = head[0];
        let ts = u64::from_le_bytes(head[1..9].try_into()?);
        let num = u64::from_le_bytes(head[9..17].try_into()?);
        let len = u32::from_le_bytes(head[17..21].try_into()?) as usize;
        payload.resize(len, 0);
        if read_full(&mut reader, &mut payload)? < len {
            break;
        }
        each(ts, decode(kind, num, &payload)?);
        done += (ENTRY_HEAD + len) as u64;
        if done - told >= EVERY {
            told = done;
            if !progress(done, total) {
                return Ok(());
            }
        }
    }
    progress(total, total);
    Ok(())
}

/// Fills `buf` as far as the reader goes; returns how much it filled (less
/// than asked only at the end of the file).
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> anyhow::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(anyhow::Error::new(e).context("reading events.bin")),
        }
    }
    Ok(filled)
}

/// One entry's fixed part.
pub fn entry_head(kind: u8, ts: u64, num: u64, len: usize) -> [u8; ENTRY_HEAD] {
    let mut head = [0u8; ENTRY_HEAD];
    head[0] = kind;
    head[1..9].copy_from_slice(&ts.to_le_bytes());
    head[9..17].copy_from_slice(&num.to_le_bytes());
    head[17..21].copy_from_slice(&(len as u32).to_le_bytes());
    head
}

const BUILD: u8 = 1;
const BUILD_FAILED: u8 = 2;
const STARTED: u8 = 3;
const STDOUT: u8 = 4;
const STDERR: u8 = 5;
const TRACE: u8 = 6;
const DISCONNECTED: u8 = 7;
const WIRE_ERROR: u8 = 8;
const EXITED: u8 = 9;
const STRAYS: u8 = 10;

/// The entry's kind and number; its payload is appended to `payload`.
pub fn encode(event: &RunEvent, payload: &mut Vec<u8>) -> (u8, u64) {
    let mut text = |text: &str| payload.extend_from_slice(text.as_bytes());
    match event {
        RunEvent::Build(line) => {
            text(line);
            (BUILD, 0)
        }
        RunEvent::BuildFailed(report) => {
            text(report);
            (BUILD_FAILED, 0)
        }
        RunEvent::Started { pid } => (STARTED, u64::from(*pid)),
        RunEvent::Stdout(line) => {
            text(line);
            (STDOUT, 0)
        }
        RunEvent::Stderr(line) => {
            text(line);
            (STDERR, 0)
        }
        RunEvent::Trace { conn, records } => {
            for record in records {
                // The run's token is a secret of the live run: it never
                // reaches the disk (a replay does not need it).
                if let wire::Record::Hello {
                    version,
                    pid,
                    ppid,
                    name,
                    ..
                } = record
                {
                    let scrubbed = wire::Record::Hello {
                        version: *version,
                        token: [0; 16],
                        pid: *pid,
                        ppid: *ppid,
                        name: name.clone(),
                    };
                    wire::encode(&scrubbed, payload);
                    continue;
                }
                wire::encode(record, payload);
            }
            (TRACE, u64::from(*conn))
        }
        RunEvent::Disconnected { conn } => (DISCONNECTED, u64::from(*conn)),
        RunEvent::Strays(count) => (STRAYS, *count as u64),
        RunEvent::WireError { conn, message } => {
            text(message);
            (WIRE_ERROR, u64::from(*conn))
        }
        RunEvent::Exited(outcome) => {
            let (tag, value, why): (u32, i64, &str) = match outcome {
                Outcome::Code(code) => (0, i64::from(*code), ""),
                Outcome::Panicked { message } => (1, 0, message),
                Outcome::Signal(signal) => (2, i64::from(*signal), ""),
                Outcome::Killed => (3, 0, ""),
                Outcome::TimedOut(limit) => (4, limit.as_secs() as i64, ""),
                Outcome::FailedToStart(why) => (5, 0, why),
                Outcome::BuildFailed => (6, 0, ""),
            };
            text(why);
            (EXITED, (u64::from(tag) << 32) | u64::from(value as u32))
        }
    }
}

fn decode(kind: u8, num: u64, payload: &[u8]) -> anyhow::Result<RunEvent> {
    let text = || String::from_utf8_lossy(payload).into_owned();
    Ok(match kind {
        BUILD => RunEvent::Build(text()),
        BUILD_FAILED => RunEvent::BuildFailed(text()),
        STARTED => RunEvent::Started { pid: num as u32 },
        STDOUT => RunEvent::Stdout(text()),
        STDERR => RunEvent::Stderr(text()),
        TRACE => {
            let mut framer = wire::Framer::default();
            framer.push(payload);
            let mut records = Vec::new();
            while let Some(record) = framer.next_record() {
                records.push(record.map_err(|e| anyhow::anyhow!("a stored trace record: {e}"))?);
            }
            RunEvent::Trace {
                conn: num as u32,
                records,
            }
        }
        DISCONNECTED => RunEvent::Disconnected { conn: num as u32 },
        STRAYS => RunEvent::Strays(num as usize),
        WIRE_ERROR => RunEvent::WireError {
            conn: num as u32,
            message: text(),
        },
        EXITED => {
            let value = num as u32 as i32;
            RunEvent::Exited(match num >> 32 {
                0 => Outcome::Code(value),
                1 => Outcome::Panicked { message: text() },
                2 => Outcome::Signal(value),
                4 => Outcome::TimedOut(Duration::from_secs(value as u64)),
                5 => Outcome::FailedToStart(text()),
                6 => Outcome::BuildFailed,
                _ => Outcome::Killed,
            })
        }
        other => anyhow::bail!("unknown entry kind {other}"),
    })
}
