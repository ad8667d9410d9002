//! One writer per results file, whatever its name.
//!
//! Opening a results file for writing takes an exclusive lock on a lock file beside it
//! (`NAME.lock`, never the data file, whose inode each save replaces). The lock file lives
//! in the file's real folder (symbolic links and `..` resolved), so two names for one
//! folder (a symlinked folder, a bind mount) share one lock; a results file with a second
//! hard link is refused by the writer ([`crate::store::writer`]).
//!
//! The lock file is opened without following symbolic links and only if it is a regular
//! file that is empty or holds a lock record: a link a repository carries
//! (`r.toml.lock -> ~/.ssh/authorized_keys`) is refused, and nothing that is not ours is
//! ever truncated. It names the holder (user, host, process id, since when). The operating
//! system releases the lock when its process dies, so a lock file whose lock can be taken is
//! stale: it is taken over and the caller told whom it belonged to. A lock file deleted
//! while held (`git clean -f`) is noticed before the next save ([`Lock::check`]).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// A held lock. Dropping it removes the lock file and releases the lock.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    file: File,
    record: String,
}

/// What happened when we asked for the lock.
#[derive(Debug)]
pub enum Acquired {
    /// We hold it. `stale` names a previous holder whose process is gone.
    Held { lock: Lock, stale: Option<String> },
    /// Someone else holds it; the text names them.
    Busy(String),
}

/// Who takes a lock, as the lock file records it for whoever finds the file locked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub user: String,
    pub host: String,
    pub pid: u32,
    pub since: jiff::Timestamp,
}

impl Holder {
    /// This process, now (from the environment: the shell's business, not the store's).
    pub fn this_process(since: jiff::Timestamp) -> Holder {
        Holder {
            user: std::env::var("USER").unwrap_or_else(|_| "unknown".into()),
            host: host(),
            pid: std::process::id(),
            since,
        }
    }

    fn record(&self) -> String {
        let since = crate::model::results::format_timestamp(self.since);
        format!("user={}\nhost={}\npid={}\nsince={since}\n", self.user, self.host, self.pid)
    }
}

/// The lock file of a results file: `NAME.lock` in the file's real folder.
pub fn lock_path(results: &Path) -> PathBuf {
    let mut name = results.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    let dir = match results.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()).join(name)
}

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown-host".to_string())
}

/// The holder named in a lock record, for people (escaped where it is shown).
fn describe(holder: &str) -> String {
    let field = |k: &str| holder.lines().find_map(|l| l.strip_prefix(k)).map(str::trim).unwrap_or("?").to_string();
    format!("{} on {} (pid {}, since {})", field("user="), field("host="), field("pid="), field("since="))
}

/// Does `text` look like what privcheck writes in a lock file (or nothing at all)?
fn is_lock_record(text: &str) -> bool {
    text.trim().is_empty()
        || text.lines().all(|l| ["user=", "host=", "pid=", "since="].iter().any(|k| l.starts_with(k)) && l.len() < 512)
            && text.len() < 4096
}

fn refused(path: &Path, what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{}: {what}; privcheck never writes through it (remove it, or use another file)", path.display()),
    )
}

/// Opens the lock file at `path` as privcheck may: never through a symbolic link, only a
/// regular file, creating it if missing; `create_new` only creates.
fn open_lock_file(path: &Path, create_new: bool) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).mode(0o644).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC);
    if create_new {
        opts.create_new(true);
    } else {
        opts.create(true).truncate(false);
    }
    let file = opts.open(path).map_err(|e| match e.raw_os_error() {
        Some(libc::ELOOP) => refused(path, "is a symbolic link"),
        _ => e,
    })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refused(path, "is not a regular file"));
    }
    Ok(file)
}

/// Tries to take the lock for `results` without waiting, for `holder`.
pub fn acquire(results: &Path, holder: &Holder) -> io::Result<Acquired> {
    let path = lock_path(results);
    loop {
        let mut file = open_lock_file(&path, false)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.take(4096).read_to_string(&mut text);
                return Ok(Acquired::Busy(describe(&text)));
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        // The holder we raced with may have removed the file after we opened it: make sure
        // the file we locked is still the one at the path.
        if !same_file(&file, &path) {
            continue;
        }
        let mut previous = String::new();
        (&file).take(4096).read_to_string(&mut previous)?;
        if !is_lock_record(&previous) {
            let _ = file.unlock();
            return Err(refused(&path, "holds something that is not a privcheck lock record"));
        }
        let stale = (!previous.trim().is_empty()).then(|| describe(&previous));
        let record = holder.record();
        write_record(&mut file, &record)?;
        return Ok(Acquired::Held { lock: Lock { path, file, record }, stale });
    }
}

fn write_record(file: &mut File, record: &str) -> io::Result<()> {
    file.set_len(0)?;
    file.rewind()?;
    // One write: a reader never sees half of it.
    file.write_all(record.as_bytes())?;
    file.sync_all()
}

/// Is `file` the file at `path` now (not following a link there)?
fn same_file(file: &File, path: &Path) -> bool {
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(ours), Ok(there)) => ours.ino() == there.ino() && ours.dev() == there.dev(),
        _ => false,
    }
}

