//! WRONG: takes a frame only when more than its 4-byte header has arrived, so an empty frame (a header alone) that ends the stream is never taken, and a clean end is reported as a cut-off frame: the checks must end a stream with an empty frame.
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
    // A frame is a header and a body: wait until there is more than a header.
    if received.len() <= 4 {
        return None;
    }
    let header: [u8; 4] = received[..4].try_into().ok()?;
    let end = 4 + u32::from_be_bytes(header) as usize;
    if received.len() < end {
        return None;
    }
    let frame = received[4..end].to_vec();
    received.drain(..end);
    Some(frame)
}
