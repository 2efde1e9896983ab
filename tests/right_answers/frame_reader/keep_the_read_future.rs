//! RIGHT: keeps one frame-reading future alive across loop turns (pinned outside the loop, polled by reference in select!), so a tick never drops a half-read frame; a new read starts only when the last one finished.
use std::io;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};

pub async fn read_frames<R: AsyncRead + Unpin>(
    conn: R,
    every: Duration,
    mut on_tick: impl FnMut(),
) -> io::Result<Vec<Vec<u8>>> {
    let mut frames = Vec::new();
    let mut ticker = tokio::time::interval(every);
    let mut next = Box::pin(read_frame(conn));
    loop {
        tokio::select! {
            (conn, frame) = &mut next => match frame? {
                Some(frame) => {
                    frames.push(frame);
                    next = Box::pin(read_frame(conn));
                }
                None => return Ok(frames),
            },
            _ = ticker.tick() => on_tick(),
        }
    }
}

/// Reads one frame and hands the connection back for the next one.
async fn read_frame<R: AsyncRead + Unpin>(mut conn: R) -> (R, io::Result<Option<Vec<u8>>>) {
    let mut length = [0u8; 4];
    match conn.read_exact(&mut length).await {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return (conn, Ok(None)),
        Err(e) => return (conn, Err(e)),
    }
    let mut body = vec![0u8; u32::from_be_bytes(length) as usize];
    let result = conn.read_exact(&mut body).await.map(|_| Some(body));
    (conn, result)
}
