//! The one way a results file is written: under its lock, and never over a file that is no
//! longer the one that was read.
//!
//! A [`Writer`] holds the lock of a results file and remembers the file as it read or last
//! wrote it (its identity, size and time, and a hash of its bytes). Before every save it
//! checks, cheaply first (identity and size and time), then by content, that the file on
//! disk is still that one: a file replaced underneath (`git pull`, `git checkout`, another
//! editor) is never overwritten — the save fails with [`SaveError::Changed`] and the caller
//! keeps its answers and decides (reload and re-apply, or write beside). It also checks the
//! lock is still held ([`Lock::check`]). A results file with a second hard link is refused:
//! the atomic save would silently split the two names.

use crate::store::atomic;
use crate::store::lock::{self, Acquired, Holder, Lock};
use sha2::{Digest, Sha256};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Why a save did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The file on disk is not the one this writer read or last wrote.
    #[error("{path}: {why}; nothing was written over it", path = .path.display())]
    Changed { path: PathBuf, why: String },
    /// The lock is no longer ours (its file was deleted and someone else took a new one).
    #[error("{0}")]
    Lock(io::Error),
    /// Writing failed (disk full, read-only, a file-size limit).
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// The file as seen last.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    hash: [u8; 32],
}

fn hash(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn stat(path: &Path) -> io::Result<Option<std::fs::Metadata>> {
    match std::fs::symlink_metadata(path) {
        Ok(m) => Ok(Some(m)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn seen(meta: &std::fs::Metadata, bytes: &[u8]) -> Seen {
    Seen {
        dev: meta.dev(),
        ino: meta.ino(),
        size: meta.len(),
        mtime: (meta.mtime(), meta.mtime_nsec()),
        hash: hash(bytes),
    }
}

/// What opening a results file for writing found.
#[derive(Debug)]
pub enum Opened {
    /// We may write it. `stale` names the holder of a stale lock taken over.
    Writer { writer: Writer, stale: Option<String> },
    /// Someone else holds its lock: the text names them.
    Busy(String),
}

#[derive(Debug)]
pub struct Writer {
    path: PathBuf,
    lock: Lock,
    /// `None`: the file did not exist when opened and has not been written yet.
    seen: Option<Seen>,
}

/// Checks that `path` can be a results file privcheck writes: not a symbolic link, not a
/// folder, a regular file if it exists, and no second name (hard link).
pub fn check_target(path: &Path) -> io::Result<()> {
    atomic::check_target(path)?;
    if let Some(m) = stat(path)?
        && m.nlink() > 1
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "has {} names (hard links); privcheck replaces results files atomically, which would split them: \
                 keep one name (remove the other links)",
                m.nlink()
            ),
        ));
    }
    Ok(())
}

impl Writer {
    /// Takes the lock of the results file at `path` for `holder`.
    pub fn open(path: &Path, holder: &Holder) -> io::Result<Opened> {
        check_target(path)?;
        match lock::acquire(path, holder)? {
            Acquired::Busy(who) => Ok(Opened::Busy(who)),
            Acquired::Held { lock, stale } => {
                atomic::remove_stale_temps(path);
                let mut writer = Writer { path: path.to_path_buf(), lock, seen: None };
                // What is there now is what a save may replace (the caller reads it again to
                // use it: [`Writer::read`]).
                if let Some(m) = stat(path)? {
                    let text = crate::store::bounded::read_to_string(path, crate::store::bounded::RESULTS_LIMIT)?;
                    writer.seen = Some(seen(&m, text.as_bytes()));
                }
                Ok(Opened::Writer { writer, stale })
            }
        }
    }

