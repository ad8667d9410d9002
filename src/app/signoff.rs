//! The sign-off service, shared by `privcheck sign` and the review UI: who signs (name and
//! email from the config or git), with which key, and when a sign-off is refused.

use crate::app::Context;
use crate::app::signers::{KeyValidity, SignerPolicy};
use crate::error::{Error, Result};
use crate::model::checklist::ChecklistSet;
use crate::model::results::{Results, SignOff};
use crate::model::signoff::Signature;
use crate::sign;
use jiff::Timestamp;
use std::path::Path;

/// Who signs, and with what.
pub struct Signer {
    pub name: String,
    pub email: String,
    pub role: String,
    /// `None`: record the sign-off unsigned.
    pub key: Option<sign::KeySource>,
}

impl Signer {
    /// The signer from the config (and git), with `key` or the configured/default key.
    ///
    /// `dir` is the directory of the results file: git's config there (the repository's own)
    /// counts.
    pub fn from_config(
        cx: &Context,
        role: &str,
        key: Option<&Path>,
        no_sign: bool,
        dir: Option<&Path>,
    ) -> Result<Signer> {
        check_role_word(role).map_err(Error::Usage)?;
        let email = cx.config.reviewer_email(dir).ok_or_else(|| {
            Error::Signing(
                "no email to sign off with: set `email` in the privcheck config file or git's user.email".into(),
            )
        })?;
        let explicit = key.map(Path::to_path_buf).or_else(|| cx.config.signing_key.clone());
        // git's config of the repository holding the results file, as git itself reads it.
        let repo = dir.unwrap_or(Path::new(""));
        let key = if no_sign {
            None
        } else {
            sign::find_key_in(explicit.as_deref(), repo, &|k| crate::app::git::config(Some(repo), k))
                .map_err(|e| Error::Signing(e.to_string()))?
        };
        if let Some(path) = explicit.as_ref().filter(|_| !no_sign)
            && key.is_none()
        {
            return Err(Error::Signing(format!("{}: signing key not found", path.display())));
        }
        Ok(Signer { name: cx.config.reviewer_name(dir), email, role: role.to_string(), key })
    }

    /// The key as the user is shown it before signing: its path and where it was found, or
    /// that there is none.
    pub fn key_text(&self) -> String {
        match &self.key {
            Some(k) => format!("{} ({})", k.path.display(), k.origin),
            None => "none found: the sign-off will be UNSIGNED".into(),
        }
    }

    /// How the signer is described to the user before signing.
    pub fn describe(&self) -> String {
        match &self.key {
            Some(k) => format!(
                "{} <{}> as {}, signing with {} ({})",
                self.name,
                self.email,
                self.role,
                k.path.display(),
                k.origin
            ),
            None => format!("{} <{}> as {}, unsigned (no SSH key found)", self.name, self.email, self.role),
        }
    }
}

/// Why a sign-off was not made.
#[derive(Debug)]
pub enum Refused {
    /// Answers are missing or incomplete: `(item or field, problem)`.
    Blocked(Vec<(String, crate::model::results::Problem)>),
    /// Signing itself failed.
    Failed(Error),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Blocked(b) => {
                let s = if b.len() == 1 { "" } else { "s" };
                write!(f, "cannot sign off: {} problem{s} remain{}:", b.len(), if s.is_empty() { "s" } else { "" })?;
                for (item, problem) in b {
                    write!(f, "\n  {item}: {problem}")?;
                }
                Ok(())
            }
            Refused::Failed(e) => write!(f, "{e}"),
        }
    }
}

