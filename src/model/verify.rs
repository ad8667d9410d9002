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

/// A finding with `code`, at the level [`CODES`] gives it.
fn error(subject: impl Into<String>, code: &'static str, message: impl Into<String>) -> Finding {
    Finding { subject: subject.into(), code, level: level_of(code), message: message.into() }
}

/// A finding code as the README documents it: what it means and what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub level: Level,
    pub meaning: &'static str,
    pub what_to_do: &'static str,
}

const fn code(code: &'static str, level: Level, meaning: &'static str, what_to_do: &'static str) -> Code {
    Code { code, level, meaning, what_to_do }
}

/// Every code a finding of `verify` can have, with its level: the one list of them (the
/// README's table is [`markdown_table`] of it; a test checks they agree).
pub const CODES: &[Code] = &[
    code(
        "checklist-missing",
        Level::Error,
        "a checklist of the active set is not recorded in the results",
        "open the file in `privcheck review` (it records the set) and answer the new items",
    ),
    code(
        "checklist-version",
        Level::Error,
        "the results were answered against another version of a checklist",
        "review the file again with the active checklists, or verify with the `--checklists` it was answered against",
    ),
    code("scope-unanswered", Level::Error, "a scope question is not answered", "answer it in the review (`s`)"),
    code("missing", Level::Error, "an item of the checklist set has no answer in the file", "answer it in the review"),
    code("unanswered", Level::Error, "an item is not reviewed", "answer it: pass, fail or not applicable"),
    code(
        "missing-remediation",
        Level::Error,
        "a `fail` has no remediation, or one without owner or due date",
        "give the remediation's owner and due date (`r` in the review)",
    ),
    code("missing-reason", Level::Error, "a `not_applicable` has no reason", "give the reason (`R` in the review)"),
    code(
        "changed",
        Level::Error,
        "the item changed since the answer carried from an earlier period",
        "answer it again: the old answer is shown for reference",
    ),
    code(
        "carried-unconfirmed",
        Level::Error,
        "an answer carried from an earlier period is not confirmed",
        "confirm it (`c` in the review) or answer it again",
    ),
    code(
        "stale",
        Level::Error,
        "the answer was given against other content of the item (question, guidance, citations, ...)",
        "answer it again against the item as it is now",
    ),
    code(
        "overdue",
        Level::Warning,
        "a failed item's remediation was due before the day judged (today, or `--as-of`)",
        "do the remediation, or agree a new due date and sign again; `--deny overdue` makes it fail the gate",
    ),
    code(
        "not-signed",
        Level::Error,
        "the results have no sign-off",
        "sign off: `S` in the review, or `privcheck sign`",
    ),
    code(
        "signoff-void",
        Level::Error,
        "the content changed after the sign-off was made (an edit, or a merge)",
        "check the changes (`privcheck diff`), then sign again",
    ),
    code(
        "unknown-role",
        Level::Error,
        "a sign-off's role is not one of the repository's roles",
        "sign with a known role, or add the role to `roles` in .privcheck.toml",
    ),
    code(
        "unsigned",
        Level::Error,
        "a sign-off has no SSH signature",
        "sign with an SSH key (`privcheck sign --key`, or git's user.signingkey)",
    ),
    code(
        "signature-unchecked",
        Level::Error,
        "no signer list is in force for the sign-off's role, so its signature says nothing",
        HOW_TO_GIVE_SIGNERS,
    ),
    code(
        "signature-invalid",
        Level::Error,
        "a signature does not verify, or its key may not sign for the signer",
        "sign again with a key of the signer list, or add the signer's key to it (through review)",
    ),
    code(
        "signoff-future",
        Level::Error,
        "a sign-off is dated in the future (beyond five minutes of clock skew)",
        "fix the signer's clock and sign again",
    ),
    code(
        "signoff-before-answers",
        Level::Error,
        "a sign-off is dated before the latest answer it covers",
        "sign again",
    ),
    code(
        "signoff-before-period",
        Level::Error,
        "a sign-off is dated before its period began",
        "sign again within the period",
    ),
    code(
        "separation-of-duties",
        Level::Error,
        "the same person (email or key) signed in two roles",
        "have each role signed by a different person and key",
    ),
    code(
        "role-missing",
        Level::Error,
        "no valid sign-off has a role that is required",
        "have someone sign with that role (`privcheck sign --role ROLE`)",
    ),
];