    /// Reads the file (bounded, as every results file is read), remembering it as the one
    /// the next save may replace; `None` when there is no file yet.
    pub fn read(&mut self) -> io::Result<Option<String>> {
        let Some(before) = stat(&self.path)? else {
            self.seen = None;
            return Ok(None);
        };
        let text = crate::store::bounded::read_to_string(&self.path, crate::store::bounded::RESULTS_LIMIT)?;
        self.seen = Some(seen(&before, text.as_bytes()));
        Ok(Some(text))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Is the file on disk still the one last read or written? `Err(why)` when not.
    fn unchanged(&self) -> Result<(), SaveError> {
        let changed = |why: &str| SaveError::Changed { path: self.path.clone(), why: why.to_string() };
        let now = stat(&self.path)?;
        match (&self.seen, now) {
            (None, None) => Ok(()),
            (None, Some(_)) => Err(changed("was created by another program since this review opened it")),
            (Some(_), None) => Err(changed("was deleted or moved away by another program")),
            (Some(seen), Some(m)) => {
                if m.dev() == seen.dev
                    && m.ino() == seen.ino
                    && m.len() == seen.size
                    && (m.mtime(), m.mtime_nsec()) == seen.mtime
                {
                    return Ok(());
                }
                // Looked at again, by content: the same bytes are the same file.
                let text = crate::store::bounded::read_to_string(&self.path, crate::store::bounded::RESULTS_LIMIT)?;
                if hash(text.as_bytes()) == seen.hash {
                    Ok(())
                } else {
                    Err(changed("was changed on disk by another program (a git pull or checkout, an editor)"))
                }
            }
        }
    }

    /// Replaces the file with `text`, atomically and durably, if the lock is still ours and
    /// the file is still the one last read or written.
    pub fn save(&mut self, text: &str) -> Result<(), SaveError> {
        self.lock.check().map_err(SaveError::Lock)?;
        self.unchanged()?;
        if self.seen.is_none() {
            // A new file: never over one that appeared meanwhile.
            atomic::write_new(&self.path, text.as_bytes())?;
        } else {
            atomic::write(&self.path, text.as_bytes())?;
        }
        let meta = stat(&self.path)?.ok_or_else(|| io::Error::other("the file vanished right after it was written"))?;
        self.seen = Some(seen(&meta, text.as_bytes()));
        Ok(())
    }

    /// Writes `text` beside the results file, under a new name (never over anything):
    /// for answers that could not be saved where they belong. Returns the name.
    pub fn save_beside(&self, text: &str) -> io::Result<PathBuf> {
        save_beside(&self.path, text)
    }
}

/// [`Writer::save_beside`], for a path whose writer is gone.
pub fn save_beside(path: &Path, text: &str) -> io::Result<PathBuf> {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "privcheck".into());
    for n in 1..1000 {
        let candidate = path.with_file_name(format!("{stem}.unsaved-{n}.toml"));
        match atomic::write_new(&candidate, text.as_bytes()) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("no free name beside the results file"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> Holder {
        Holder::this_process(jiff::Timestamp::from_second(1_790_000_000).unwrap())
    }

    fn open(path: &Path) -> Writer {
        match Writer::open(path, &me()).unwrap() {
            Opened::Writer { writer, .. } => writer,
            Opened::Busy(who) => panic!("busy: {who}"),
        }
    }

    #[test]
    fn a_file_replaced_underneath_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.toml");
        std::fs::write(&p, "version one\n").unwrap();
        let mut w = open(&p);
        w.save("version two\n").unwrap();
        // git checkout: another version renamed over it.
        let other = dir.path().join("other");
        std::fs::write(&other, "their version\n").unwrap();
        std::fs::rename(&other, &p).unwrap();
        let e = w.save("version three\n").unwrap_err();
        assert!(matches!(e, SaveError::Changed { .. }), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "their version\n");
        // Read again (the caller re-applies its changes), then saving works.
        assert_eq!(w.read().unwrap().as_deref(), Some("their version\n"));
        w.save("merged\n").unwrap();
        // The same bytes written in place by someone else are not a change.
        std::fs::write(&p, "merged\n").unwrap();
        w.save("next\n").unwrap();
        // Deleted underneath.
        std::fs::remove_file(&p).unwrap();
        assert!(matches!(w.save("x").unwrap_err(), SaveError::Changed { .. }));
    }

    #[test]
    fn a_new_file_created_meanwhile_is_not_clobbered() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.toml");
        let mut w = open(&p);
        std::fs::write(&p, "someone else's\n").unwrap();
        assert!(matches!(w.save("mine\n").unwrap_err(), SaveError::Changed { .. }));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "someone else's\n");
        let beside = w.save_beside("mine\n").unwrap();
        assert_eq!(beside.file_name().unwrap(), "r.unsaved-1.toml");
        assert_eq!(std::fs::read_to_string(&beside).unwrap(), "mine\n");
        assert_eq!(w.save_beside("again\n").unwrap().file_name().unwrap(), "r.unsaved-2.toml");
    }

    #[test]
    fn a_hard_link_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.toml");
        std::fs::write(&p, "x").unwrap();
        std::fs::hard_link(&p, dir.path().join("second-name.toml")).unwrap();
        let e = Writer::open(&p, &me()).unwrap_err();
        assert!(e.to_string().contains("hard links"), "{e}");
    }

    #[test]
    fn one_writer_per_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.toml");
        let _w = open(&p);
        assert!(matches!(Writer::open(&p, &me()).unwrap(), Opened::Busy(_)));
    }
}
