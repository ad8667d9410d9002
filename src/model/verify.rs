//! What `privcheck verify` checks in one results file, as a list of findings.
//!
//! Pure: it takes the parsed results, the checklist set, optionally an allowed_signers
//! list, and returns every problem. The command prints them and sets the exit code.

use crate::model::checklist::ChecklistSet;
use crate::model::results::{Results, SignOffState};
use crate::sign::{self, AllowedSigners};
use serde::Serialize;

/// One problem: what it is about (an item id, or a field such as `scope.eea` or
/// `signoff[1]`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub subject: String,
    pub message: String,
}

fn finding(subject: impl Into<String>, message: impl Into<String>) -> Finding {
    Finding { subject: subject.into(), message: message.into() }
}

/// How strict the check is.
#[derive(Default)]
pub struct Policy<'a> {
    /// Verify every signature and require its signer here.
    pub allowed_signers: Option<&'a AllowedSigners>,
    /// Roles that must each have a valid sign-off.
    pub require_roles: &'a [String],
    /// Today, to find overdue remediations (none are reported without it).
    pub today: Option<jiff::civil::Date>,
}

/// The label of sign-off `i` (1-based) in messages: `signoff[1] (reviewer Ann <ann@x>)`.
pub fn signoff_label(r: &Results, i: usize) -> String {
    let s = &r.signoffs[i];
    format!("signoff[{}] ({} {} <{}>)", i + 1, s.role, s.name, s.email)
}

pub fn check(results: &Results, set: &ChecklistSet, policy: &Policy<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &set.checklists {
        match results.checklists.iter().find(|r| r.id == c.id) {
            None => out.push(finding(format!("checklist.{}", c.id), "checklist not recorded in the results")),
            Some(r) if r.version != c.version => out.push(finding(
                format!("checklist.{}", c.id),
                format!("answered at version {}, the active checklist is version {}", r.version, c.version),
            )),
            Some(_) => {}
        }
    }
    for (item, problem) in results.signoff_blockers(set) {
        out.push(finding(item, problem));
    }
    if let Some(today) = policy.today {
        for a in &results.answers {
            if let Some(r) = a.remediation.as_ref().filter(|_| a.status == crate::model::results::Status::Fail)
                && let Some(due) = r.due.filter(|d| *d < today)
            {
                out.push(finding(
                    &a.item,
                    format!(
                        "remediation overdue since {due} (owner {}, ticket {})",
                        r.owner,
                        if r.ticket.is_empty() { "none" } else { &r.ticket }
                    ),
                ));
            }
        }
    }

    let mut valid_roles = Vec::new();
    if results.signoffs.is_empty() {
        out.push(finding("signoff", "not signed off"));
    }
    for (i, (s, state)) in results.signoff_states().into_iter().enumerate() {
        let label = signoff_label(results, i);
        let mut ok = true;
        if let SignOffState::Void { signed, now } = state {
            ok = false;
            out.push(finding(
                &label,
                format!("void: the answers changed after it was made (signed {signed}, content is now {now})"),
            ));
        }
        match (&s.signature, policy.allowed_signers) {
            (None, Some(_)) => {
                ok = false;
                out.push(finding(&label, "unsigned: it has no SSH signature, and --allowed-signers requires one"));
            }
            (None, None) => {}
            (Some(sig), allowed) => {
                let message = s.message(&results.product, results.period);
                let verified = match allowed {
                    Some(allowed) => sign::verify(&message, sig, allowed, &s.email, s.at.as_second()),
                    None => sign::verify_signature(&message, sig),
                };
                match verified {
                    Ok(fingerprint) if s.key.as_deref().is_some_and(|k| k != fingerprint) => {
                        ok = false;
                        out.push(finding(
                            &label,
                            format!(
                                "signature made by key {fingerprint}, but the sign-off names key {}",
                                s.key.as_deref().unwrap_or("")
                            ),
                        ));
                    }
                    Ok(_) => {}
                    Err(e) => {
                        ok = false;
                        out.push(finding(&label, format!("bad signature: {e}")));
                    }
                }
            }
        }
        if ok {
            valid_roles.push(s.role.clone());
        }
    }
    for role in policy.require_roles {
        if !valid_roles.contains(role) {
            out.push(finding("signoff", format!("no valid sign-off with role {role:?}")));
        }
    }
    out
}