/// The level of `code` ([`CODES`]); an undocumented code is an error.
pub fn level_of(code: &str) -> Level {
    CODES.iter().find(|c| c.code == code).map_or(Level::Error, |c| c.level)
}

/// What `--deny` takes besides a code: every warning.
pub const DENY_WARNINGS: &str = "warnings";

/// Checks a `--deny` value: a code of [`CODES`] or `warnings`.
pub fn check_deny(value: &str) -> Result<(), String> {
    if value == DENY_WARNINGS || CODES.iter().any(|c| c.code == value) {
        Ok(())
    } else {
        let codes: Vec<&str> = CODES.iter().map(|c| c.code).collect();
        Err(format!("{value:?} is not a finding code: give `warnings` or one of {}", codes.join(", ")))
    }
}

/// The findings with every warning that `deny` names (by code, or all with `warnings`)
/// made an error: a denied warning fails the gate.
pub fn deny(mut findings: Vec<Finding>, deny: &[String]) -> Vec<Finding> {
    let all = deny.iter().any(|d| d == DENY_WARNINGS);
    for f in &mut findings {
        if f.level == Level::Warning && (all || deny.iter().any(|d| d == f.code)) {
            f.level = Level::Error;
        }
    }
    findings
}

/// Does any finding fail the gate (an error, including a denied warning)?
pub fn fails(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.level == Level::Error)
}

/// The README's table of the codes: code, level, meaning, what to do.
pub fn markdown_table() -> String {
    let mut s = String::from("| code | level | meaning | what to do |\n|---|---|---|---|\n");
    for c in CODES {
        let level = match c.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        s.push_str(&format!("| `{}` | {level} | {} | {} |\n", c.code, c.meaning, c.what_to_do));
    }
    s
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
    debug_assert!(out.iter().all(|f| CODES.iter().any(|c| c.code == f.code)), "a finding code is not in CODES");
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::results::Problem;

    #[test]
    fn every_problem_code_is_documented_and_codes_are_unique() {
        let problems = [
            Problem::ScopeUnanswered,
            Problem::Missing,
            Problem::NotReviewed,
            Problem::NoRemediation,
            Problem::RemediationIncomplete(vec!["owner"]),
            Problem::NoReason,
            Problem::ChangedSince { from: "2026-Q3".parse().unwrap(), status: crate::model::results::Status::Pass },
            Problem::CarriedUnconfirmed {
                from: "2026-Q3".parse().unwrap(),
                status: crate::model::results::Status::Pass,
            },
            Problem::Stale { answered: String::new(), now: String::new() },
        ];
        for p in problems {
            assert!(CODES.iter().any(|c| c.code == p.code()), "{} is not in CODES", p.code());
        }
        let mut codes: Vec<&str> = CODES.iter().map(|c| c.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), CODES.len());
    }

    #[test]
    fn overdue_is_a_warning_until_denied() {
        assert_eq!(level_of("overdue"), Level::Warning);
        assert_eq!(level_of("stale"), Level::Error);
        let f = vec![error("a.x", "overdue", "late"), error("a.y", "stale", "old")];
        assert!(fails(&f), "an error fails");
        let warned = vec![error("a.x", "overdue", "late")];
        assert!(!fails(&warned));
        assert!(!fails(&deny(warned.clone(), &["stale".into()])));
        assert!(fails(&deny(warned.clone(), &["overdue".into()])));
        assert!(fails(&deny(warned, &[DENY_WARNINGS.into()])));
        assert!(check_deny("overdue").is_ok() && check_deny("warnings").is_ok());
        assert!(check_deny("late").unwrap_err().contains("overdue"));
    }
}
