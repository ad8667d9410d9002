//! What `privcheck verify` checks in one results file, as a list of findings.
//!
//! Pure: it takes the parsed results, the checklist set, what checking each sign-off's
//! signature found (the app checks them, see `app::signoff::check_signatures`) and the
//! policy, and returns every problem, each with a stable code and a level. The command
//! prints them and sets the exit code.

use crate::model::checklist::ChecklistSet;
use crate::model::results::{Results, SignOff, SignOffState};
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
    /// Signatures were not checked (`--skip-signatures`): digests only; no sign-off is
    /// then found wanting for its signature, and the output says so.
    pub skip_signatures: bool,
    /// Roles that must each have a valid sign-off, by different people.
    pub require_roles: &'a [String],
    /// The roles a sign-off may have (empty: any).
    pub roles: &'a [String],
    /// Today, to find overdue remediations (none are reported without it).
    pub today: Option<jiff::civil::Date>,
    /// Now, to find sign-offs dated in the future (none are without it).
    pub now: Option<jiff::Timestamp>,
}

/// How far in the future a sign-off may be dated before it is a finding: clocks differ.
pub const CLOCK_SKEW: jiff::SignedDuration = jiff::SignedDuration::from_mins(5);

/// How to give verify a signer list, for messages.
pub const HOW_TO_GIVE_SIGNERS: &str = "give --allowed-signers FILE, set allowed_signers in the repository's .privcheck.toml, or git's gpg.ssh.allowedSignersFile";

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
    out.extend(signoff_findings(results, signatures, policy));
    out
}

/// The findings about the sign-offs: each one's digest, signature, role and date, the
/// separation of duties, and the roles required.
fn signoff_findings(results: &Results, signatures: &[Signature], policy: &Policy<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    if results.signoffs.is_empty() {
        out.push(error("signoff", "not-signed", "not signed off"));
    }
    let latest_answer = results.answers.iter().filter_map(|a| a.at.map(|t| (t, &a.item))).max();
    // The period begins on its first day in the earliest time zone (UTC+14).
    let period_start = results
        .period
        .first_day()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp() - jiff::SignedDuration::from_hours(14))
        .ok();
    // Which sign-offs count: index, and whether it is valid.
    let mut valid: Vec<usize> = Vec::new();
    for (i, (s, state)) in results.signoff_states().into_iter().enumerate() {
        let label = signoff_label(results, i);
        let mut ok = true;
        let mut push = |code: &'static str, message: String| {
            ok = false;
            out.push(error(&label, code, message));
        };
        if let SignOffState::Void { signed, now } = state {
            push(
                "signoff-void",
                format!(
                    "void: the answers changed after it was made (signed {signed}, content is now {now}): the review must be signed again"
                ),
            );
        }
        if !policy.roles.is_empty() && !policy.roles.contains(&s.role) {
            push(
                "unknown-role",
                format!("role {:?} is not one of this repository's roles ({})", s.role, policy.roles.join(", ")),
            );
        }
        match signatures.get(i).cloned().unwrap_or_else(|| Signature::unchecked(s)) {
            _ if policy.skip_signatures => {}
            Signature::Absent => {
                push("unsigned", "unsigned: it has no SSH signature, so nothing shows who made it".into())
            }
            Signature::NotChecked | Signature::Unverified { .. } => push(
                "signature-unchecked",
                format!("signature not checked: no allowed signers for role {:?} ({HOW_TO_GIVE_SIGNERS})", s.role),
            ),
            Signature::Bad { reason } => push("signature-invalid", reason),
            Signature::Verified { .. } => {}
        }
        if let Some(now) = policy.now
            && s.at > now + CLOCK_SKEW
        {
            push("signoff-future", format!("dated {}, in the future (it is now {})", ts(s.at), ts(now)));
        }
        if let Some((t, item)) = latest_answer
            && s.at < t
        {
            push(
                "signoff-before-answers",
                format!("dated {}, before the answers it covers (item {item} was answered {})", ts(s.at), ts(t)),
            );
        }
        if let Some(start) = period_start
            && s.at < start
        {
            push(
                "signoff-before-period",
                format!(
                    "dated {}, before its period {} began ({} in UTC+14, the earliest time zone)",
                    ts(s.at),
                    results.period,
                    ts(start)
                ),
            );
        }
        if ok {
            valid.push(i);
        }
    }
    // Separation of duties: one person (an email or a key) signs in one role only.
    let mut counted: Vec<usize> = Vec::new();
    for &i in &valid {
        let s = &results.signoffs[i];
        match counted.iter().map(|&j| &results.signoffs[j]).find(|o| o.role != s.role && same_person(o, s)) {
            Some(o) => out.push(error(
                signoff_label(results, i),
                "separation-of-duties",
                format!(
                    "signed as {} by the same person who signed as {} ({} <{}>): each role needs a different person and key",
                    s.role, o.role, o.name, o.email
                ),
            )),
            None => counted.push(i),
        }
    }
    for role in policy.require_roles {
        if !counted.iter().any(|&i| results.signoffs[i].role == *role) {
            out.push(error("signoff", "role-missing", format!("no valid sign-off with role {role:?}")));
        }
    }
    out
}

/// Do two sign-offs come from the same person: the same email (ignoring case) or the same key?
pub fn same_person(a: &SignOff, b: &SignOff) -> bool {
    a.email.eq_ignore_ascii_case(&b.email) || (a.key.is_some() && a.key == b.key)
}

fn ts(t: jiff::Timestamp) -> String {
    crate::model::results::format_timestamp(t)
}
