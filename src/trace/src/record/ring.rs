//! One thread's records on their way to the writer: a ring of 64-bit words
//! with one producer (the recording thread) and one consumer (whoever holds
//! the stream: the writer thread, or [`super::flush`]).
//!
//! The recording thread writes a record's words and then publishes its new
//! head with one release store: no lock, no read-modify-write, no cache line
//! shared with other recording threads. It reads the consumer's tail only
//! when its cached copy says the ring is full.
//!
//! A ring that fills is replaced by one four times larger (up to
//! [`MAX_WORDS`]), linked from the old one through `next`: the consumer
//! finishes the old ring before it reads the new one, so a thread's records
//! stay in order. A thread that stops recording early costs only
//! [`FIRST_WORDS`] words.
//!
//! Record layout: a head word `kind | thread << 8 | bytes << 40`, then
//! - for an enter or exit (kind = the wire tag): the span id and the raw
//!   clock reading, converted to nanoseconds by the consumer, off the
//!   recording thread;
//! - for [`BYTES`]: a whole wire frame (a mark), `bytes` long, in words.
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// A thread's first ring: 32 KiB, about 1,300 enter/exit records.
pub(super) const FIRST_WORDS: usize = 1 << 12;
/// The largest ring: 8 MiB, about 350,000 records (past it the thread
/// waits for the writer).
pub(super) const MAX_WORDS: usize = 1 << 20;
/// Kind of a record that carries a ready wire frame.
pub(super) const BYTES: u64 = 0xFF;

/// A counter alone on its cache line, so the producer's stores to `head`
/// do not evict the consumer's `tail` and the other way round.
#[repr(align(64))]
struct Padded(AtomicUsize);

pub(super) struct Ring {
    words: Box<[AtomicU64]>,
    mask: usize,
    /// Words published by the producer, counted from the start.
    head: Padded,
    /// Words the consumer has read, counted from the start.
    tail: Padded,
    /// The ring the producer moved on to when this one filled.
    next: OnceLock<Arc<Ring>>,
}

impl Ring {
    pub(super) fn new(words: usize) -> Arc<Ring> {
        let words = words.next_power_of_two();
        Arc::new(Ring {
            words: (0..words).map(|_| AtomicU64::new(0)).collect(),
            mask: words - 1,
            head: Padded(AtomicUsize::new(0)),
            tail: Padded(AtomicUsize::new(0)),
            next: OnceLock::new(),
        })
    }

    fn capacity(&self) -> usize {
        self.mask + 1
    }

    /// The ring the producer went on with, once this one is finished.
    pub(super) fn next(&self) -> Option<&Arc<Ring>> {
        self.next.get()
    }

    /// Whether nothing is left to read.
    pub(super) fn is_drained(&self) -> bool {
        self.tail.0.load(Ordering::Acquire) == self.head.0.load(Ordering::Acquire)
    }

    /// Consumer side: appends every published record to `out` as wire
    /// frames, with `nanos` turning raw clock readings into timestamps.
    /// Only one consumer may call this at a time (the caller holds the
    /// stream's lock).
    pub(super) fn drain(&self, out: &mut Vec<u8>, nanos: impl Fn(u64) -> u64) -> usize {
        let head = self.head.0.load(Ordering::Acquire);
        let start = self.tail.0.load(Ordering::Relaxed);
        let mut tail = start;
        let word = |at: usize| self.words[at & self.mask].load(Ordering::Relaxed);
        while tail < head {
            let first = word(tail);
            let kind = first & 0xFF;
            let thread = (first >> 8) as u32;
            if kind == BYTES {
                let bytes = (first >> 40) as usize & 0xFFFF;
                for i in 0..bytes.div_ceil(8) {
                    let chunk = word(tail + 1 + i).to_le_bytes();
                    out.extend_from_slice(&chunk[..(bytes - 8 * i).min(8)]);
                }
                tail += 1 + bytes.div_ceil(8);
            } else {
                let (span, raw) = (word(tail + 1), word(tail + 2));
                crate::wire::encode_switch(out, kind as u8, span, thread, nanos(raw));
                tail += 3;
            }
        }
        self.tail.0.store(tail, Ordering::Release);
        tail - start
    }
}

/// The producer's side of its thread's current ring.
pub(super) struct Producer {
    ring: Arc<Ring>,
    /// Our own copy of the ring's head: only this thread writes it.
    head: usize,
    /// The consumer's tail when last read: the ring has at least
    /// `capacity - (head - tail)` free words.
    tail: usize,
}

/// Why a record did not go in.
pub(super) enum Full {
    /// The ring is as large as rings get; the writer has to catch up.
    AtMax,
}

