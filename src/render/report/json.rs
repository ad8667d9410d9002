//! The JSON report: the same data as the Markdown report, for machines.
//!
//! The structure is stable (`privcheck_report` is its version, raised on any incompatible
//! change; fields may be added). Texts are as written in the results files and checklists
//! (JSON escapes control characters); dates are `YYYY-MM-DD`, times `YYYY-MM-DDTHH:MM:SSZ`.
//!
//! ```text
//! {
//!   "privcheck_report": 2,
//!   "today": "2026-11-25",              // the day overdue is counted against
//!   "periods": "latest" | "all" | "2026-Q3",   // which periods the roll-up shows
//!   "rollup": [                         // one row per file shown, sorted by product, period, file
//!     { "product", "period", "file",
//!       "answered",                     // answered and confirmed (a carried answer counts once confirmed)
//!       "total", "percent", "fail", "overdue", "to_confirm",
//!       "verify": "ok" | "findings" | "unreadable",   // what `privcheck verify` says
//!       "findings",                     // how many
//!       "signoff": "valid" | "unverified" | "unsigned" | "void" | "invalid" | "none",
//!       "verified",                     // every sign-off's signature checked against a signer list, and verified
//!       "roles": [role],                // the roles with a valid, checked sign-off
//!       "by_id" }                       // answered against another checklist set: items by id
//!   ],
//!   "not_shown",                        // files read but of another period (older, by default)
//!   "overdue": [                        // by owner, then due date, product, item
//!     { "owner", "due", "days_overdue", "product", "period", "item", "ticket", "file" } ],
//!   "failures": [                       // the most often failed first
//!     { "item", "question", "failing", "of", "products": [product] } ],
//!   "unreadable": [ { "file", "line", "column" (or null), "message" } ],
//!   "skipped": [ { "file", "reason" } ],      // TOML files that are not results files
//!   "files": [                          // in the roll-up's order
//!     { "file", "product", "period", "start", "end", "by_id",
//!       "signoff",                      // the worst of its sign-offs, "none" without any
//!       "signoffs": [ { "role", "name", "email", "at", "state", "key" (or null) } ],
//!       "verified", "roles",
//!       "progress": { "total", "answered", "percent", "pass", "fail", "not_applicable", "unreviewed" },
//!       "confirmed",                    // progress.answered less the carried answers not yet confirmed
//!       "overdue",                      // failed items with a remediation due before today
//!       "areas": [ { "id", "title", ...the progress counts } ],
//!       "failed", "not_applicable", "unreviewed", "carried": [ ITEM ],
//!       "clauses": [ { "document", "effective", "section", "quote", "items": [id] } ],
//!       "verify": { "result", "findings": [ { "subject", "code", "level", "message" } ],
//!                   "error" (or null) } }
//!   ]
//! }
//! ITEM = { "item", "area", "area_title", "question", "severity" (or null), "status", "note",
//!          "evidence": [..], "reason", "automatic",
//!          "remediation": { "owner", "due" (or null), "ticket", "overdue" } or null,
//!          "by", "at" (or null),
//!          "carried": { "from", "status", "changed" } or null }
//! ```

use super::rollup::Rollup;
use super::{FileReport, Report};

/// The report as pretty-printed JSON, ending with a newline.
pub fn write(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("plain data always serialises");
    s.push('\n');
    s
}

/// [`write`] in parts, for a report written as it is made: `head`, then [`file_part`] of
/// each file in the roll-up's order (the first with `first`), then [`TAIL`]. The same text.
pub fn head(rollup: &Rollup) -> String {
    let empty = Report { rollup: rollup.clone(), files: Vec::new() };
    let s = serde_json::to_string_pretty(&empty).expect("plain data always serialises");
    // The report ends `"files": []` and `}`: open the array instead.
    let open = s.strip_suffix("[]\n}").expect("the files come last in a report");
    format!("{open}[\n")
}

/// One file of [`head`]'s array: as `write` nests it (two levels in, so four spaces more on
/// every line: a string in JSON never holds a line break).
pub fn file_part(f: &FileReport, first: bool) -> String {
    let s = serde_json::to_string_pretty(f).expect("plain data always serialises");
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    if !first {
        out.push_str(",\n");
    }
    for (k, line) in s.lines().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        out.push_str("    ");
        out.push_str(line);
    }
    out
}

/// The end of [`head`]'s report.
pub const TAIL: &str = "\n  ]\n}\n";

#[cfg(test)]
mod tests {
    use super::super::tests::{results, today};
    use super::super::{Report, build};
    use super::*;

    #[test]
    fn written_in_parts_it_is_the_same_text() {
        let (s, r) = results();
        let mut other = r.clone();
        other.product = "Other \"quoted\"\nproduct".into();
        let files = vec![build("b.toml", &other, &s, &[], today()), build("a.toml", &r, &s, &[], today())];
        let report = Report::new(files, today());
        let mut parts = head(&report.rollup);
        for (k, f) in report.files.iter().enumerate() {
            parts.push_str(&file_part(f, k == 0));
        }
        parts.push_str(TAIL);
        assert_eq!(parts, write(&report));
    }

    #[test]
    fn structure_is_as_documented() {
        let (s, r) = results();
        let text = write(&Report::new(vec![build("r.toml", &r, &s, &[], today())], today()));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["privcheck_report"], 2);
        assert_eq!(v["today"], "2026-11-25");
        assert_eq!(v["rollup"][0]["signoff"], "unsigned");
        assert_eq!(v["rollup"][0]["overdue"], 1);
        let f = &v["files"][0];
        assert_eq!(f["progress"]["answered"], 3);
        assert_eq!(f["progress"]["to_confirm"], 1);
        assert_eq!(f["areas"][0]["title"], "Minors");
        assert_eq!(f["areas"][0]["fail"], 2);
        assert_eq!(f["failed"][0]["remediation"]["due"], "2020-01-01");
        assert_eq!(f["failed"][0]["remediation"]["overdue"], true);
        assert_eq!(f["failed"][0]["severity"], "high");
        assert_eq!(f["not_applicable"][0]["status"], "not_applicable");
        assert_eq!(f["carried"][0]["carried"]["from"], "2026-Q3");
        assert_eq!(f["clauses"][0]["items"][1], "minors.parental");
        assert_eq!(f["signoffs"][0]["key"], serde_json::Value::Null);
        assert_eq!(f["policy"], serde_json::Value::Null);
        assert_eq!(f["policy_gaps"], serde_json::json!([]));
    }
}
