//! WRONG: reads a whole frame without racing the ticker (ticks only between frames), so no byte is lost but the heartbeat stops while a frame is half received: the checks must see on_tick stall.
use std::io;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};

pub async fn read_frames<R: AsyncRead + Unpin>(
    mut conn: R,
    every: Duration,
    mut on_tick: impl FnMut(),
) -> io::Result<Vec<Vec<u8>>> {
    let mut frames = Vec::new();
    let mut ticker = tokio::time::interval(every);
    loop {
        let mut length = [0u8; 4];
        // The header is read in the select! (read_exact of 4 bytes that mostly
        // arrive together); the body is read outside it.
        tokio::select! {
            read = conn.read_exact(&mut length) => match read {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(frames),
                Err(e) => return Err(e),
            },
            _ = ticker.tick() => { on_tick(); continue; }
        }
        let mut body = vec![0u8; u32::from_be_bytes(length) as usize];
        conn.read_exact(&mut body).await?;
        frames.push(body);
    }
}
