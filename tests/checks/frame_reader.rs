use super::{paused, within};
use crate::ex::frame_reader::read_frames;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

const TICK: Duration = Duration::from_millis(2);

/// Runs `make()` on a tokio runtime with a real clock (real sockets), under
/// a deadline.
fn real_time<T: Send + 'static, F: Future<Output = T>>(
    hang: &str,
    make: impl FnOnce() -> F + Send + 'static,
) -> T {
    within(Duration::from_secs(8), hang, move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("cannot build a tokio runtime")
            .block_on(make())
    })
}

/// Both ends of a real TCP connection on 127.0.0.1.
async fn connection() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sender = TcpStream::connect(listener.local_addr().unwrap());
    let (sender, accepted) = tokio::join!(sender, listener.accept());
    (sender.unwrap(), accepted.unwrap().0)
}

fn frame_bytes(body: &[u8]) -> Vec<u8> {
    let mut bytes = (body.len() as u32).to_be_bytes().to_vec();
    bytes.extend_from_slice(body);
    bytes
}

/// Frame `i`: distinct lengths and contents, so a lost or shifted byte shows.
fn body(i: usize) -> Vec<u8> {
    (0..(i * 37) % 500 + 1).map(|j| (i * 7 + j) as u8).collect()
}

/// What the reader returned, and how far the sender got.
struct Run {
    /// `None`: read_frames had not returned 3 s after the sender began.
    result: Option<io::Result<Vec<Vec<u8>>>>,
    frames_sent: usize,
    /// The sender was waiting for ticks when time ran out.
    waiting_for_ticks: bool,
}

