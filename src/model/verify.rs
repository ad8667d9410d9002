//! What `privcheck verify` checks in one results file, as a list of findings.
//!
//! Pure: it takes the parsed results, the checklist set, what checking each sign-off's
//! signature found (the app checks them, see `app::signoff::check_signatures`) and the
//! policy, and returns every problem, each with a stable code and a level. The command
//! prints them and sets the exit code.

use crate::model::checklist::ChecklistSet;
use crate::model::results::{Results, SignOffState};
use crate::model::signoff::Signature;
use serde::Serialize;

/// How much a finding matters: an error fails the gate; a warning fails it only when denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

/// One problem: what it is about (an item id, or a field such as `scope.eea` or
/// `signoff[1]`), a stable code, its level, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub subject: String,
    pub code: &'static str,
    pub level: Level,
    pub message: String,
}

fn error(subject: impl Into<String>, code: &'static str, message: impl Into<String>) -> Finding {
    Finding { subject: subject.into(), code, level: Level::Error, message: message.into() }
}

/// How strict the check is.
#[derive(Default)]
pub struct Policy<'a> {
    /// Every sign-off must carry a signature (a signer list is in force).
    pub require_signed: bool,
    /// Roles that must each have a valid sign-off.
    pub require_roles: &'a [String],
    /// Today, to find overdue remediations (none are reported without it).
    pub today: Option<jiff::civil::Date>,
}

/// The label of sign-off `i` (0-based) in messages: `signoff[1] (reviewer Ann <ann@x>)`.
pub fn signoff_label(r: &Results, i: usize) -> String {
    let s = &r.signoffs[i];
    format!("signoff[{}] ({} {} <{}>)", i + 1, s.role, s.name, s.email)
}

/// Every finding about `results`; `signatures` has one verdict per sign-off, in order.
pub fn check(results: &Results, set: &ChecklistSet, signatures: &[Signature], policy: &Policy<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &set.checklists {
        match results.checklists.iter().find(|r| r.id == c.id) {
            None => out.push(error(
                format!("checklist.{}", c.id),
                "checklist-missing",
                "checklist not recorded in the results",
            )),
            Some(r) if r.version != c.version => out.push(error(
                format!("checklist.{}", c.id),
                "checklist-version",
                format!("answered at version {}, the active checklist is version {}", r.version, c.version),
            )),
            Some(_) => {}
        }
    }
    for (item, problem) in results.signoff_blockers(set) {
        out.push(error(item, problem.code(), problem.to_string()));
    }
    if let Some(today) = policy.today {
        for a in results.answers.iter().filter(|a| a.is_overdue(today)) {
            let Some(r) = &a.remediation else { continue };
            out.push(error(
                &a.item,
                "overdue",
                format!(
                    "remediation overdue since {} (owner {}, ticket {})",
                    r.due.map(|d| d.to_string()).unwrap_or_default(),
                    r.owner,
                    if r.ticket.is_empty() { "none" } else { &r.ticket }
                ),
            ));
        }
    }

    let mut valid_roles = Vec::new();
    if results.signoffs.is_empty() {
        out.push(error("signoff", "not-signed", "not signed off"));
    }
    for (i, (s, state)) in results.signoff_states().into_iter().enumerate() {
        let label = signoff_label(results, i);
        let mut ok = true;
        if let SignOffState::Void { signed, now } = state {
            ok = false;
            out.push(error(
                &label,
                "signoff-void",
                format!("void: the answers changed after it was made (signed {signed}, content is now {now})"),
            ));
        }
        match signatures.get(i).cloned().unwrap_or_else(|| Signature::unchecked(s)) {
            Signature::Absent if policy.require_signed => {
                ok = false;
                out.push(error(
                    &label,
                    "unsigned",
                    "unsigned: it has no SSH signature, and --allowed-signers requires one",
                ));
            }
            Signature::Bad { reason } => {
                ok = false;
                out.push(error(&label, "signature-invalid", reason));
            }
            Signature::Absent | Signature::NotChecked | Signature::Unverified { .. } | Signature::Verified { .. } => {}
        }
        if ok {
            valid_roles.push(s.role.clone());
        }
    }
    for role in policy.require_roles {
        if !valid_roles.contains(role) {
            out.push(error("signoff", "role-missing", format!("no valid sign-off with role {role:?}")));
        }
    }
    out
}
