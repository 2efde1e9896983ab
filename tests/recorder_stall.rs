//! The recorder when nobody reads (a process of its own: the recorder is the
//! global `tracing` subscriber). A thread that fills its ring waits for the
//! writer, and when the reader has stopped, it counts its records as
//! dropped instead of hanging: the lesson goes on, and every record either
//! arrives or is counted.
use std::io::Read;
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;
use workbook::wire::{Framer, Record};

/// More records than the largest ring and the socket's buffers hold.
const PAIRS: u64 = 1_500_000;

#[test]
fn a_reader_that_stops_costs_records_counted_not_a_hung_lesson() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (start_reading, reading) = mpsc::channel::<()>();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        // Not a byte read until the recording thread is done.
        let _ = reading.recv();
        let mut framer = Framer::default();
        let (mut switches, mut dropped, mut ended) = (0u64, 0u64, false);
        let mut chunk = vec![0u8; 1 << 16];
        while let Ok(n) = stream.read(&mut chunk) {
            if n == 0 {
                break;
            }
            framer.push(&chunk[..n]);
            while let Some(record) = framer.next_record() {
                match record.expect("valid records") {
                    Record::Enter { .. } | Record::Exit { .. } => switches += 1,
                    Record::Dropped { count } => dropped += count,
                    Record::End { .. } => ended = true,
                    _ => {}
                }
            }
        }
        let _ = tx.send((switches, dropped, ended));
    });
    let recording = workbook::record::init_to(&addr, &"00".repeat(16));
    let (done_tx, done) = mpsc::channel();
    std::thread::spawn(move || {
        let span = tracing::info_span!("flood");
        for _ in 0..PAIRS {
            let _entered = span.enter();
        }
        let _ = done_tx.send(());
    });
    done.recv_timeout(Duration::from_secs(300))
        .expect("the recording thread went on without its reader");
    start_reading.send(()).unwrap();
    drop(recording);
    let (switches, dropped, ended) = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the reader gets everything once it reads");
    assert!(ended, "the recorder said goodbye");
    assert!(dropped > 0, "nothing was dropped, yet nobody read");
    assert_eq!(
        switches + dropped,
        2 * PAIRS,
        "every enter and exit arrived or was counted"
    );
}
