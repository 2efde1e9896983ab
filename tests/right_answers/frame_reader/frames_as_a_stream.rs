//! RIGHT: turns the connection into a Stream of frames with `futures::stream::unfold` (each step uses `read_exact`, not cancel-safe by itself); the stream owns its in-flight step, so `frames.next()` in select! is cancel-safe and a tick never loses a half-read frame.
use futures::StreamExt;
use std::io;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};

pub async fn read_frames<R: AsyncRead + Unpin>(
    conn: R,
    every: Duration,
    mut on_tick: impl FnMut(),
) -> io::Result<Vec<Vec<u8>>> {
    let frames = futures::stream::unfold(Some(conn), |conn| async move {
        let mut conn = conn?;
        match next_frame(&mut conn).await {
            Ok(Some(frame)) => Some((Ok(frame), Some(conn))),
            Ok(None) => None,
            // Yield the error, then end the stream.
            Err(e) => Some((Err(e), None)),
        }
    });
    let mut frames = std::pin::pin!(frames);
    let mut ticker = tokio::time::interval(every);
    let mut received = Vec::new();
    loop {
        tokio::select! {
            frame = frames.next() => match frame {
                Some(frame) => received.push(frame?),
                None => return Ok(received),
            },
            _ = ticker.tick() => on_tick(),
        }
    }
}

/// One whole frame; `None` when the stream ends cleanly between frames.
async fn next_frame<R: AsyncRead + Unpin>(conn: &mut R) -> io::Result<Option<Vec<u8>>> {
    let mut header = [0u8; 4];
    let mut filled = 0;
    while filled < header.len() {
        let read = conn.read(&mut header[filled..]).await?;
        if read == 0 {
            if filled == 0 {
                return Ok(None);
            }
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("the stream ended {filled} bytes into a frame header"),
            ));
        }
        filled += read;
    }
    let mut body = vec![0u8; u32::from_be_bytes(header) as usize];
    conn.read_exact(&mut body).await?;
    Ok(Some(body))
}
