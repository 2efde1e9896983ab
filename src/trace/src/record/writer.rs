//! The writer's side: reading every thread's ring and the shared buffers,
//! in the order the module doc explains, and sending them to the runner.
use super::ring::Ring;
use super::{FLUSH_EVERY, Shared, lock};
use crate::wire::{self, Record};
use std::io::{IoSlice, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// The longest pause between flushes while nothing is recorded: how late
/// the first record after a quiet spell can reach the timeline.
const IDLE_EVERY: Duration = Duration::from_millis(40);
/// A flush that sent more than this goes again at once: a thread is
/// recording faster than the writer's tick.
const BUSY: usize = 256 << 10;
/// A flush that sent at least this much comes back after [`FLUSH_EVERY`];
/// one that sent less (a few spans: a CPU-bound lesson's rounds) lets the
/// pause grow as an empty one does. Each wake-up costs the lesson a core
/// for a moment, and a few records wait at most [`IDLE_EVERY`], about a
/// frame of the view.
const STEADY: usize = 16 << 10;
/// Buffers are kept for reuse up to this capacity; beyond it (after a
/// flood) they are shrunk, so an idle lesson does not hold a flood's memory.
const SPARE_KEEP: usize = 8 << 20;

/// The connection and the buffers a flush fills, reused from one flush to
/// the next so that their pages stay faulted in.
pub(super) struct Stream {
    conn: Option<TcpStream>,
    early: Vec<u8>,
    rings: Vec<u8>,
    late: Vec<u8>,
}

impl Stream {
    pub(super) fn new(conn: TcpStream) -> Stream {
        Stream {
            conn: Some(conn),
            early: Vec::new(),
            rings: Vec::new(),
            late: Vec::new(),
        }
    }

    /// Says goodbye: the reader sees the end of the stream.
    pub(super) fn shut(&mut self) {
        if let Some(conn) = self.conn.take() {
            let _ = conn.shutdown(std::net::Shutdown::Write);
        }
    }
}

/// Writes the three buffers in order with as few system calls as it takes
/// (one, mostly): on loopback each send also runs the reader's side of the
/// connection and wakes its thread, so three sends a flush cost three times
/// what one does, on a core the lesson wants.
fn write_in_order(out: &mut TcpStream, batches: [&Vec<u8>; 3]) -> std::io::Result<()> {
    let mut slices: Vec<IoSlice<'_>> = batches
        .iter()
        .filter(|batch| !batch.is_empty())
        .map(|batch| IoSlice::new(batch))
        .collect();
    let mut left = &mut slices[..];
    while !left.is_empty() {
        match out.write_vectored(left) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut left, n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

impl Shared {
    /// Flushes every [`FLUSH_EVERY`] while a thread records steadily, at
    /// once while a thread floods, and less often while little or nothing
    /// happens (up to [`IDLE_EVERY`]): a CPU-bound lesson with a few spans
    /// should not be woken 200 times a second for them.
    pub(super) fn write_loop(&self) {
        let mut pause = FLUSH_EVERY;
        while !self.closing.load(Ordering::Acquire) {
            let sent = self.flush_now();
            if sent >= BUSY {
                continue;
            }
            pause = if sent >= STEADY {
                FLUSH_EVERY
            } else {
                (pause * 2).min(IDLE_EVERY)
            };
            let nudged = lock(&self.nudged);
            let mut nudged = self
                .wake
                .wait_timeout_while(nudged, pause, |nudged| !*nudged)
                .map_or_else(|poisoned| poisoned.into_inner().0, |(guard, _)| guard);
            *nudged = false;
        }
    }

    /// Reads everything recorded so far and writes it out; returns the
    /// bytes sent. If the runner went away, records are still read (so no
    /// thread waits for room) and recording quietly stops: the lesson must
    /// not fail because nobody is watching.
    pub(super) fn flush_now(&self) -> usize {
        let mut stream = lock(&self.stream);
        let Stream {
            conn,
            early,
            rings,
            late,
        } = &mut *stream;
        std::mem::swap(late, &mut *lock(&self.late));
        self.drain_rings(rings);
        std::mem::swap(early, &mut *lock(&self.early));
        // Both shared buffers were just taken: threads may wait on them again.
        self.buffers_stalled.store(false, Ordering::Relaxed);
        let dropped = self.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            wire::encode(&Record::Dropped { count: dropped }, early);
        }
        let sent = early.len() + rings.len() + late.len();
        if sent > 0
            && let Some(out) = conn.as_mut()
            && write_in_order(out, [early, rings, late]).is_err()
        {
            *conn = None;
        }
        for batch in [&mut *early, &mut *rings, &mut *late] {
            batch.clear();
            batch.shrink_to(SPARE_KEEP);
        }
        sent
    }

    /// Appends every thread's published records to `out`, moves each
    /// thread on to the ring it grew into, and forgets threads that have
    /// ended once their last ring is read.
    fn drain_rings(&self, out: &mut Vec<u8>) {
        // New threads only append, and only the flusher (one at a time)
        // replaces or removes, so these indices stay put while the rings are
        // read outside the lock: a thread starting meanwhile is not held up.
        let mut current: Vec<Arc<Ring>> = lock(&self.rings).clone();
        for ring in &mut current {
            loop {
                // Taken before reading: a ring with a successor has no more
                // writes coming, so reading it now reads all of it.
                let next = ring.next().cloned();
                ring.drain(out, |raw| self.nanos(raw));
                match next {
                    Some(next) => *ring = next,
                    None => break,
                }
            }
        }
        let mut rings = lock(&self.rings);
        let mut ended = Vec::new();
        for (i, ring) in current.into_iter().enumerate() {
            rings[i] = ring;
            // Held by the list alone, all read, and not grown out of: its
            // thread has ended and nothing more can come.
            let ring = &rings[i];
            if Arc::strong_count(ring) == 1 && ring.next().is_none() && ring.is_drained() {
                ended.push(i);
            }
        }
        for i in ended.into_iter().rev() {
            rings.remove(i);
        }
    }
}
