//! Finding the key to sign with when the user does not name one, and the
//! program that signs: the same places git looks (`gpg.format`,
//! `user.signingkey`, `gpg.ssh.defaultKeyCommand`, `gpg.ssh.program`), in the
//! repository that holds the results file, then the usual default key file.
//!
//! The lookup itself ([`find_key_with`]) is given the git config reader, the
//! home directory and the command runner, so tests can drive it without
//! touching this process's environment.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::SignError;
use super::keygen::run_signer;

/// A key to sign with, where it came from, and the program that signs.
#[derive(Debug)]
pub struct KeySource {
    /// The file to pass to ssh-keygen's `-f`: a private key, a certificate
    /// (`-cert.pub`) or a public key whose private half is in ssh-agent.
    pub path: PathBuf,
    /// Where the key was found: "--key", "git user.signingkey",
    /// "git gpg.ssh.defaultKeyCommand" or "~/.ssh/id_ed25519".
    pub origin: String,
    /// The program that signs: git's `gpg.ssh.program`, or `ssh-keygen`.
    pub program: OsString,
    /// The key is a literal public key (from git config or
    /// `gpg.ssh.defaultKeyCommand`) whose private half must be in ssh-agent;
    /// as git does, the program is then given `-U`.
    pub agent_only: bool,
    /// For a literal key: the temporary file holding it, deleted when this
    /// is dropped.
    _literal: Option<tempfile::NamedTempFile>,
}

impl KeySource {
    /// Sign `message` with this key through [`KeySource::program`], as
    /// [`super::sign`] does with `ssh-keygen`.
    pub fn sign(&self, message: &[u8]) -> Result<String, SignError> {
        run_signer(&self.program, &self.path, self.agent_only, message, |_| {})
    }
}

/// [`find_key_with`], falling back to the lookup without
/// `gpg.ssh.defaultKeyCommand` when that command gives no key.
#[cfg(test)]
fn find_key_or_default(
    explicit: Option<&Path>,
    home: Option<&Path>,
    git_config: &dyn Fn(&str) -> Option<String>,
    run: &dyn Fn(&[String]) -> io::Result<Output>,
) -> Option<KeySource> {
    find_key_with(explicit, home, git_config, run).unwrap_or_else(|_| {
        let without = |name: &str| git_config(name).filter(|_| name != "gpg.ssh.defaultKeyCommand");
        find_key_with(explicit, home, &without, run).ok().flatten()
    })
}

/// [`find_key`] for a results file in `dir`: git's config is read with
/// `git -C DIR config --get`, so the config of the repository holding the
/// file counts (not that of the current directory), and
/// `gpg.ssh.defaultKeyCommand` runs in `dir`.  Err when that command is
/// configured (and `user.signingkey` is not) but fails or prints no key,
/// as git then refuses to sign.
///
/// `git_config` reads a key of git's config for `dir` (the app's one `git config` runner,
/// `app::git::config`, run in `dir`).
pub fn find_key_in(
    explicit: Option<&Path>,
    dir: &Path,
    git_config: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<KeySource>, SignError> {
    find_key_with(explicit, home().as_deref(), git_config, &|argv| run_in(argv, Some(dir)))
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
}

/// Run `argv` (no shell) in `dir`, standard input from /dev/null, as git's
/// `pipe_command` runs `gpg.ssh.defaultKeyCommand`.
fn run_in(argv: &[String], dir: Option<&Path>) -> io::Result<Output> {
    let (program, args) = argv.split_first().ok_or_else(|| io::Error::other("empty command"))?;
    let mut cmd = Command::new(program);
    cmd.args(args).stdin(Stdio::null());
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    cmd.output()
}

/// `git config --get NAME` with the given git command (for the tests, which set up git
/// configs of their own); None when unset or git is missing.
#[cfg(test)]
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

/// git's `is_literal_ssh_key`: `key::` followed by the key, or a value that
/// starts with `ssh-`.
fn literal_key(value: &str) -> Option<&str> {
    value.strip_prefix("key::").or_else(|| value.starts_with("ssh-").then_some(value))
}

/// git's `split_cmdline`: words split at blanks, `'...'` and `"..."` quote
/// (a backslash escapes the next character except inside single quotes).
/// None for an unclosed quote or a trailing backslash.
fn split_cmdline(line: &str) -> Option<Vec<String>> {
    let mut words = vec![String::new()];
    let mut quoted: Option<char> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (None, c) if c.is_ascii_whitespace() => {
                while chars.next_if(char::is_ascii_whitespace).is_some() {}
                words.push(String::new());
            }
            (None, '\'' | '"') => quoted = Some(c),
            (Some(q), c) if c == q => quoted = None,
            (q, '\\') if q != Some('\'') => words.last_mut()?.push(chars.next()?),
            (_, c) => words.last_mut()?.push(c),
        }
    }
    quoted.is_none().then_some(words)
}

