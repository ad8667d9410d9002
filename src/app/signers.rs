//! Who may sign: the signer lists in force for a results file, and the time keys are judged at.
//!
//! The lists come, in this order, from `--allowed-signers FILE` (and `--role-signers
//! ROLE=FILE`); the repository's shared settings (`.privcheck.toml`: `allowed_signers`,
//! `[role_signers]`); git's `gpg.ssh.allowedSignersFile`, read from the repository that
//! holds the results file (as `git verify-commit` reads it), not from the current
//! directory. A role with its own list is checked against that list only.
//!
//! When no list is in force for a sign-off, its signature is still checked, but who signed
//! is not: `verify` says so and fails (the gate fails closed).

use crate::app::settings::Settings;
use crate::error::{Error, Result};
use crate::sign::AllowedSigners;
use jiff::Timestamp;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// When a key's validity (`valid-after`, `valid-before`, a certificate's validity) is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyValidity {
    /// At the sign-off's own time (the default, as `git verify-commit` does).
    AtSignOff,
    /// Now: a key that has expired since no longer counts.
    Now(Timestamp),
}

/// One signer list and where it came from, for messages.
#[derive(Debug, Clone)]
pub struct Source {
    pub list: AllowedSigners,
    /// E.g. "--allowed-signers ci/allowed_signers" or "git gpg.ssh.allowedSignersFile (...)".
    pub origin: String,
}

/// The signer lists in force for one results file.
#[derive(Debug, Clone)]
pub struct SignerPolicy {
    /// The list for every role without its own.
    pub general: Option<Source>,
    /// A list per role.
    pub roles: BTreeMap<String, Source>,
    pub validity: KeyValidity,
}

impl SignerPolicy {
    /// The list that decides who may sign as `role`, if any.
    pub fn for_role(&self, role: &str) -> Option<&Source> {
        self.roles.get(role).or(self.general.as_ref())
    }

    /// Is any list in force?
    pub fn any(&self) -> bool {
        self.general.is_some() || !self.roles.is_empty()
    }

    /// Warnings the lists' readers had (lines they skipped), for stderr.
    pub fn warnings(&self) -> Vec<String> {
        self.general
            .iter()
            .chain(self.roles.values())
            .flat_map(|s| s.list.warnings().iter().map(|w| w.to_string()))
            .collect()
    }
}

/// What the command line says about signers.
#[derive(Debug, Clone, Default)]
pub struct SignerArgs {
    pub allowed_signers: Option<PathBuf>,
    pub role_signers: Vec<(String, PathBuf)>,
}

/// Parses `ROLE=FILE` (for `--role-signers`).
pub fn parse_role_signers(arg: &str) -> std::result::Result<(String, PathBuf), String> {
    let (role, file) = arg.split_once('=').ok_or_else(|| format!("{arg:?} is not ROLE=FILE"))?;
    crate::app::signoff::check_role_word(role)?;
    if file.is_empty() {
        return Err(format!("{arg:?} names no file"));
    }
    Ok((role.to_string(), PathBuf::from(file)))
}

fn load(path: &Path, origin: String) -> Result<Source> {
    let list = AllowedSigners::load(path).map_err(|e| Error::Signing(format!("{e} (signer list from {origin})")))?;
    Ok(Source { list, origin })
}

/// Where git's `gpg.ssh.allowedSignersFile` points for the repository holding `dir`
/// (relative paths are relative to the repository's top folder, `~/` is the home folder).
pub fn git_allowed_signers(dir: &Path) -> Option<PathBuf> {
    let value = crate::app::git::config(Some(dir), "gpg.ssh.allowedSignersFile")?;
    let path = match value.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME").map(PathBuf::from)?.join(rest),
        None => PathBuf::from(&value),
    };
    if path.is_absolute() {
        return Some(path);
    }
    let top = crate::app::git::toplevel(dir).unwrap_or_else(|| dir.to_path_buf());
    Some(top.join(path))
}

/// The signer lists in force for a results file in `dir`.
pub fn resolve(
    args: &SignerArgs,
    settings: Option<&Settings>,
    dir: &Path,
    validity: KeyValidity,
) -> Result<SignerPolicy> {
    let general = if let Some(p) = &args.allowed_signers {
        Some(load(p, format!("--allowed-signers {}", p.display()))?)
    } else if let Some(p) = settings.and_then(|s| s.allowed_signers.as_ref()) {
        let from = settings.map(|s| s.path.display().to_string()).unwrap_or_default();
        Some(load(p, format!("{from} (allowed_signers = {})", p.display()))?)
    } else if let Some(p) = git_allowed_signers(dir) {
        Some(load(&p, format!("git gpg.ssh.allowedSignersFile ({})", p.display()))?)
    } else {
        None
    };
    let mut roles = BTreeMap::new();
    if let Some(s) = settings {
        for (role, p) in &s.role_signers {
            roles.insert(role.clone(), load(p, format!("{} ([role_signers] {role})", s.path.display()))?);
        }
    }
    for (role, p) in &args.role_signers {
        roles.insert(role.clone(), load(p, format!("--role-signers {role}={}", p.display()))?);
    }
    Ok(SignerPolicy { general, roles, validity })
}

/// The settings and signer lists of each results file's repository, worked out once per
/// folder.
pub struct Resolver {
    args: SignerArgs,
    validity: KeyValidity,
    cache: BTreeMap<PathBuf, (Option<Settings>, SignerPolicy)>,
}

impl Resolver {
    pub fn new(args: SignerArgs, validity: KeyValidity) -> Resolver {
        Resolver { args, validity, cache: BTreeMap::new() }
    }

    /// The settings and signer lists in force for the results file `file`.
    pub fn for_file(&mut self, file: &Path) -> Result<&(Option<Settings>, SignerPolicy)> {
        let dir = folder_of(file);
        if !self.cache.contains_key(&dir) {
            let settings = crate::app::settings::find(&dir)?;
            let policy = resolve(&self.args, settings.as_ref(), &dir, self.validity)?;
            for w in policy.warnings() {
                eprintln!("privcheck: warning: {}", crate::render::text::escape_controls(&w));
            }
            self.cache.insert(dir.clone(), (settings, policy));
        }
        Ok(&self.cache[&dir])
    }

    /// What [`Resolver::for_file`] worked out for `file`, if it was asked: shared, read-only,
    /// by threads checking files.
    pub fn cached(&self, file: &Path) -> Option<&(Option<Settings>, SignerPolicy)> {
        self.cache.get(&folder_of(file))
    }
}

/// The folder whose settings apply to `file`.
fn folder_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
