//! The repository's shared settings: `.privcheck.toml` at the repository root, found by
//! walking up from a results file. It holds what a team shares and CI relies on: who may
//! sign (the signer list, and one per role), the roles CI requires, the roles a team uses
//! beyond reviewer and approver, the checklist folder, and which warnings fail the gate.
//!
//! Whoever edits this file or the signer lists it names decides who may sign: protect them
//! with code-owner review. Command-line options override it.

use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name looked for.
pub const FILE_NAME: &str = ".privcheck.toml";

/// The settings file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    allowed_signers: Option<PathBuf>,
    #[serde(default)]
    role_signers: BTreeMap<String, PathBuf>,
    #[serde(default)]
    require_roles: Vec<String>,
    #[serde(default)]
    roles: Vec<String>,
    checklists: Option<PathBuf>,
    #[serde(default)]
    deny: Vec<String>,
}

/// A repository's shared settings, with every path made absolute (relative paths in the
/// file are relative to the file's folder).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Where the settings were read from.
    pub path: PathBuf,
    /// The allowed_signers file for every role without its own.
    pub allowed_signers: Option<PathBuf>,
    /// An allowed_signers file per role (e.g. the privacy office's keys for `approver`).
    pub role_signers: BTreeMap<String, PathBuf>,
    /// The roles `verify` requires a valid sign-off for.
    pub require_roles: Vec<String>,
    /// Roles the team uses besides reviewer and approver.
    pub roles: Vec<String>,
    /// The team's checklist folder.
    pub checklists: Option<PathBuf>,
    /// Finding codes (or `warnings`) that fail the gate although they are warnings.
    pub deny: Vec<String>,
}

/// Finds the settings for something in `dir`: `.privcheck.toml` in `dir` or the nearest
/// folder above it, looking no higher than the repository root (a folder holding `.git`).
pub fn find(dir: &Path) -> Result<Option<Settings>> {
    let start = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    for d in start.ancestors() {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return load(&candidate).map(Some);
        }
        if d.join(".git").exists() {
            break;
        }
    }
    Ok(None)
}

/// Reads a settings file; errors say where.
pub fn load(path: &Path) -> Result<Settings> {
    let text = crate::store::bounded::read_to_string(path, crate::store::bounded::SETTINGS_LIMIT)
        .map_err(|e| Error::io(path, "cannot read settings", e))?;
    let file: File = toml::from_str(&text).map_err(|e| Error::from(Diagnostic::toml(path, &text, &e)))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let abs = |p: PathBuf| if p.is_absolute() { p } else { base.join(p) };
    for role in file.roles.iter().chain(file.role_signers.keys()).chain(&file.require_roles) {
        crate::app::signoff::check_role_word(role).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    }
    for code in &file.deny {
        crate::model::verify::check_deny(code).map_err(|e| {
            let at = text.find(&format!("\"{code}\"")).unwrap_or(0);
            Error::from(Diagnostic::at(path, &text, at, format!("deny: {e}")))
        })?;
    }
    Ok(Settings {
        path: path.to_path_buf(),
        allowed_signers: file.allowed_signers.map(abs),
        role_signers: file.role_signers.into_iter().map(|(k, v)| (k, abs(v))).collect(),
        require_roles: file.require_roles,
        roles: file.roles,
        checklists: file.checklists.map(abs),
        deny: file.deny,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_by_walking_up_no_higher_than_the_repository() {
        let root = tempfile::tempdir().unwrap();
        let repo = root.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("teams/checkout")).unwrap();
        // Above the repository: never read.
        std::fs::write(root.path().join(FILE_NAME), "allowed_signers = \"outside\"\n").unwrap();
        assert_eq!(find(&repo.join("teams/checkout")).unwrap(), None);
        std::fs::write(
            repo.join(FILE_NAME),
            "allowed_signers = \"ci/allowed_signers\"\nrequire_roles = [\"reviewer\", \"approver\"]\n\
             [role_signers]\napprover = \"/etc/privacy-office\"\n",
        )
        .unwrap();
        let s = find(&repo.join("teams/checkout")).unwrap().unwrap();
        let repo = std::fs::canonicalize(&repo).unwrap();
        assert_eq!(s.allowed_signers, Some(repo.join("ci/allowed_signers")));
        assert_eq!(s.role_signers["approver"], PathBuf::from("/etc/privacy-office"));
        assert_eq!(s.require_roles, ["reviewer", "approver"]);
    }

    #[test]
    fn errors_are_located_and_roles_checked() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(FILE_NAME);
        std::fs::write(&p, "allowed_signer = \"x\"\n").unwrap();
        let e = load(&p).unwrap_err();
        assert!(matches!(&e, Error::Input(d) if d.line == 1 && d.message.contains("unknown field")), "{e}");
        std::fs::write(&p, "roles = [\"\"]\n").unwrap();
        assert!(load(&p).unwrap_err().to_string().contains("role"));
        std::fs::write(&p, "roles = [\"dpo\"]\ndeny = [\"overdue\", \"late\"]\n").unwrap();
        let e = load(&p).unwrap_err();
        assert!(
            matches!(&e, Error::Input(d) if d.line == 2 && d.column == 20 && d.message.contains("\"late\" is not a finding code")),
            "{e}"
        );
        std::fs::write(&p, "deny = [\"warnings\", \"overdue\"]\n").unwrap();
        assert_eq!(load(&p).unwrap().deny, ["warnings", "overdue"]);
    }
}