/// Adds a sign-off to `results` for its current content. Refuses while anything is
/// missing, listing it. Signing runs `ssh-keygen`, which may ask for a passphrase.
pub fn sign_off(results: &mut Results, set: &ChecklistSet, signer: &Signer, at: Timestamp) -> Result<SignOff, Refused> {
    let blockers = results.signoff_blockers(set);
    if !blockers.is_empty() {
        return Err(Refused::Blocked(blockers));
    }
    let mut s = SignOff {
        name: signer.name.clone(),
        email: signer.email.clone(),
        role: signer.role.clone(),
        at,
        digest: results.content_digest(),
        key: None,
        signature: None,
    };
    if let Some(key) = &signer.key {
        let message = s.message(&results.product, results.period);
        let failed = |e: sign::SignError| Refused::Failed(Error::Signing(format!("signing failed: {e}")));
        let armored = key.sign(&message).map_err(failed)?;
        let (fingerprint, _) = sign::signature_key(&armored).map_err(failed)?;
        s.key = Some(fingerprint);
        s.signature = Some(armored);
    }
    // Sign-offs the content no longer matches are void; the new one supersedes them (git
    // keeps the history), so the file can pass `verify` again. A sign-off of the same role
    // by the same person is replaced too: signing twice never piles up.
    let current = s.digest.clone();
    results.signoffs.retain(|old| old.digest == current && !(old.role == s.role && same_person(old, &s)));
    results.signoffs.push(s.clone());
    Ok(s)
}

/// What checking each sign-off's signature finds, in order. With `signers`, a signature
/// must verify and its key be allowed for the sign-off's email by the list in force for its
/// role ([`Signature::Verified`]), or it is [`Signature::Bad`]; a sign-off whose role no
/// list covers is only checked cryptographically ([`Signature::Unverified`]). Without
/// `signers` (`--skip-signatures`) nothing is checked. In every case the key that signed
/// must be the one the sign-off names.
pub fn check_signatures(results: &Results, signers: Option<&SignerPolicy>) -> Vec<Signature> {
    results
        .signoffs
        .iter()
        .map(|s| {
            let Some(armored) = &s.signature else { return Signature::Absent };
            let Some(policy) = signers else { return Signature::NotChecked };
            let message = s.message(&results.product, results.period);
            let list = policy.for_role(&s.role);
            let at = match policy.validity {
                KeyValidity::AtSignOff => s.at,
                KeyValidity::Now(now) => now,
            };
            let checked = match list {
                Some(source) => sign::verify(&message, armored, &source.list, &s.email, at.as_second())
                    .map_err(|e| format!("bad signature: {e} (signer list: {})", source.origin)),
                None => sign::verify_signature(&message, armored).map_err(|e| format!("bad signature: {e}")),
            };
            match checked {
                Ok(fingerprint) if s.key.as_deref().is_some_and(|k| k != fingerprint) => Signature::Bad {
                    reason: format!(
                        "signature made by key {fingerprint}, but the sign-off names key {}",
                        s.key.as_deref().unwrap_or("")
                    ),
                },
                Ok(key) if list.is_some() => Signature::Verified { key },
                Ok(key) => Signature::Unverified { key },
                Err(reason) => Signature::Bad { reason },
            }
        })
        .collect()
}

/// The roles every team has; a team adds its own in `.privcheck.toml` (`roles = [...]`).
pub const ROLES: &[&str] = &["reviewer", "approver"];

/// Is `role` a word a role can be: lower-case letters, digits and `-`, starting with a
/// letter, at most 32 characters?
pub fn check_role_word(role: &str) -> std::result::Result<(), String> {
    let mut chars = role.chars();
    let ok = matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && role.len() <= 32;
    if ok {
        Ok(())
    } else {
        Err(format!(
            "role {} is not a role: a role is a word of lower-case letters, digits and '-' (reviewer, approver, or one the team configures)",
            crate::render::text::escape_controls(&format!("{role:?}"))
        ))
    }
}

/// Is `role` one of the known roles: [`ROLES`] and the team's `extra` ones?
pub fn check_role(role: &str, extra: &[String]) -> std::result::Result<(), String> {
    check_role_word(role)?;
    if ROLES.contains(&role) || extra.iter().any(|r| r == role) {
        Ok(())
    } else {
        let mut known: Vec<&str> = ROLES.to_vec();
        known.extend(extra.iter().map(String::as_str));
        Err(format!(
            "role {role:?} is not one of this repository's roles ({}); a team adds roles with `roles = [...]` in .privcheck.toml",
            known.join(", ")
        ))
    }
}

pub use crate::model::verify::same_person;
