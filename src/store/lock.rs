//! One writer per results file.
//!
//! Opening a results file for review takes an exclusive lock on a lock file beside it
//! (`NAME.lock`, never the data file, whose inode each save replaces). The lock file names
//! the holder: user, host, process id and since when. The operating system releases the
//! lock when its process dies, so a lock file whose lock can be taken is stale: it is taken
//! over and the caller is told whom it belonged to.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// A held lock. Dropping it removes the lock file and releases the lock.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    file: File,
}

/// What happened when we asked for the lock.
#[derive(Debug)]
pub enum Acquired {
    /// We hold it. `stale` names a previous holder whose process is gone.
    Held { lock: Lock, stale: Option<String> },
    /// Someone else holds it; the text names them.
    Busy(String),
}

/// The lock file of a results file.
pub fn lock_path(results: &Path) -> PathBuf {
    let mut name = results.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    results.with_file_name(name)
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
}

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown-host".to_string())
}

/// The holder named in a lock file, for people. The file is written by whoever holds the
/// lock, so its text is escaped like any other text from a file.
fn describe(holder: &str) -> String {
    let field = |k: &str| {
        crate::render::text::escape_controls(
            holder.lines().find_map(|l| l.strip_prefix(k)).map(str::trim).unwrap_or("?"),
        )
    };
    format!("{} on {} (pid {}, since {})", field("user="), field("host="), field("pid="), field("since="))
}

/// Tries to take the lock for `results` without waiting, for `holder`.
pub fn acquire(results: &Path, holder: &Holder) -> io::Result<Acquired> {
    let path = lock_path(results);
    loop {
        let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                return Ok(Acquired::Busy(describe(&holder)));
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        // The holder we raced with may have removed the file after we opened it: make sure
        // the file we locked is still the one at the path.
        let same = std::fs::metadata(&path).is_ok_and(|m| {
            let ours = file.metadata();
            ours.is_ok_and(|o| o.ino() == m.ino() && o.dev() == m.dev())
        });
        if !same {
            continue;
        }
        let mut previous = String::new();
        file.read_to_string(&mut previous)?;
        let stale = (!previous.trim().is_empty()).then(|| describe(&previous));
        let since = crate::model::results::format_timestamp(holder.since);
        file.set_len(0)?;
        file.rewind()?;
        // One write: a reader never sees half of it (and one system call, not nine).
        file.write_all(
            format!("user={}\nhost={}\npid={}\nsince={since}\n", holder.user, holder.host, holder.pid).as_bytes(),
        )?;
        file.sync_all()?;
        return Ok(Acquired::Held { lock: Lock { path, file }, stale });
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
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
}
