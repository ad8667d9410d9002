//! Reading an input file safely: only a regular file (a FIFO would block, `/dev/zero` never
//! ends, a directory is not a file), and only up to a size limit, so a hostile or mistaken
//! path gets a clear error instead of a hang or an exhausted memory.

use std::io::{self, Read};
use std::path::Path;

/// The largest results file read: 64 MiB (a results file of 10,000 items is about 3.5 MB).
pub const RESULTS_LIMIT: u64 = 64 << 20;
/// The largest checklist file read: 16 MiB.
pub const CHECKLIST_LIMIT: u64 = 16 << 20;
/// The largest config or settings file read: 1 MiB.
pub const SETTINGS_LIMIT: u64 = 1 << 20;

/// The text of the regular file at `path`, at most `limit` bytes. Opening never blocks
/// (`O_NONBLOCK`), so a FIFO is refused, not waited on.
pub fn read_to_string(path: &Path, limit: u64) -> io::Result<String> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "is a directory, not a file"));
    }
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "is not a regular file (a device, a FIFO or a socket); privcheck reads only regular files",
        ));
    }
    if meta.len() > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("is {} bytes, more than the {} bytes privcheck reads", meta.len(), limit),
        ));
    }
    let mut text = String::new();
    // The file may grow after the check: never read past the limit.
    file.take(limit + 1).read_to_string(&mut text)?;
    if text.len() as u64 > limit {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("grew past the {limit} bytes privcheck reads")));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_small_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("ok.toml");
        std::fs::write(&ok, "x = 1\n").unwrap();
        assert_eq!(read_to_string(&ok, 100).unwrap(), "x = 1\n");
        let e = read_to_string(&ok, 3).unwrap_err();
        assert!(e.to_string().contains("more than the 3 bytes"), "{e}");
        let e = read_to_string(dir.path(), 100).unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
        let e = read_to_string(Path::new("/dev/zero"), 100).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let e = read_to_string(&fifo, 100).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
    }
}
