//! # frame_reader · lesson 03 · fix a reader that garbles frames (A11)
//!
//! Reference answer. When the ticker wins a `select!`, the other branch's
//! future is dropped, and with it whatever `read_exact` had already read
//! into its local buffer: `read_exact` is not cancel-safe. Here the only
//! future in the `select!` is `read_buf`, which is cancel-safe (it either
//! read some bytes into `received` or read none), and the bytes live in
//! `received`, outside the loop, until they make a whole frame.
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
    let mut received: Vec<u8> = Vec::new(); // bytes not yet part of a whole frame
    let mut ticker = tokio::time::interval(every);
    loop {
        while let Some(frame) = take_frame(&mut received) {
            frames.push(frame);
        }
        tokio::select! {
            read = conn.read_buf(&mut received) => {
                if read? == 0 {
                    return if received.is_empty() {
                        Ok(frames)
                    } else {
                        Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            format!("the stream ended {} bytes into a frame", received.len()),
                        ))
                    };
                }
            }
            _ = ticker.tick() => on_tick(),
        }
    }
}

/// Removes the first whole frame from `received`, if it holds one.
fn take_frame(received: &mut Vec<u8>) -> Option<Vec<u8>> {
    let header: [u8; 4] = received.get(..4)?.try_into().ok()?;
    let end = 4 + u32::from_be_bytes(header) as usize;
    if received.len() < end {
        return None;
    }
    let frame = received[4..end].to_vec();
    received.drain(..end);
    Some(frame)
}
