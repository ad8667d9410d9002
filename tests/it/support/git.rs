//! Real git repositories for the tests of privcheck in git (`init`, the merge driver, the
//! CI recipe): git isolated from the user's config, with the built privcheck first on PATH
//! (as git finds the merge driver, and as the CI job runs it).

use super::bin::{output, sign, stderr};
use super::keys::{signer, trust};
use super::results::{EMAIL, complete_results, load, save, set, time};
use privcheck::model::results::Status;
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

/// `program` in `dir`, isolated as [`super::bin::privcheck`] is: `home` as HOME, no global
/// or system git config, the built privcheck on PATH (a CI job's shell, git).
pub fn isolated(program: &str, home: &Path, dir: &Path) -> Command {
    let mut c = Command::new(program);
    super::bin::isolate(&mut c, home, path_with_privcheck());
    c.current_dir(dir);
    c
}

/// `git` in `dir`, isolated.
pub fn git_in(home: &Path, dir: &Path) -> Command {
    isolated("git", home, dir)
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

/// Sets the merge driver up in `repo` with `privcheck init`.
pub fn init(repo: &Repo, args: &[&str]) -> Output {
    let mut all = vec!["init"];
    all.extend(args);
    let o = repo.privcheck(&all);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    o
}

pub const FILE: &str = "privcheck-2026-Q4.toml";

/// A repository (with the driver when `driver`) whose `main` holds a complete review
/// signed off by Ann, whose key the repository's `.privcheck.toml` trusts.
pub fn signed_repo(home: &Path, driver: bool) -> Repo {
    let key = signer(home);
    let repo = Repo::new(home, "repo");
    if driver {
        init(&repo, &[]);
    }
    trust(&repo.dir, &[(EMAIL, &key)]);
    save(&repo.path(FILE), &complete_results(&set()));
    let o = sign(home, &repo.path(FILE), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    repo.commit("2026-Q4 signed");
    repo
}

/// On a new branch from `main`: `edit` the review, sign it again, commit.
pub fn branch(repo: &Repo, name: &str, edit: impl FnOnce(&mut privcheck::model::results::Results)) {
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["checkout", "-q", "-b", name]);
    let file = repo.path(FILE);
    let mut r = load(&file);
    edit(&mut r);
    save(&file, &r);
    let o = sign(&repo.home, &file, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    repo.commit(name);
}

/// The codes of what `verify --format json` finds in the file.
pub fn codes(repo: &Repo) -> Vec<String> {
    let o = repo.privcheck(&["verify", "--format", "json", FILE]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", output(&o)));
    json["files"][0]["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

/// Answers the `n`-th item a reviewer passed as failed, with a remediation of `owner`.
pub fn fail_nth(r: &mut privcheck::model::results::Results, n: usize, owner: &str) {
    let i = super::teams::nth(r, Status::Pass, n);
    let a = &mut r.answers[i];
    a.status = Status::Fail;
    a.remediation = Some(privcheck::model::results::Remediation {
        owner: owner.into(),
        due: Some("2099-06-30".parse().unwrap()),
        ticket: "PRIV-7".into(),
    });
    a.at = Some(time(10_000));
}
