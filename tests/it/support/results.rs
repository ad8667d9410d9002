//! Results built with the library: a complete review of a checklist set, with answers of
//! every kind, and small helpers to find, save and read answers.

use privcheck::model::checklist::ChecklistSet;
use privcheck::model::results::{Remediation, Results, Status};
use std::path::Path;

pub const PRODUCT: &str = "Checkout";
pub const PERIOD: &str = "2026-Q4";
pub const NAME: &str = "Ann Example";
pub const EMAIL: &str = "ann@example.com";

/// Text placed on the first answers of each kind by [`complete_results`], so tests can
/// find (and tamper with) them in the file.
pub const NOTE: &str = "Checked on staging; screenshots in the wiki.";
pub const EVIDENCE: &str = "https://wiki.example.com/privacy/evidence-1";
pub const OWNER: &str = "Bob Owner";
/// Far ahead, so that verify never finds the remediations overdue.
pub const DUE: &str = "2099-12-31";
pub const TICKET: &str = "PRIV-101";
pub const REASON: &str = "The product has no mobile app.";

/// The built-in checklist set.
pub fn set() -> ChecklistSet {
    privcheck::store::checklist_file::builtin()
}

/// A fixed time, `offset` seconds after 2026-09-21.
pub fn time(offset: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_790_000_000 + offset).unwrap()
}

/// A complete review of `set` (nothing signed off): every scope question answered (some
/// no, so their items are automatically not applicable), every other item answered in turn
/// pass, fail with a full remediation, or not applicable with a reason; notes (some on
/// several lines) and evidence on some.
pub fn complete_results(set: &ChecklistSet) -> Results {
    let mut r = Results::new(PRODUCT, PERIOD.parse().unwrap(), set);
    for q in &set.scope {
        let no = matches!(q.id.as_str(), "minors" | "translations");
        r.scope.insert(q.id.clone(), !no);
    }
    r.apply_scope(set, "privcheck", time(0));
    for (n, a) in r.answers.iter_mut().filter(|a| !a.auto).enumerate() {
        match n % 6 {
            2 => {
                a.status = Status::Fail;
                a.remediation = Some(Remediation {
                    owner: OWNER.to_string(),
                    due: Some(DUE.parse().unwrap()),
                    ticket: if n == 2 { TICKET.to_string() } else { format!("PRIV-{}", 100 + n) },
                });
                a.note = format!("Fails on the web sign-up path ({n}).\nMobile is fine.");
            }
            4 => {
                a.status = Status::NotApplicable;
                a.reason = if n == 4 { REASON.to_string() } else { format!("Not offered by the product ({n}).") };
            }
            _ => {
                a.status = Status::Pass;
                if n == 0 {
                    a.note = NOTE.to_string();
                    a.evidence = vec![EVIDENCE.to_string(), "src/signup/age_gate.rs".to_string()];
                } else if n % 3 == 0 {
                    a.evidence = vec![format!("https://tickets.example.com/PRIV-{n}")];
                }
            }
        }
        a.by = NAME.to_string();
        a.at = Some(time(60 * (n as i64 + 1)));
    }
    assert!(r.signoff_blockers(set).is_empty(), "complete_results is not complete: {:?}", r.signoff_blockers(set));
    r
}

/// Index of the first answer with `status` that a reviewer (not a scope answer) gave.
pub fn first(r: &Results, status: Status) -> usize {
    r.answers.iter().position(|a| a.status == status && !a.auto).unwrap()
}

pub fn save(path: &Path, r: &Results) {
    privcheck::store::results_file::save(path, r).unwrap();
}

/// Reads a results file with the library, against the built-in set.
pub fn load(path: &Path) -> Results {
    privcheck::store::results_file::read(path, &set()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A line diff of `old` and `new` (longest common subsequence): the indices of the lines
/// of `old` that were removed and of the lines of `new` that were added.
pub fn line_diff(old: &str, new: &str) -> (Vec<usize>, Vec<usize>) {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(j);
            j += 1;
        } else {
            removed.push(i);
            i += 1;
        }
    }
    (removed, added)
}

/// The 0-based line range of the `[[answers]]` block (with its sub-tables) answering `item`
/// in the text of a results file.
pub fn answer_block(text: &str, item: &str) -> std::ops::Range<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let at =
        lines.iter().position(|l| *l == format!("item = \"{item}\"")).unwrap_or_else(|| panic!("no answer {item}"));
    let start = (0..at).rev().find(|&i| lines[i] == "[[answers]]").unwrap();
    let end = (at + 1..lines.len()).find(|&i| lines[i].starts_with("[[")).unwrap_or(lines.len());
    start..end
}