/// Run git's `gpg.ssh.defaultKeyCommand` and take the literal key on the
/// first line of its output, as git does.
fn key_from_command(command: &str, run: &dyn Fn(&[String]) -> io::Result<Output>) -> Result<KeySource, SignError> {
    let failed = |detail: String| SignError::Io {
        what: format!("running git's gpg.ssh.defaultKeyCommand \"{command}\""),
        source: io::Error::other(detail),
    };
    let argv = split_cmdline(command).ok_or_else(|| failed("unclosed quote or trailing backslash".to_string()))?;
    let out = run(&argv).map_err(|source| SignError::Io {
        what: format!("running git's gpg.ssh.defaultKeyCommand \"{command}\""),
        source,
    })?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(failed(format!("it failed ({}): {} {}", out.status, stderr.trim(), stdout.trim())));
    }
    let first = stdout.split('\n').next().unwrap_or_default().trim_end_matches('\r');
    let Some(key) = literal_key(first) else {
        return Err(failed(format!(
            "it succeeded but printed no key (key::ssh-...): {} {}",
            stderr.trim(),
            stdout.trim()
        )));
    };
    literal_key_file(key, "git gpg.ssh.defaultKeyCommand").map_err(|source| SignError::Io {
        what: "writing the key from gpg.ssh.defaultKeyCommand to a temporary file".to_string(),
        source,
    })
}

/// The lookup behind [`find_key`] and [`find_key_in`], with git's config,
/// the home directory and the command runner given.
fn find_key_with(
    explicit: Option<&Path>,
    home: Option<&Path>,
    git_config: &dyn Fn(&str) -> Option<String>,
    run: &dyn Fn(&[String]) -> io::Result<Output>,
) -> Result<Option<KeySource>, SignError> {
    let program = git_config("gpg.ssh.program").map_or_else(|| OsString::from("ssh-keygen"), OsString::from);
    let found = find_key_source(explicit, home, git_config, run)?;
    Ok(found.map(|k| KeySource { program, ..k }))
}

fn key_file(path: PathBuf, origin: &str) -> KeySource {
    KeySource { path, origin: origin.to_string(), program: OsString::new(), agent_only: false, _literal: None }
}

fn find_key_source(
    explicit: Option<&Path>,
    home: Option<&Path>,
    git_config: &dyn Fn(&str) -> Option<String>,
    run: &dyn Fn(&[String]) -> io::Result<Output>,
) -> Result<Option<KeySource>, SignError> {
    if let Some(path) = explicit {
        let path = match path.to_str() {
            Some(s) => expand_home(s, home),
            None => path.to_path_buf(),
        };
        return Ok(Some(key_file(path, "--key")));
    }
    if git_config("gpg.format").as_deref() == Some("ssh") {
        match git_config("user.signingkey") {
            Some(value) => match literal_key(&value) {
                // If the temp file cannot be written, fall through to the default key.
                Some(literal) => {
                    if let Ok(source) = literal_key_file(literal, "git user.signingkey") {
                        return Ok(Some(source));
                    }
                }
                None => return Ok(Some(key_file(expand_home(&value, home), "git user.signingkey"))),
            },
            None => {
                if let Some(command) = git_config("gpg.ssh.defaultKeyCommand") {
                    return key_from_command(&command, run).map(Some);
                }
            }
        }
    }
    let default = home.map(|h| h.join(".ssh").join("id_ed25519")).filter(|d| d.is_file());
    Ok(default.map(|d| key_file(d, "~/.ssh/id_ed25519")))
}

