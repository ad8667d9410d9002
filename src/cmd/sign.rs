//! `privcheck sign FILE`: sign off a results file without the UI, for scripts.

use super::{Context, Outcome};
use crate::cli::SignArgs;
use crate::error::{Error, Result};
use crate::model::results::{Results, SignOff, now};
use crate::sign;
use crate::store::{lock, results_file};
use std::io::Write;
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
    pub fn from_config(cx: &Context, role: &str, key: Option<&Path>, no_sign: bool) -> Result<Signer> {
        let email = cx.config.reviewer_email().ok_or_else(|| {
            Error::new("no email to sign off with: set `email` in the privcheck config file or git's user.email")
        })?;
        let explicit = key.map(Path::to_path_buf).or_else(|| cx.config.signing_key.clone());
        let key = if no_sign { None } else { sign::find_key(explicit.as_deref()) };
        if let Some(path) = explicit.as_ref().filter(|_| !no_sign)
            && key.is_none()
        {
            return Err(Error::new(format!("{}: signing key not found", path.display())));
        }
        Ok(Signer { name: cx.config.reviewer_name(), email, role: role.to_string(), key })
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
    Blocked(Vec<(String, String)>),
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
pub fn sign_off(
    results: &mut Results,
    set: &crate::model::checklist::ChecklistSet,
    signer: &Signer,
) -> Result<SignOff, Refused> {
    let blockers = results.signoff_blockers(set);
    if !blockers.is_empty() {
        return Err(Refused::Blocked(blockers));
    }
    let mut s = SignOff {
        name: signer.name.clone(),
        email: signer.email.clone(),
        role: signer.role.clone(),
        at: now(),
        digest: results.content_digest(),
        key: None,
        signature: None,
    };
    if let Some(key) = &signer.key {
        let message = s.message(&results.product, results.period);
        let failed = |e: sign::SignError| Refused::Failed(Error::new(format!("signing failed: {e}")));
        let armored = key.sign(&message).map_err(failed)?;
        let (fingerprint, _) = sign::signature_key(&armored).map_err(failed)?;
        s.key = Some(fingerprint);
        s.signature = Some(armored);
    }
    // Sign-offs the content no longer matches are void; the new one supersedes them (git
    // keeps the history), so the file can pass `verify` again.
    let current = s.digest.clone();
    results.signoffs.retain(|old| old.digest == current);
    results.signoffs.push(s.clone());
    Ok(s)
}

pub fn run(cx: &Context, args: &SignArgs, out: &mut dyn Write) -> Result<Outcome> {
    let set = cx.checklist_set()?;
    let _lock = match lock::acquire(&args.file).map_err(|e| Error::io(&args.file, "cannot lock", e))? {
        lock::Acquired::Held { lock, .. } => {
            crate::store::atomic::remove_stale_temps(&args.file);
            lock
        }
        lock::Acquired::Busy(who) => {
            return Err(Error::new(format!(
                "{}: being edited by {who}; try again when they are done",
                args.file.display()
            )));
        }
    };
    let mut results = results_file::read(&args.file, &set)?;
    let signer = Signer::from_config(cx, &args.role, args.key.as_deref(), args.no_sign)?;
    let s = match sign_off(&mut results, &set, &signer) {
        Ok(s) => s,
        Err(refused @ Refused::Blocked(_)) => {
            // The problems quote the file (a digest it names): shown escaped, line breaks kept.
            writeln!(out, "{}", crate::text::escape_controls_multiline(&refused.to_string())).map_err(Error::output)?;
            return Ok(Outcome::Findings);
        }
        Err(Refused::Failed(e)) => return Err(e),
    };
    results_file::save(&args.file, &results).map_err(|e| Error::io(&args.file, "cannot save", e))?;
    let how = match &s.key {
        Some(k) => format!("signed with {k}"),
        None => "UNSIGNED: no SSH key was found (see `privcheck help sign`)".to_string(),
    };
    writeln!(out, "{}: signed off by {} <{}> as {}, {how}", args.file.display(), s.name, s.email, s.role)
        .map_err(Error::output)?;
    Ok(Outcome::Ok)
}
