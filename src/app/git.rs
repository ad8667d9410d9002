//! Asking git for its configuration: the one place privcheck runs `git config`.

use std::path::Path;
use std::process::{Command, Stdio};

/// `git config --get KEY`, run in `dir` (the repository whose config counts: the one that
/// holds the results file), or in the current directory. `None` when git, the repository
/// or the key is missing, or the value is empty.
pub fn config(dir: Option<&Path>, key: &str) -> Option<String> {
    let mut git = Command::new("git");
    if let Some(dir) = dir.filter(|d| !d.as_os_str().is_empty()) {
        git.arg("-C").arg(dir);
    }
    let out = git.args(["config", "--get", key]).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let value = String::from_utf8(out.stdout).ok()?;
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// The top folder of the git repository holding `dir`, if it is in one.
pub fn toplevel(dir: &Path) -> Option<std::path::PathBuf> {
    let mut git = Command::new("git");
    if !dir.as_os_str().is_empty() {
        git.arg("-C").arg(dir);
    }
    let out = git.args(["rev-parse", "--show-toplevel"]).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let top = String::from_utf8(out.stdout).ok()?;
    let top = top.trim_end_matches('\n');
    (!top.is_empty()).then(|| std::path::PathBuf::from(top))
}