/// Write a literal public key to a temporary file for ssh-keygen's `-f`
/// (the private half must be in ssh-agent).
fn literal_key_file(literal: &str, origin: &str) -> io::Result<KeySource> {
    let mut file = tempfile::Builder::new().prefix("privcheck-signing-key-").suffix(".pub").tempfile()?;
    writeln!(file, "{}", literal.trim())?;
    file.flush()?;
    Ok(KeySource {
        path: file.path().to_path_buf(),
        origin: origin.to_string(),
        program: OsString::new(),
        agent_only: true,
        _literal: Some(file),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::test_support::*;
    use crate::sign::verify_signature;
    use ssh_key::PublicKey;
    use std::fs;

    fn no_run(_: &[String]) -> io::Result<Output> {
        panic!("no command should run")
    }

    fn find(explicit: Option<&Path>, home: Option<&Path>, git: &dyn Fn(&str) -> Option<String>) -> Option<KeySource> {
        find_key_with(explicit, home, git, &no_run).expect("lookup")
    }

    /// An executable shell script.
    fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
        run(Command::new("chmod").arg("755").arg(&path));
        path
    }

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
        let source = find(None, Some(dir.path()), &git).expect("found");
        assert_eq!(source.origin, "git user.signingkey");
        assert!(source.agent_only);
        assert_eq!(source.program, "ssh-keygen");
        let kept = source.path.clone();
        let sig = run_signer(&source.program, &source.path, source.agent_only, b"m", with_agent(&agent)).expect("sign");
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
        let k = find(Some(Path::new("~/k")), Some(home), &none).expect("explicit");
        assert_eq!((k.path, k.origin.as_str(), k.agent_only), (home.join("k"), "--key", false));
        // Nothing configured, no default key.
        assert!(find(None, Some(home), &none).is_none());
        assert!(find(None, None, &none).is_none());
        // Default key.
        fs::create_dir(home.join(".ssh")).expect("mkdir");
        fs::write(home.join(".ssh/id_ed25519"), "x").expect("write");
        let k = find(None, Some(home), &none).expect("default");
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
        let k = find(None, Some(home), &get).expect("default");
        assert_eq!(k.origin, "~/.ssh/id_ed25519");
        run(&mut git(&["config", "gpg.format", "ssh"]));
        let k = find(None, Some(home), &get).expect("git path");
        assert_eq!((k.path, k.origin.as_str()), (home.join(".ssh/work_key.pub"), "git user.signingkey"));
        // Literal keys, both spellings, go to a temp file.
        let line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILM+rvN+ot98qgEN796jTiQfZfG1KaT0PtFDJ/XFSqti me";
        for value in [format!("key::{line}"), line.to_string()] {
            run(&mut git(&["config", "user.signingkey", &value]));
            let k = find(None, Some(home), &get).expect("literal");
            assert_eq!(k.origin, "git user.signingkey");
            assert_eq!(fs::read_to_string(&k.path).expect("tmp").trim(), line);
            PublicKey::read_openssh_file(&k.path).expect("parses");
        }
        // Explicit still wins over git.
        let k = find(Some(Path::new("/k")), Some(home), &get).expect("explicit");
        assert_eq!(k.origin, "--key");
    }

    /// git's gpg.ssh.program replaces ssh-keygen, with ssh-keygen's
    /// arguments (and -U for a literal key, as git passes it).
    #[test]
    fn gpg_ssh_program_signs_instead_of_ssh_keygen() {
        let dir = tmp();
        let d = dir.path();
        let key = keygen(d, "k", &["-t", "ed25519"], "");
        let log = d.join("args");
        let fake =
            script(d, "fake-keygen", &format!("printf '%s\\n' \"$@\" > '{}'\nexec ssh-keygen \"$@\"", log.display()));
        let key_text = key.to_str().expect("utf-8").to_string();
        let fake_text = fake.to_str().expect("utf-8").to_string();
        let git = |name: &str| match name {
            "gpg.format" => Some("ssh".to_string()),
            "user.signingkey" => Some(key_text.clone()),
            "gpg.ssh.program" => Some(fake_text.clone()),
            _ => None,
        };
        let source = find(None, Some(d), &git).expect("found");
        assert_eq!(source.program, fake.as_os_str());
        let sig = source.sign(b"through the fake").expect("sign");
        verify_signature(b"through the fake", &sig).expect("verify");
        let args = fs::read_to_string(&log).expect("the fake program ran");
        assert_eq!(args, format!("-Y\nsign\n-n\nprivcheck\n-f\n{key_text}\n"));
        // The explicit key is signed through the configured program too.
        fs::remove_file(&log).expect("rm");
        let explicit = find(Some(&key), Some(d), &git).expect("explicit");
        explicit.sign(b"x").expect("sign");
        assert!(log.exists(), "gpg.ssh.program ran for an explicit key");

        // A literal key is given -U (its private half is in the agent).
        let agent = Agent::start(d);
        ssh_add(d, &agent, &key, "");
        let literal = format!("key::{}", pub_line(&key));
        let git_literal = |name: &str| if name == "user.signingkey" { Some(literal.clone()) } else { git(name) };
        let source = find(None, Some(d), &git_literal).expect("literal");
        let sig = run_signer(&source.program, &source.path, source.agent_only, b"m", with_agent(&agent)).expect("sign");
        verify_signature(b"m", &sig).expect("verify");
        let args = fs::read_to_string(&log).expect("log");
        assert!(args.ends_with(&format!("-f\n{}\n-U\n", source.path.display())), "{args}");

        // A program that fails is named in the error.
        let broken = script(d, "broken", "echo 'no key here' >&2\nexit 3");
        let err = run_signer(broken.as_os_str(), &key, false, b"m", |_| {}).expect_err("fails");
        assert!(err.to_string().contains(&format!("{} exited with status 3", broken.display())), "{err}");
    }

    /// gpg.ssh.defaultKeyCommand, when user.signingkey is unset: run without
    /// a shell (words split as git splits them) in the repository's
    /// directory; the first line of its output is the key (`key::...`).
    #[test]
    fn default_key_command_gives_the_key() {
        let dir = tmp();
        let d = dir.path();
        let key = keygen(d, "k", &["-t", "ed25519"], "");
        fs::copy(pub_path(&key), d.join("literal.pub")).expect("copy");
        let log = d.join("args");
        let command = script(
            d,
            "key-command",
            &format!(
                "printf '%s\\n' \"$@\" > '{}'\nprintf 'key::%s\\nsecond line\\n' \"$(cat literal.pub)\"",
                log.display()
            ),
        );
        let run_here = |argv: &[String]| run_in(argv, Some(d));
        let config = |command: String| {
            move |name: &str| match name {
                "gpg.format" => Some("ssh".to_string()),
                "gpg.ssh.defaultKeyCommand" => Some(command.clone()),
                _ => None,
            }
        };
        let git = config(format!("{} --one 'two words' \"th\\\"ree\"", command.display()));
        let source = find_key_with(None, Some(d), &git, &run_here).expect("lookup").expect("found");
        assert_eq!(source.origin, "git gpg.ssh.defaultKeyCommand");
        assert!(source.agent_only);
        assert_eq!(fs::read_to_string(&source.path).expect("key").trim(), pub_line(&key));
        assert_eq!(fs::read_to_string(&log).expect("args"), "--one\ntwo words\nth\"ree\n");
        let agent = Agent::start(d);
        ssh_add(d, &agent, &key, "");
        let sig = run_signer(&source.program, &source.path, source.agent_only, b"m", with_agent(&agent)).expect("sign");
        verify_signature(b"m", &sig).expect("verify");

        // user.signingkey set: the command is not run.
        let with_key = |name: &str| if name == "user.signingkey" { Some("/k".to_string()) } else { git(name) };
        assert_eq!(find(None, Some(d), &with_key).expect("found").path, Path::new("/k"));

        // A command that fails, prints no key, or cannot be split: an error,
        // as git refuses to sign; find_key falls back to the default key.
        let failing = script(d, "failing", "echo 'agent is locked' >&2\nexit 1");
        let no_key = script(d, "no-key", "echo 'nothing to see'");
        for (command, want) in [
            (failing.display().to_string(), "agent is locked"),
            (no_key.display().to_string(), "printed no key"),
            (format!("{} 'unclosed", no_key.display()), "unclosed quote"),
            (d.join("missing").display().to_string(), "No such file"),
        ] {
            let git = config(command.clone());
            let err = find_key_with(None, Some(d), &git, &run_here).expect_err(&command);
            assert!(err.to_string().contains("gpg.ssh.defaultKeyCommand") && err.to_string().contains(want), "{err}");
            assert!(find_key_or_default(None, Some(d), &git, &run_here).is_none());
            fs::create_dir_all(d.join(".ssh")).expect("mkdir");
            fs::write(d.join(".ssh/id_ed25519"), "x").expect("write");
            let k = find_key_or_default(None, Some(d), &git, &run_here).expect("default");
            assert_eq!(k.origin, "~/.ssh/id_ed25519");
            fs::remove_file(d.join(".ssh/id_ed25519")).expect("rm");
        }
    }

    /// find_key_in reads the config of the repository that holds the file.
    #[test]
    fn find_key_in_reads_the_given_repository() {
        let dir = tmp();
        let repo = dir.path().join("repo");
        fs::create_dir(&repo).expect("mkdir");
        let git = |args: &[&str]| run(Command::new("git").arg("-C").arg(&repo).args(args));
        git(&["init", "-q"]);
        git(&["config", "gpg.format", "ssh"]);
        git(&["config", "user.signingkey", "/keys/for-this-repo.pub"]);
        git(&["config", "gpg.ssh.program", "/opt/bin/keygen-wrapper"]);
        let dir = repo.join(".");
        let git_in = |name: &str| {
            let mut git = Command::new("git");
            git.arg("-C").arg(&dir);
            git_config_get(git, name)
        };
        let source = find_key_in(None, &dir, &git_in).expect("lookup").expect("found");
        assert_eq!(source.path, Path::new("/keys/for-this-repo.pub"));
        assert_eq!(source.origin, "git user.signingkey");
        assert_eq!(source.program, "/opt/bin/keygen-wrapper");
    }

    #[test]
    fn command_lines_split_as_git_splits_them() {
        let split = |s: &str| split_cmdline(s);
        assert_eq!(split("ssh-add -L").expect("ok"), ["ssh-add", "-L"]);
        assert_eq!(split("a  'b c'\t\"d \\\" e\" f\\ g").expect("ok"), ["a", "b c", "d \" e", "f g"]);
        assert_eq!(split("'a\\b'").expect("ok"), ["a\\b"]);
        assert_eq!(split("x''y").expect("ok"), ["xy"]);
        assert!(split("'open").is_none());
        assert!(split("trailing\\").is_none());
    }
}