impl Producer {
    pub(super) fn new(ring: Arc<Ring>) -> Producer {
        Producer {
            ring,
            head: 0,
            tail: 0,
        }
    }

    /// Whether `words` more words fit, reading the consumer's tail if our
    /// copy says they do not.
    fn fits(&mut self, words: usize) -> bool {
        let capacity = self.ring.capacity();
        if self.head + words - self.tail <= capacity {
            return true;
        }
        self.tail = self.ring.tail.0.load(Ordering::Acquire);
        self.head + words - self.tail <= capacity
    }

    fn put(&mut self, value: u64) {
        self.ring.words[self.head & self.ring.mask].store(value, Ordering::Relaxed);
        self.head += 1;
    }

    fn publish(&self) {
        self.ring.head.0.store(self.head, Ordering::Release);
    }

    /// An enter or exit: three words.
    pub(super) fn push_switch(
        &mut self,
        tag: u8,
        thread: u32,
        span: u64,
        raw: u64,
    ) -> Result<(), Full> {
        self.make_room(3)?;
        self.put(u64::from(tag) | u64::from(thread) << 8);
        self.put(span);
        self.put(raw);
        self.publish();
        Ok(())
    }

    /// A whole wire frame (at most 64 KiB).
    pub(super) fn push_bytes(&mut self, thread: u32, frame: &[u8]) -> Result<(), Full> {
        let len = frame.len().min(0xFFFF);
        self.make_room(1 + len.div_ceil(8))?;
        self.put(BYTES | u64::from(thread) << 8 | (len as u64) << 40);
        for chunk in frame[..len].chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.put(u64::from_le_bytes(word));
        }
        self.publish();
        Ok(())
    }

    /// Makes room for `words`: in this ring, or in a larger one that
    /// follows it. Fails only at the largest size.
    fn make_room(&mut self, words: usize) -> Result<(), Full> {
        if self.fits(words) {
            return Ok(());
        }
        let capacity = self.ring.capacity();
        if capacity >= MAX_WORDS && words <= capacity {
            return Err(Full::AtMax);
        }
        let next = Ring::new((capacity * 4).max(words).min(MAX_WORDS.max(words)));
        // Everything written to the old ring was published before `next` is
        // set, so a consumer that sees `next` can finish the old ring first.
        let _ = self.ring.next.set(next.clone());
        *self = Producer::new(next);
        Ok(())
    }

    /// Words the consumer has read from the current ring so far.
    pub(super) fn consumed(&self) -> usize {
        self.ring.tail.0.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Framer, Record};

    fn drain_all(mut ring: Arc<Ring>) -> Vec<Record> {
        let mut out = Vec::new();
        loop {
            let next = ring.next().cloned();
            ring.drain(&mut out, |raw| raw * 10);
            match next {
                Some(next) => ring = next,
                None => break,
            }
        }
        let mut framer = Framer::default();
        framer.push(&out);
        std::iter::from_fn(|| framer.next_record().map(Result::unwrap)).collect()
    }

    #[test]
    fn records_come_out_in_order_across_growth() {
        let first = Ring::new(16);
        let mut producer = Producer::new(first.clone());
        let mut mark = Vec::new();
        crate::wire::encode(&Record::End { ts: 77 }, &mut mark);
        for i in 0..100u64 {
            assert!(producer.push_switch(crate::wire::ENTER, 3, i, i).is_ok());
            if i % 10 == 0 {
                assert!(producer.push_bytes(3, &mark).is_ok());
            }
        }
        let records = drain_all(first);
        assert_eq!(records.len(), 110);
        let enters: Vec<u64> = records
            .iter()
            .filter_map(|r| match r {
                Record::Enter {
                    span,
                    thread: 3,
                    ts,
                } if *ts == span * 10 => Some(*span),
                _ => None,
            })
            .collect();
        assert_eq!(enters, (0..100).collect::<Vec<_>>());
        assert_eq!(records[1], Record::End { ts: 77 });
    }

    #[test]
    fn a_full_ring_at_the_largest_size_refuses_until_read() {
        let ring = Ring::new(MAX_WORDS);
        let mut producer = Producer::new(ring.clone());
        let fit = MAX_WORDS / 3;
        for i in 0..fit as u64 {
            assert!(producer.push_switch(crate::wire::EXIT, 0, i, i).is_ok());
        }
        assert!(matches!(
            producer.push_switch(crate::wire::EXIT, 0, 0, 0),
            Err(Full::AtMax)
        ));
        let mut out = Vec::new();
        assert_eq!(ring.drain(&mut out, |raw| raw), 3 * fit);
        assert!(ring.is_drained());
        assert!(producer.push_switch(crate::wire::EXIT, 0, 0, 0).is_ok());
        assert!(ring.next().is_none());
    }
}
