//! WRONG: buffers the bytes correctly, but when the stream ends in the middle of a frame it returns Ok with the whole frames and silently drops the rest: the checks must see that a cut-off frame is an error.
use std::io;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};

pub async fn read_frames<R: AsyncRead + Unpin>(
    mut conn: R,
    every: Duration,
    mut on_tick: impl FnMut(),
) -> io::Result<Vec<Vec<u8>>> {
    let mut frames = Vec::new();
    let mut received: Vec<u8> = Vec::new();
    let mut ticker = tokio::time::interval(every);
    loop {
        while received.len() >= 4 {
            let end = 4 + u32::from_be_bytes(received[..4].try_into().unwrap()) as usize;
            if received.len() < end {
                break;
            }
            frames.push(received[4..end].to_vec());
            received.drain(..end);
        }
        tokio::select! {
            read = conn.read_buf(&mut received) => {
                if read? == 0 {
                    return Ok(frames);
                }
            }
            _ = ticker.tick() => on_tick(),
        }
    }
}