/// Sends `count` frames; in the middle of each, waits until `on_tick` has run
/// three more times. Gives up after 3 s (a hang shows as that).
async fn send_with_pauses(count: usize) -> Run {
    let (mut sender, receiver) = connection().await;
    let ticks = Arc::new(AtomicU64::new(0));
    let counted = Arc::clone(&ticks);
    let reader = tokio::spawn(async move {
        read_frames(receiver, TICK, move || {
            counted.fetch_add(1, Ordering::SeqCst);
        })
        .await
    });
    let mut frames_sent = 0;
    let mut waiting_for_ticks = false;
    let sending = async {
        'frames: for i in 0..count {
            let bytes = frame_bytes(&body(i));
            let middle = bytes.len() / 2 + 1; // past the header
            if sender.write_all(&bytes[..middle]).await.is_err() {
                break; // the reader is gone
            }
            let target = ticks.load(Ordering::SeqCst) + 3;
            waiting_for_ticks = true;
            while ticks.load(Ordering::SeqCst) < target {
                if reader.is_finished() {
                    break 'frames;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            waiting_for_ticks = false;
            if sender.write_all(&bytes[middle..]).await.is_err() {
                break;
            }
            frames_sent += 1;
        }
        let _ = sender.shutdown().await;
        drop(sender);
        reader.await.expect("read_frames panicked")
    };
    let result = tokio::time::timeout(Duration::from_secs(3), sending)
        .await
        .ok();
    Run {
        result,
        frames_sent,
        waiting_for_ticks,
    }
}

#[test]
fn frames_that_arrive_in_pieces_come_out_whole() {
    isolated!();
    let count = 20;
    let run = real_time("read_frames never returned", move || {
        send_with_pauses(count)
    });
    let sent = run.frames_sent;
    let frames = match run.result {
        None if run.waiting_for_ticks => panic!(
            "on_tick stopped being called while half of frame {sent} had arrived (the sender \
             waited 3 s for three ticks): the heartbeat must go on while a frame is incomplete"
        ),
        None => panic!("read_frames did not return within 3 s; {sent} of {count} frames were sent"),
        Some(Err(e)) => panic!(
            "read_frames gave the error `{e}` after {sent} of {count} frames were sent, each \
             in two pieces with a pause between: bytes were lost or frames shifted"
        ),
        Some(Ok(frames)) => frames,
    };
    let expected: Vec<Vec<u8>> = (0..count).map(body).collect();
    let lengths: Vec<usize> = frames.iter().map(Vec::len).collect();
    assert!(
        frames == expected,
        "sent {sent} of {count} frames (lengths {:?}); received {} frames of lengths {lengths:?}",
        expected.iter().map(Vec::len).collect::<Vec<_>>(),
        frames.len()
    );
}

#[test]
fn many_small_pieces_lose_no_byte() {
    isolated!();
    let count = 300;
    let (frames, ticks) = real_time("read_frames never returned", move || async move {
        let (mut sender, receiver) = connection().await;
        let ticks = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&ticks);
        let reader = tokio::spawn(read_frames(receiver, Duration::from_millis(1), move || {
            counted.fetch_add(1, Ordering::SeqCst);
        }));
        let stream: Vec<u8> = (0..count).flat_map(|i| frame_bytes(&body(i))).collect();
        for (n, piece) in stream.chunks(97).enumerate() {
            sender.write_all(piece).await.unwrap();
            if n % 8 == 0 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        drop(sender);
        let frames = tokio::time::timeout(Duration::from_secs(4), reader).await;
        (frames, ticks.load(Ordering::SeqCst))
    });
    let frames = frames
        .expect("the sender closed the stream, but read_frames did not return within 4 s")
        .expect("read_frames panicked")
        .expect("read_frames failed on a well-formed stream");
    assert_eq!(frames.len(), count, "frames received, of {count} sent");
    assert!(
        frames.iter().enumerate().all(|(i, f)| *f == body(i)),
        "a frame's bytes differ from those sent"
    );
    assert!(ticks > 0, "on_tick was never called");
}

#[test]
fn a_clean_end_returns_every_frame_even_an_empty_one() {
    isolated!();
    let frames = real_time("read_frames never returned", || async {
        let (mut sender, receiver) = connection().await;
        let mut bytes = frame_bytes(b"one");
        bytes.extend(frame_bytes(b""));
        bytes.extend(frame_bytes(b"three"));
        bytes.extend(frame_bytes(b"")); // the last frame is a header alone
        sender.write_all(&bytes).await.unwrap();
        drop(sender);
        read_frames(receiver, TICK, || {}).await
    });
    let frames = frames.expect(
        "read_frames failed on four whole frames (the second and the last empty) and a clean end",
    );
    assert_eq!(
        frames,
        vec![b"one".to_vec(), vec![], b"three".to_vec(), vec![]]
    );
}

#[test]
fn a_stream_that_ends_inside_a_frame_is_an_error() {
    isolated!();
    let result = real_time("read_frames never returned", || async {
        let (mut sender, receiver) = connection().await;
        let mut bytes = frame_bytes(b"whole");
        bytes.extend(&frame_bytes(b"cut off here")[..7]);
        sender.write_all(&bytes).await.unwrap();
        drop(sender);
        read_frames(receiver, TICK, || {}).await
    });
    assert!(
        result.is_err(),
        "the stream ended 3 bytes into a 12-byte frame and read_frames returned Ok({:?})",
        result.unwrap()
    );
}

#[test]
fn the_heartbeat_keeps_time_while_bytes_trickle_in() {
    isolated!();
    // One byte every millisecond (virtual time, so the check does not really
    // wait): the stream is never quiet for a whole `every`, and the ticks
    // must still come every `every`, not only when nothing arrives.
    let count = 100;
    let every = Duration::from_millis(10);
    let (result, ticks, took) = paused("read_frames blocked the thread", move || async move {
        let (mut sender, receiver) = tokio::io::duplex(64);
        let ticks = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&ticks);
        let reader = tokio::spawn(read_frames(receiver, every, move || {
            counted.fetch_add(1, Ordering::SeqCst);
        }));
        let stream: Vec<u8> = (0..count)
            .flat_map(|i| frame_bytes(&[i as u8; 10]))
            .collect();
        let start = tokio::time::Instant::now();
        for byte in stream {
            if sender.write_all(&[byte]).await.is_err() {
                break; // the reader is gone
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let took = start.elapsed();
        drop(sender);
        let result = tokio::time::timeout(Duration::from_secs(60), reader).await;
        (result, ticks.load(Ordering::SeqCst), took)
    });
    let frames = result
        .expect(
            "the sender closed the stream, but read_frames did not return within 60 s (virtual)",
        )
        .expect("read_frames panicked")
        .expect("read_frames failed on a well-formed stream");
    assert_eq!(frames.len(), count, "frames received, of {count} sent");
    let due = took.as_millis() / every.as_millis();
    assert!(
        u128::from(ticks) >= due / 2,
        "on_tick ran {ticks} times while the bytes trickled in for {took:?} (one every 1 ms), \
         with a tick due every {every:?}: about {due} were due. The heartbeat must keep its \
         own time, not wait for a quiet moment"
    );
}
