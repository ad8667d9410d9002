//! Running git: its configuration (the one place privcheck runs `git config`), the
//! repository's top folder, and git's own line-by-line merge.

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

/// `git merge-file -L OURS_LABEL -L BASE_LABEL -L THEIRS_LABEL OURS BASE THEIRS`: git's
/// own line-by-line merge, written into `ours`. Its exit status: 0 merged, 1 to 127 the
/// number of conflicts, above that an error.
pub fn merge_file(
    ours: &Path,
    base: &Path,
    theirs: &Path,
    labels: [&str; 3],
) -> std::io::Result<std::process::ExitStatus> {
    let mut git = Command::new("git");
    git.arg("merge-file");
    for label in labels {
        git.arg("-L").arg(label);
    }
    git.arg(ours).arg(base).arg(theirs).stdin(Stdio::null()).status()
}

/// `git config --local KEY VALUE` in the repository at `top`: sets a key of that
/// repository's own config (`.git/config`), never the user's.
pub fn set_config(top: &Path, key: &str, value: &str) -> std::io::Result<()> {
    let out = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["config", "--local", key, value])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()?;
    if out.status.success() {
        return Ok(());
    }
    let why = String::from_utf8_lossy(&out.stderr).trim().to_string();
    Err(std::io::Error::other(if why.is_empty() { format!("git config failed ({})", out.status) } else { why }))
}
