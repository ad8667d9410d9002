//! A results file as MITRE SAF attestations (`saf attest apply`): a JSON array of
//! `{control_id, explanation, frequency, status, updated, updated_by}`.
//!
//! SAF attests a control as `passed` or `failed` only, so only items answered `pass` or
//! `fail` become attestations. Items that are not applicable or unreviewed are left out,
//! without a message: an attestation cannot say "not applicable" or "not reviewed", and
//! inventing a status for them would be false. (An answer carried from an earlier period and
//! not yet confirmed is exported with its original date, so SAF expires it on time, and its
//! explanation says it is unconfirmed.)
//!
//! - `control_id`: the item id;
//! - `explanation`: the product and period, the item's question, the note, the evidence,
//!   and for a failure its remediation (owner, due date, ticket); control characters are
//!   made visible;
//! - `frequency`: `quarterly` (privcheck reviews every quarter);
//! - `updated`: the date (UTC) the answer was given, else of the latest time in the file,
//!   else the period's first day; `updated_by`: who answered (`unknown` when not recorded).

use crate::model::checklist::ChecklistSet;
use crate::model::results::{Results, Status};
use crate::render::text::escape_controls_multiline as clean;
use serde::Serialize;

/// One SAF attestation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attestation {
    pub control_id: String,
    pub explanation: String,
    pub frequency: &'static str,
    pub status: &'static str,
    pub updated: String,
    pub updated_by: String,
}

/// The attestations for `results`, in checklist order.
pub fn attestations(results: &Results, set: &ChecklistSet) -> Vec<Attestation> {
    let latest = super::oscal::latest_time(results);
    let fallback =
        latest.map_or_else(|| results.period.first_day().to_string(), |t| t.strftime("%Y-%m-%d").to_string());
    let mut out = Vec::new();
    for item in set.items() {
        let Some(a) = results.answer(&item.id) else { continue };
        let status = match a.status {
            Status::Pass => "passed",
            Status::Fail => "failed",
            Status::NotApplicable | Status::Unreviewed => continue,
        };
        let mut lines = vec![
            format!(
                "privcheck review of {} for {}: {}.",
                clean(&results.product),
                results.period,
                if a.status == Status::Pass { "pass" } else { "FAIL" }
            ),
            clean(&item.question),
        ];
        if let Some(r) = a.remediation.as_ref().filter(|_| a.status == Status::Fail) {
            let or_none = |s: &str| if s.trim().is_empty() { "none".to_string() } else { clean(s.trim()) };
            lines.push(format!(
                "Remediation: owner {}, due {}, ticket {}.",
                or_none(&r.owner),
                r.due.map_or_else(|| "none".to_string(), |d| d.to_string()),
                or_none(&r.ticket)
            ));
        }
        if !a.note.trim().is_empty() {
            lines.push(format!("Note: {}", clean(a.note.trim())));
        }
        if !a.evidence.is_empty() {
            let evidence: Vec<String> = a.evidence.iter().map(|e| clean(e)).collect();
            lines.push(format!("Evidence: {}", evidence.join("; ")));
        }
        if let Some(c) = a.carried.as_ref().filter(|c| !c.changed) {
            lines.push(format!("Carried from {}, not yet confirmed in {}.", c.from, results.period));
        }
        out.push(Attestation {
            control_id: item.id.clone(),
            explanation: lines.join("\n"),
            frequency: "quarterly",
            status,
            updated: a.at.map_or_else(|| fallback.clone(), |t| t.strftime("%Y-%m-%d").to_string()),
            updated_by: if a.by.trim().is_empty() { "unknown".to_string() } else { clean(a.by.trim()) },
        });
    }
    out
}

/// The attestations as pretty JSON with a final newline.
pub fn export(results: &Results, set: &ChecklistSet) -> String {
    let mut s = serde_json::to_string_pretty(&attestations(results, set)).expect("plain data always serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::report::tests::results;

    #[test]
    fn only_pass_and_fail_become_attestations() {
        let (s, r) = results();
        let a = attestations(&r, &s);
        let ids: Vec<(&str, &str)> = a.iter().map(|a| (a.control_id.as_str(), a.status)).collect();
        assert_eq!(
            ids,
            [("minors.age-gate", "failed"), ("minors.parental", "failed"), ("security.encryption", "passed")]
        );
        assert_eq!(a[0].frequency, "quarterly");
        assert_eq!(a[0].updated, "2026-09-21");
        assert_eq!(a[0].updated_by, "Ann");
        assert_eq!(
            a[0].explanation,
            "privcheck review of Checkout for 2026-Q4: FAIL.\nIs age-gate done?\nRemediation: owner Bob, due 2020-01-01, ticket PRIV-1.\nNote: Fails on web.\nEvidence: https://tickets.example.com/PRIV-1"
        );
        assert!(
            a[2].explanation.ends_with("Carried from 2026-Q3, not yet confirmed in 2026-Q4."),
            "{}",
            a[2].explanation
        );
    }
}
