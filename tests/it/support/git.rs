//! Real git repositories for the tests of privcheck in git (`init`, the merge driver, the
//! CI recipe): git isolated from the user's config, with the built privcheck first on PATH
//! (as git finds the merge driver, and as the CI job runs it).

use super::bin::{output, stderr};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The folder of the built privcheck binary.
pub fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_privcheck")).parent().unwrap().to_path_buf()
}

/// PATH with the built privcheck first.
pub fn path_with_privcheck() -> std::ffi::OsString {
    let mut dirs = vec![bin_dir()];
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(dirs).unwrap()
}

/// `git` in `dir`, isolated as [`super::bin::privcheck`] is: `home` as HOME, no global or
/// system config, the built privcheck on PATH.
pub fn git_in(home: &Path, dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.env_clear()
        .env("PATH", path_with_privcheck())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("USER", "tester")
        .env("LANG", "C.UTF-8")
        .current_dir(dir);
    c
}

/// A git repository in `home/NAME`, on branch `main`, with an identity to commit with.
pub struct Repo {
    pub home: PathBuf,
    pub dir: PathBuf,
}

impl Repo {
    pub fn new(home: &Path, name: &str) -> Repo {
        let dir = home.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let r = Repo { home: home.to_path_buf(), dir };
        r.git(&["init", "-q", "-b", "main"]);
        r.git(&["config", "user.name", "Ann Example"]);
        r.git(&["config", "user.email", "ann@example.com"]);
        r
    }

    /// Runs git; whatever it does.
    pub fn try_git(&self, args: &[&str]) -> Output {
        git_in(&self.home, &self.dir).args(args).output().expect("git is needed by the tests")
    }

    /// Runs git, which must succeed; returns its standard output.
    pub fn git(&self, args: &[&str]) -> String {
        let o = self.try_git(args);
        assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// Commits everything.
    pub fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// `privcheck ARGS...` in the repository (the home's config, the built binary).
    pub fn privcheck(&self, args: &[&str]) -> Output {
        let o = super::bin::privcheck(&self.home).current_dir(&self.dir).args(args).output().unwrap();
        let _ = output(&o);
        o
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }
}
