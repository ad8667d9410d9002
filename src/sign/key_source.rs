//! Finding the key to sign with when the user does not name one: the same
//! places git looks (`gpg.format` and `user.signingkey`), then the usual
//! default key file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A key to sign with, and where it came from.
#[derive(Debug)]
pub struct KeySource {
    /// The file to pass to ssh-keygen's `-f`: a private key, or a public key
    /// whose private half is in ssh-agent.
    pub path: PathBuf,
    /// Where the key was found: "--key", "git user.signingkey" or
    /// "~/.ssh/id_ed25519".
    pub origin: String,
    /// For a literal key from git config: the temporary file holding it,
    /// deleted when this is dropped.
    _literal: Option<tempfile::NamedTempFile>,
}

/// Find the signing key: explicit (from --key or config) first, then git's `user.signingkey` when `git config gpg.format` is `ssh` (run `git config --get`; a value starting with "key::" or "ssh-" is a literal public key: write it to a temp file so ssh-keygen can use it with the agent; `~/` expands), then ~/.ssh/id_ed25519 if it exists. None when nothing is found.
///
/// git is run in the current directory, so a repository's own config counts.
/// Not supported: git's `gpg.ssh.defaultKeyCommand` and `~user/` paths.
pub fn find_key(explicit: Option<&Path>) -> Option<KeySource> {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    find_key_with(explicit, home.as_deref(), &|name| git_config_get(Command::new("git"), name))
}

/// `git config --get NAME` with the given git command; None when unset or
/// git is missing.
fn git_config_get(mut git: Command, name: &str) -> Option<String> {
    let out = git.args(["config", "--get", name]).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let value = String::from_utf8(out.stdout).ok()?;
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

fn find_key_with(
    explicit: Option<&Path>,
    home: Option<&Path>,
    git_config: &dyn Fn(&str) -> Option<String>,
) -> Option<KeySource> {
    if let Some(path) = explicit {
        let path = match path.to_str() {
            Some(s) => expand_home(s, home),
            None => path.to_path_buf(),
        };
        return Some(KeySource { path, origin: "--key".to_string(), _literal: None });
    }
    if git_config("gpg.format").as_deref() == Some("ssh")
        && let Some(value) = git_config("user.signingkey")
    {
        let literal = value.strip_prefix("key::").or_else(|| value.starts_with("ssh-").then_some(value.as_str()));
        match literal {
            // If the temp file cannot be written, fall through to the default key.
            Some(literal) => {
                if let Some(source) = literal_key_file(literal) {
                    return Some(source);
                }
            }
            None => {
                return Some(KeySource {
                    path: expand_home(&value, home),
                    origin: "git user.signingkey".to_string(),
                    _literal: None,
                });
            }
        }
    }
    let default = home?.join(".ssh").join("id_ed25519");
    default.is_file().then(|| KeySource { path: default, origin: "~/.ssh/id_ed25519".to_string(), _literal: None })
}

/// Write a literal public key from git config to a temporary file for
/// ssh-keygen's `-f` (the private half must be in ssh-agent).
fn literal_key_file(literal: &str) -> Option<KeySource> {
    let mut file = tempfile::Builder::new().prefix("privcheck-signing-key-").suffix(".pub").tempfile().ok()?;
    writeln!(file, "{}", literal.trim()).ok()?;
    file.flush().ok()?;
    Some(KeySource { path: file.path().to_path_buf(), origin: "git user.signingkey".to_string(), _literal: Some(file) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::keygen::sign_with;
    use crate::sign::test_support::*;
    use crate::sign::verify_signature;
    use ssh_key::PublicKey;
    use std::fs;

    #[test]
    fn literal_git_signing_key_signs_with_agent() {
        let dir = tmp();
        let key = keygen(dir.path(), "lit", &["-t", "ed25519"], "pw");
        let agent = Agent::start(dir.path());
        ssh_add(dir.path(), &agent, &key, "pw");
        let literal = format!("key::{}", pub_line(&key));
        let git = |name: &str| match name {
            "gpg.format" => Some("ssh".to_string()),
            "user.signingkey" => Some(literal.clone()),
            _ => None,
        };
        let source = find_key_with(None, Some(dir.path()), &git).expect("found");
        assert_eq!(source.origin, "git user.signingkey");
        let kept = source.path.clone();
        let sig = sign_with(&source.path, b"m", with_agent(&agent)).expect("sign");
        verify_signature(b"m", &sig).expect("verify");
        drop(source);
        assert!(!kept.exists(), "literal key temp file is removed with the KeySource");
    }

    #[test]
    fn find_key_order() {
        let dir = tmp();
        let home = dir.path();
        let none = |_: &str| None;
        // Explicit wins, ~/ expands.
        let k = find_key_with(Some(Path::new("~/k")), Some(home), &none).expect("explicit");
        assert_eq!((k.path, k.origin.as_str()), (home.join("k"), "--key"));
        // Nothing configured, no default key.
        assert!(find_key_with(None, Some(home), &none).is_none());
        assert!(find_key_with(None, None, &none).is_none());
        // Default key.
        fs::create_dir(home.join(".ssh")).expect("mkdir");
        fs::write(home.join(".ssh/id_ed25519"), "x").expect("write");
        let k = find_key_with(None, Some(home), &none).expect("default");
        assert_eq!((k.path, k.origin.as_str()), (home.join(".ssh/id_ed25519"), "~/.ssh/id_ed25519"));

        // git config, read by real git from a scratch repository.
        let repo = home.join("repo");
        fs::create_dir(&repo).expect("mkdir");
        let git = |args: &[&str]| -> Command {
            let mut c = Command::new("git");
            c.arg("-C").arg(&repo).args(args).env("GIT_CONFIG_GLOBAL", "/dev/null").env("GIT_CONFIG_NOSYSTEM", "1");
            c
        };
        run(&mut git(&["init", "-q"]));
        let get = |name: &str| git_config_get(git(&[]), name);
        run(&mut git(&["config", "user.signingkey", "~/.ssh/work_key.pub"]));
        // gpg.format unset: git's key is for gpg, not used.
        let k = find_key_with(None, Some(home), &get).expect("default");
        assert_eq!(k.origin, "~/.ssh/id_ed25519");
        run(&mut git(&["config", "gpg.format", "ssh"]));
        let k = find_key_with(None, Some(home), &get).expect("git path");
        assert_eq!((k.path, k.origin.as_str()), (home.join(".ssh/work_key.pub"), "git user.signingkey"));
        // Literal keys, both spellings, go to a temp file.
        let line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILM+rvN+ot98qgEN796jTiQfZfG1KaT0PtFDJ/XFSqti me";
        for value in [format!("key::{line}"), line.to_string()] {
            run(&mut git(&["config", "user.signingkey", &value]));
            let k = find_key_with(None, Some(home), &get).expect("literal");
            assert_eq!(k.origin, "git user.signingkey");
            assert_eq!(fs::read_to_string(&k.path).expect("tmp").trim(), line);
            PublicKey::read_openssh_file(&k.path).expect("parses");
        }
        // Explicit still wins over git.
        let k = find_key_with(Some(Path::new("/k")), Some(home), &get).expect("explicit");
        assert_eq!(k.origin, "--key");
    }
}
