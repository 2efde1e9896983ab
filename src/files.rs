//! Writing a file whole or not at all: a temporary file beside it (created
//! 0600 by `tempfile`), then a rename over it. A reader, or a workbook killed
//! mid-write, sees the old contents or the new, never half of them.
use std::io::{self, Write};
use std::path::Path;

/// Replaces `path` with `bytes` atomically. A file that was there keeps its
/// permissions (a learner's source file stays 0644); a new one is readable
/// by its owner only (0600): what the workbook keeps is the learner's.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    if let Ok(old) = std::fs::metadata(path) {
        temp.as_file().set_permissions(old.permissions())?;
    }
    temp.write_all(bytes)?;
    temp.as_file().sync_data()?;
    // On failure the temporary file is removed when `temp` drops.
    temp.persist(path).map(drop).map_err(|e| e.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_file_is_left() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        // A file that was there keeps its mode.
        let source = dir.path().join("lesson.rs");
        std::fs::write(&source, b"old").unwrap();
        std::fs::set_permissions(&source, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_atomic(&source, b"new").unwrap();
        assert_eq!(std::fs::read(&source).unwrap(), b"new");
        assert_eq!(mode(&source), 0o644);
    }

    #[test]
    fn a_folder_that_cannot_be_written_is_an_error_not_a_panic() {
        let err = write_atomic(Path::new("/proc/no-such-dir/x.json"), b"x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound, "{err}");
    }
}
