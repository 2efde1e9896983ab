//! # frame_reader · lesson 03 · fix a reader that garbles frames (A11)
//!
//! [`read_frames`] reads frames from a connection: each frame is a 4-byte
//! big-endian length, then that many bytes. While it waits it must also
//! call `on_tick` every `every` (think of a heartbeat, or a progress line),
//! so one `tokio::select!` loop does both. At a clean end of the stream
//! (between frames) it returns every frame, in order. If the stream ends in
//! the middle of a frame, that is an error.
//!
//! The symptom: on a fast local connection it works. Over a real network,
//! where a frame arrives in pieces with pauses between them, frames come
//! out garbled: wrong lengths, bytes from the middle of one frame read as
//! the length of the next, then a hang or an error. The more often
//! `on_tick` runs, the worse it gets.
//!
//! What happens to the bytes that `read_frame` has already read when the
//! ticker wins the `select!`? Fix it so that no byte is ever lost, and
//! `on_tick` still runs on time while a frame is only half received.
//!
//! The checks use a real TCP connection on 127.0.0.1 whose sender pauses in
//! the middle of every frame until `on_tick` has run a few times.
//!
//! Check it: `cargo run -- check frame_reader`
use std::io;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};

/// Reads every frame until the stream ends, calling `on_tick` every `every`.
pub async fn read_frames<R: AsyncRead + Unpin>(
    mut conn: R,
    every: Duration,
    mut on_tick: impl FnMut(),
) -> io::Result<Vec<Vec<u8>>> {
    let mut frames = Vec::new();
    let mut ticker = tokio::time::interval(every);
    loop {
        // TODO: a frame that arrives in pieces comes out garbled.
        tokio::select! {
            frame = read_frame(&mut conn) => match frame? {
                Some(frame) => frames.push(frame),
                None => return Ok(frames),
            },
            _ = ticker.tick() => on_tick(),
        }
    }
}

/// Reads one frame; `None` at a clean end of the stream.
async fn read_frame<R: AsyncRead + Unpin>(conn: &mut R) -> io::Result<Option<Vec<u8>>> {
    let mut length = [0u8; 4];
    match conn.read_exact(&mut length).await {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut body = vec![0u8; u32::from_be_bytes(length) as usize];
    conn.read_exact(&mut body).await?;
    Ok(Some(body))
}
