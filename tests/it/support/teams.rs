//! Results files of several teams for the `report` and `export` tests, built with the
//! library: complete reviews, an overdue remediation, a carried answer, a void sign-off,
//! and text that tries to break Markdown and terminals.

use super::results::*;
use privcheck::model::results::{Carried, Results, SignOff, Status};
use std::path::{Path, PathBuf};

/// Far enough ahead never to be overdue while these tests live.
pub const FUTURE: &str = "2099-12-31";
/// Long past: always overdue.
pub const PAST: &str = "2020-01-01";

/// A complete review by one team: [`complete_results`] with the product and period given,
/// every remediation due in [`FUTURE`], no sign-off.
pub fn team(product: &str, period: &str) -> Results {
    let mut r = complete_results(&set());
    r.product = product.to_string();
    r.period = period.parse().unwrap();
    for a in &mut r.answers {
        if let Some(rem) = a.remediation.as_mut() {
            rem.due = Some(FUTURE.parse().unwrap());
        }
    }
    r
}

/// A sign-off by Ann whose digest is `digest`, unsigned.
pub fn signoff(digest: &str, role: &str) -> SignOff {
    SignOff {
        name: NAME.to_string(),
        email: EMAIL.to_string(),
        role: role.to_string(),
        at: time(100_000),
        digest: digest.to_string(),
        key: None,
        signature: None,
    }
}

/// The index of the `n`-th (0-based) answer a reviewer gave with `status`.
pub fn nth(r: &Results, status: Status, n: usize) -> usize {
    r.answers.iter().enumerate().filter(|(_, a)| a.status == status && !a.auto).nth(n).unwrap().0
}

/// Checkout, 2026-Q4: the first failure overdue (due [`PAST`]); the second pass made
/// unreviewed; the third pass carried from 2026-Q3 and not confirmed; signed off, then
/// changed, so its sign-off is void.
pub fn checkout_q4() -> Results {
    let mut r = team(PRODUCT, "2026-Q4");
    let f = first(&r, Status::Fail);
    r.answers[f].remediation.as_mut().unwrap().due = Some(PAST.parse().unwrap());
    let u = nth(&r, Status::Pass, 1);
    let a = &mut r.answers[u];
    a.status = Status::Unreviewed;
    a.note.clear();
    a.evidence.clear();
    a.by.clear();
    a.at = None;
    let c = nth(&r, Status::Pass, 2);
    r.answers[c].carried = Some(Carried { from: "2026-Q3".parse().unwrap(), status: Status::Pass, changed: false });
    let mut old = r.clone();
    old.answers[0].note.push_str(" (before the last edit)");
    r.signoffs.push(signoff(&old.content_digest(), "reviewer"));
    r
}

/// A complete review with a current sign-off that has no SSH signature.
pub fn signed_unsigned(product: &str, period: &str) -> Results {
    let mut r = team(product, period);
    let digest = r.content_digest();
    r.signoffs.push(signoff(&digest, "reviewer"));
    r
}

/// Writes `r` at `dir/rel`, creating folders; returns the path.
pub fn write(dir: &Path, rel: &str, r: &Results) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    save(&p, r);
    p
}

/// Three teams' results under `home/teams`, in folders whose order is not the products':
/// `accounts` (Accounts 2026-Q4, current unsigned sign-off), `search` (Search 2026-Q4, not
/// signed off) and `zz-checkout` (Checkout 2026-Q3 current unsigned, and [`checkout_q4`]).
pub fn teams(home: &Path) -> Vec<(String, Results)> {
    let files = vec![
        ("teams/accounts/privcheck-2026-Q4.toml".to_string(), signed_unsigned("Accounts", "2026-Q4")),
        ("teams/search/privcheck-2026-Q4.toml".to_string(), team("Search", "2026-Q4")),
        ("teams/zz-checkout/privcheck-2026-Q3.toml".to_string(), signed_unsigned(PRODUCT, "2026-Q3")),
        ("teams/zz-checkout/privcheck-2026-Q4.toml".to_string(), checkout_q4()),
    ];
    for (rel, r) in &files {
        write(home, rel, r);
    }
    files
}

/// Text that tries to break Markdown and terminals.
pub const HOSTILE: &str = "Evil | team `rm -rf` <script>alert(1)</script>\n# injected\x1b[31m *red* [x](http://e)";

/// The `|` of a line not escaped by a backslash.
pub fn unescaped_pipes(line: &str) -> usize {
    let mut n = 0;
    let mut backslashes = 0;
    for c in line.chars() {
        if c == '|' && backslashes % 2 == 0 {
            n += 1;
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
    }
    n
}

/// Every row of every Markdown table has as many unescaped `|` as its header; returns how
/// many tables there are.
pub fn assert_tables_intact(text: &str) -> usize {
    let mut header: Option<usize> = None;
    let mut tables = 0;
    for line in text.lines() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        let n = unescaped_pipes(line);
        match header {
            None => {
                header = Some(n);
                tables += 1;
            }
            Some(h) => assert_eq!(n, h, "a table row has {n} cell separators, its header {h}:\n{line}"),
        }
    }
    tables
}
