//! Durable, atomic replacement of a file: a crash at any moment leaves either the old file
//! or the new one, never a torn one.
//!
//! The new bytes go to a fresh temporary file in the same directory (created exclusively
//! with a random name, mode 0600, so nobody can pre-place a link there), which is fsynced,
//! given the final mode, renamed over the target, and then the directory is fsynced so
//! the rename itself survives a power cut.

use std::io::{self, Write};
use std::path::Path;

/// Checks that `path` can be a results file we replace: not a symlink, not a directory.
pub fn check_target(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "is a symbolic link; privcheck replaces results files atomically and will not follow links: use the real path",
        )),
        Ok(m) if m.is_dir() => Err(io::Error::new(io::ErrorKind::InvalidInput, "is a directory, not a results file")),
        Ok(m) if !m.is_file() => Err(io::Error::new(io::ErrorKind::InvalidInput, "is not a regular file")),
        _ => Ok(()),
    }
}

/// Replaces `path` with `bytes`, atomically and durably. An existing file keeps its
/// permissions; a new one gets 0644 (less the umask is not applied: results are meant to
/// be committed and read by others).
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    check_target(path)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mode = std::fs::metadata(path).map(|m| m.permissions().mode() & 0o7777).unwrap_or(0o644);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut tmp =
        tempfile::Builder::new().prefix(&format!(".{name}.")).rand_bytes(6).suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().set_permissions(std::fs::Permissions::from_mode(mode))?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// Creates `path` with `bytes`, atomically and durably, only if nothing is there: a file
/// that appeared meanwhile is never replaced (`AlreadyExists`). Mode 0644.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    check_target(path)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut tmp =
        tempfile::Builder::new().prefix(&format!(".{name}.")).rand_bytes(6).suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// Removes temporary files a killed writer of `path` left beside it (`.NAME.XXXXXX.tmp`).
/// Call it only while holding the writer lock of `path`: nobody else is writing them then.
/// Returns how many were removed.
pub fn remove_stale_temps(path: &Path) -> usize {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else { return 0 };
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&prefix)
                && n.ends_with(".tmp")
                && n.len() == prefix.len() + 6 + ".tmp".len()
                && e.file_type().is_ok_and(|t| t.is_file())
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn replaces_and_keeps_mode_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.toml");
        write(&p, b"one").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o644);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        write(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn stale_temporary_files_of_this_file_only_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.toml");
        for n in
            [".r.toml.a1B2c3.tmp", ".r.toml.zzzzzz.tmp", ".other.toml.a1B2c3.tmp", ".r.toml.long-name.tmp", "r.toml"]
        {
            std::fs::write(dir.path().join(n), "x").unwrap();
        }
        assert_eq!(remove_stale_temps(&p), 2);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".other.toml.a1B2c3.tmp", ".r.toml.long-name.tmp", "r.toml"]);
    }

    #[test]
    fn refuses_symlinks_and_directories() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        std::fs::write(&real, "x").unwrap();
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let e = write(&link, b"y").unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert_eq!(std::fs::read(&real).unwrap(), b"x");
        let e = write(dir.path(), b"y").unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
    }

    #[test]
    fn unwritable_directory_fails_and_keeps_the_old_file() {
        if is_root() {
            return; // root ignores directory permissions; the fault suite covers this case.
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.toml");
        write(&p, b"old").unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
        assert!(write(&p, b"new").is_err());
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
    }

    fn is_root() -> bool {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
    }
}