impl Lock {
    /// Before a save: is the lock still ours? A lock file deleted meanwhile (`git clean`,
    /// `git stash -u`) is made again and locked; if somebody else has made and locked one
    /// since, the lock is theirs and this writer must stop (the error names them).
    pub fn check(&mut self) -> io::Result<()> {
        if same_file(&self.file, &self.path) {
            return Ok(());
        }
        match open_lock_file(&self.path, true) {
            Ok(mut file) => {
                match file.try_lock() {
                    Ok(()) => {}
                    Err(TryLockError::WouldBlock) => return Err(busy(&self.path, &read_record(&mut file))),
                    Err(TryLockError::Error(e)) => return Err(e),
                }
                write_record(&mut file, &self.record)?;
                let _ = self.file.unlock();
                self.file = file;
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                // Someone else made a lock file: theirs unless its lock can be taken.
                let mut file = open_lock_file(&self.path, false)?;
                match file.try_lock() {
                    Ok(()) => {
                        let previous = read_record(&mut file);
                        if !is_lock_record(&previous) {
                            return Err(refused(&self.path, "holds something that is not a privcheck lock record"));
                        }
                        write_record(&mut file, &self.record)?;
                        let _ = self.file.unlock();
                        self.file = file;
                        Ok(())
                    }
                    Err(TryLockError::WouldBlock) => Err(busy(&self.path, &read_record(&mut file))),
                    Err(TryLockError::Error(e)) => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn read_record(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind();
    let _ = (&*file).take(4096).read_to_string(&mut text);
    text
}

fn busy(path: &Path, record: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::WouldBlock,
        format!(
            "{}: the lock file was deleted and {} now holds a new one: this review stopped saving",
            path.display(),
            describe(record)
        ),
    )
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Remove the lock file only if it is still ours.
        if same_file(&self.file, &self.path) {
            let _ = std::fs::remove_file(&self.path);
        }
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> Holder {
        Holder::this_process(jiff::Timestamp::from_second(1_790_000_000).unwrap())
    }

    #[test]
    fn second_taker_is_told_who_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path().join("r.toml");
        let Acquired::Held { lock, stale } = acquire(&r, &me()).unwrap() else { panic!("first acquire failed") };
        assert!(stale.is_none());
        match acquire(&r, &me()).unwrap() {
            Acquired::Busy(who) => assert!(who.contains(&format!("pid {}", std::process::id())), "{who}"),
            Acquired::Held { .. } => panic!("lock taken twice"),
        }
        drop(lock);
        assert!(!lock_path(&r).exists());
        assert!(matches!(acquire(&r, &me()).unwrap(), Acquired::Held { stale: None, .. }));
    }

    #[test]
    fn stale_lock_file_is_taken_over_with_a_notice() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path().join("r.toml");
        std::fs::write(lock_path(&r), "user=ann\nhost=h1\npid=999999\nsince=2026-01-01T00:00:00Z\n").unwrap();
        match acquire(&r, &me()).unwrap() {
            Acquired::Held { stale: Some(who), .. } => {
                assert_eq!(who, "ann on h1 (pid 999999, since 2026-01-01T00:00:00Z)")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_symlinked_or_foreign_lock_file_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path().join("r.toml");
        let victim = dir.path().join("authorized_keys");
        std::fs::write(&victim, "ssh-ed25519 AAAA precious\n").unwrap();
        std::os::unix::fs::symlink(&victim, lock_path(&r)).unwrap();
        let e = acquire(&r, &me()).unwrap_err();
        assert!(e.to_string().contains("is a symbolic link"), "{e}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "ssh-ed25519 AAAA precious\n");
        std::fs::remove_file(lock_path(&r)).unwrap();
        std::fs::write(lock_path(&r), "ssh-ed25519 AAAA precious\n").unwrap();
        let e = acquire(&r, &me()).unwrap_err();
        assert!(e.to_string().contains("not a privcheck lock record"), "{e}");
        assert_eq!(std::fs::read_to_string(lock_path(&r)).unwrap(), "ssh-ed25519 AAAA precious\n");
        std::fs::remove_file(lock_path(&r)).unwrap();
        std::fs::create_dir(lock_path(&r)).unwrap();
        assert!(acquire(&r, &me()).is_err());
    }

    #[test]
    fn two_names_for_one_folder_share_one_lock() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
        let a = dir.path().join("real/r.toml");
        let b = dir.path().join("link/../real/../link/r.toml");
        assert_eq!(lock_path(&a), lock_path(&b));
        let Acquired::Held { lock: _held, .. } = acquire(&a, &me()).unwrap() else { panic!() };
        assert!(matches!(acquire(&b, &me()).unwrap(), Acquired::Busy(_)));
    }

    #[test]
    fn a_deleted_lock_file_is_noticed_and_made_again_or_the_newcomer_wins() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path().join("r.toml");
        let Acquired::Held { mut lock, .. } = acquire(&r, &me()).unwrap() else { panic!() };
        std::fs::remove_file(lock_path(&r)).unwrap();
        lock.check().unwrap();
        assert!(lock_path(&r).exists(), "made again");
        assert!(matches!(acquire(&r, &me()).unwrap(), Acquired::Busy(_)), "and held");
        // Deleted again, and a second writer takes a new lock before our next save.
        std::fs::remove_file(lock_path(&r)).unwrap();
        let Acquired::Held { lock: _theirs, .. } = acquire(&r, &me()).unwrap() else { panic!() };
        let e = lock.check().unwrap_err();
        assert!(e.to_string().contains("stopped saving"), "{e}");
    }
}
