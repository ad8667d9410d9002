//! The user's config file: who the reviewer is, which key signs, which checklists to use
//! (instead of the built-in set, or added to it).
//!
//! Found through `directories` (on Linux `$XDG_CONFIG_HOME/privcheck/config.toml`, else
//! `~/.config/privcheck/config.toml`), or at `$PRIVCHECK_CONFIG`. A missing file is an
//! empty config; a broken one is an error with line and column.

use super::git;
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// A directory of checklists to use instead of the built-in set.
    pub checklists: Option<PathBuf>,
    /// Directories whose checklist files are added to the active set (the built-in set, or
    /// `checklists`), in order. [`crate::app::Context::new`] appends `--checklists-add`.
    #[serde(default)]
    pub extra_checklists: Vec<PathBuf>,
    /// The reviewer's name, recorded with answers and sign-offs.
    pub name: Option<String>,
    /// The reviewer's email, recorded with sign-offs and matched against allowed_signers.
    pub email: Option<String>,
    /// The SSH key that signs (a private key, or a public key whose private half is in ssh-agent).
    pub signing_key: Option<PathBuf>,
    /// The default product name for new results files.
    pub product: Option<String>,
}

/// Where the config file is looked for.
pub fn path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PRIVCHECK_CONFIG") {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "privcheck").map(|d| d.config_dir().join("config.toml"))
}

pub fn load() -> Result<Config> {
    let Some(path) = path() else { return Ok(Config::default()) };
    // A config file named by PRIVCHECK_CONFIG must exist: a typo must not go unnoticed.
    let named = std::env::var_os("PRIVCHECK_CONFIG").is_some();
    let text = match crate::store::bounded::read_to_string(&path, crate::store::bounded::SETTINGS_LIMIT) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => return Ok(Config::default()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Usage(format!(
                "{}: the config file named by PRIVCHECK_CONFIG does not exist",
                path.display()
            )));
        }
        Err(e) => return Err(Error::io(&path, "cannot read config file", e)),
    };
    toml::from_str(&text).map_err(|e| Error::from(Diagnostic::toml(&path, &text, &e)))
}

impl Config {
    /// The reviewer's name: config, then git's user.name (in the repository `dir`), then
    /// $USER.
    pub fn reviewer_name(&self, dir: Option<&Path>) -> String {
        self.name
            .clone()
            .or_else(|| git::config(dir, "user.name"))
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "unknown".to_string())
    }

    /// The reviewer's email: config, then git's user.email (in the repository `dir`).
    pub fn reviewer_email(&self, dir: Option<&Path>) -> Option<String> {
        self.email.clone().or_else(|| git::config(dir, "user.email"))
    }
}
