//! WRONG: wraps each frame read in `tokio::time::timeout(every, ..)` and ticks when it expires; the timeout drops the half-done read, so bytes are lost: the checks must see garbled or missing frames.
use std::io;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};

pub async fn read_frames<R: AsyncRead + Unpin>(
    mut conn: R,
    every: Duration,
    mut on_tick: impl FnMut(),
) -> io::Result<Vec<Vec<u8>>> {
    let mut frames = Vec::new();
    loop {
        match tokio::time::timeout(every, read_frame(&mut conn)).await {
            Ok(frame) => match frame? {
                Some(frame) => frames.push(frame),
                None => return Ok(frames),
            },
            Err(_elapsed) => on_tick(),
        }
    }
}

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
