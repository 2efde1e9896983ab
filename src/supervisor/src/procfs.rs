//! Reading small /proc files cheaply.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;

/// The whole of a small /proc file (`stat`, `status`, `cmdline`,
/// `environ`) in one open and, mostly, two reads. `fs::read_to_string`
/// learns nothing from /proc's zero file sizes and reads 32 bytes, then 32,
/// 64, 128, ...: eight system calls for one `stat` line, and ending a run
/// or sampling one looks at hundreds of them.
pub fn read(path: impl AsRef<Path>) -> std::io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 4096];
    let mut len = 0;
    loop {
        if len == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        match file.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(len);
    Ok(buf)
}

/// [`read`], as text (invalid UTF-8 is an error, as with `read_to_string`).
pub fn read_to_string(path: impl AsRef<Path>) -> std::io::Result<String> {
    String::from_utf8(read(path)?).map_err(|e| std::io::Error::new(ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_what_the_standard_library_reads() {
        for path in [
            "/proc/self/status",
            "/proc/self/cmdline",
            "/proc/self/environ",
        ] {
            let Ok(theirs) = std::fs::read(path) else {
                return; // no /proc here
            };
            let ours = super::read(path).unwrap();
            // `status` holds changing counters: compare its first line.
            let first = |b: &[u8]| b.split(|&c| c == b'\n').next().map(<[u8]>::to_vec);
            assert_eq!(first(&ours), first(&theirs), "{path}");
            assert!(!ours.is_empty(), "{path}");
        }
        // Longer than the first buffer: it grows.
        let long = std::env::temp_dir().join(format!("procfs-read-{}", std::process::id()));
        let text = "x".repeat(10_000);
        std::fs::write(&long, &text).unwrap();
        assert_eq!(super::read_to_string(&long).unwrap(), text);
        let _ = std::fs::remove_file(&long);
        assert!(super::read("/no/such/file").is_err());
    }
}
