//! WRONG: a timeout of `every` around the cancel-safe `read_buf`, ticking when it expires: no byte is lost, but the timer starts again with every read, so while bytes keep coming faster than `every` the heartbeat never runs: the checks must see it starve under a steady trickle.
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
    loop {
        while let Some(frame) = take_frame(&mut received) {
            frames.push(frame);
        }
        // read_buf is cancel-safe, so a timeout cannot lose a byte; when
        // nothing came for `every`, it is time for a tick.
        match tokio::time::timeout(every, conn.read_buf(&mut received)).await {
            Ok(read) => {
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
            Err(_quiet) => on_tick(),
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
