//! The roll-up of many results files: one row per file, the latest period of each product
//! by default, the overdue remediations across teams by owner and due date (POA&M style),
//! and the failures across teams by item.
//!
//! [`Summary::of`] keeps of a [`FileReport`] what the roll-up needs (a few hundred bytes,
//! however long the file); [`rollup`] turns the summaries into the [`Rollup`]: a pure
//! function of the files, which `privcheck report` writes and a terminal browser can show.

use super::{FileReport, RemediationView, VerifyResult};
use crate::model::period::Period;
use crate::model::signoff::SignOffStatus;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Which periods the roll-up shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Periods {
    /// The latest period of each product (the default): superseded quarters are left out.
    #[default]
    Latest,
    /// Every period.
    All,
    /// One period.
    One(Period),
}

impl Periods {
    /// As in the JSON report: `latest`, `all` or the period.
    pub fn name(&self) -> String {
        match self {
            Periods::Latest => "latest".to_string(),
            Periods::All => "all".to_string(),
            Periods::One(p) => p.to_string(),
        }
    }
}

/// One row of the roll-up: one results file at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RollupRow {
    pub product: String,
    pub period: String,
    pub file: String,
    /// Answered and confirmed: an answer carried from an earlier period and not yet
    /// confirmed does not count.
    pub answered: usize,
    pub total: usize,
    /// `answered * 100 / total`, rounded down.
    pub percent: usize,
    pub fail: usize,
    pub overdue: usize,
    /// Answers carried from an earlier period and not yet confirmed.
    pub to_confirm: usize,
    /// What `privcheck verify` says: `ok`, `findings` or `unreadable`.
    pub verify: VerifyResult,
    /// How many findings.
    pub findings: usize,
    /// The worst state of its sign-offs.
    pub signoff: SignOffStatus,
    /// Every sign-off's signature was checked against a signer list (and verified).
    pub verified: bool,
    /// The roles with a valid, checked sign-off.
    pub roles: Vec<String>,
    /// Read by item id: it answers another checklist set than the one in force.
    pub by_id: bool,
}

/// A remediation past its due date, for the overdue list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueRow {
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    /// Days from the due date to today.
    pub days_overdue: i64,
    pub product: String,
    pub period: String,
    pub item: String,
    pub ticket: String,
    pub file: String,
}

/// One item that fails somewhere, for the failures by item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailureRow {
    pub item: String,
    /// The item's question (empty when no file's checklists have it).
    pub question: String,
    /// How many of the roll-up's products fail it...
    pub failing: usize,
    /// ... of how many products.
    pub of: usize,
    /// The products that fail it, sorted.
    pub products: Vec<String>,
}

/// A file that could not be read, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    pub file: String,
    /// 1-based; `null` when the error has no place in the file (it cannot be opened).
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Unreadable {
    /// `FILE:LINE:COL: message`, or `FILE: message`.
    pub fn describe(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}: {}", self.file, self.message),
            _ => format!("{}: {}", self.file, self.message),
        }
    }
}

/// A TOML file under a directory that is not a results file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

/// What the roll-up keeps of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub row: RollupRow,
    /// The day the file's dates were judged on (`--as-of`, per file): what days overdue
    /// count from. The overdue rows are built from `failed` for the files shown only.
    pub day: Date,
    /// The failed items, in checklist order.
    pub failed: Vec<Failed>,
}

/// A failed item of a file: what the failures by item and a view of one item across
/// teams need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub item: std::sync::Arc<str>,
    /// Empty when the checklists in force do not have the item.
    pub question: std::sync::Arc<str>,
    /// What will be done, when the file records it.
    pub remediation: Option<RemediationView>,
}

impl Summary {
    /// The summary of a file's report; `today` counts the days overdue.
    pub fn of(f: &FileReport, today: Date) -> Summary {
        let row = RollupRow {
            product: f.product.clone(),
            period: f.period.clone(),
            file: f.file.clone(),
            answered: f.progress.answered(),
            total: f.progress.total,
            percent: f.progress.percent(),
            fail: f.progress.fail,
            overdue: f.overdue,
            to_confirm: f.progress.to_confirm,
            verify: f.verify.result,
            findings: f.verify.findings.len(),
            signoff: f.signoff,
            verified: f.verified,
            roles: f.roles.clone(),
            by_id: f.by_id,
        };
        let failed = f
            .failed
            .iter()
            .map(|v| Failed {
                item: shared(&v.item),
                question: shared(&v.question),
                remediation: v.remediation.clone(),
            })
            .collect();
        Summary { row, day: today, failed }
    }
}

/// One copy of each item id and question per thread, however many files fail the item:
/// a roll-up of thousands of files keeps their failed items without a copy of the text each.
fn shared(text: &str) -> std::sync::Arc<str> {
    thread_local! {
        static TEXTS: std::cell::RefCell<std::collections::HashSet<std::sync::Arc<str>>> = Default::default();
    }
    TEXTS.with(|t| {
        let mut t = t.borrow_mut();
        match t.get(text) {
            Some(a) => a.clone(),
            None => {
                let a: std::sync::Arc<str> = text.into();
                t.insert(a.clone());
                a
            }
        }
    })
}

impl Summary {
    /// The file's overdue remediations as rows of the roll-up's overdue list (built when
    /// the roll-up is, not kept for every file read).
    pub fn overdue_rows(&self) -> impl Iterator<Item = OverdueRow> + '_ {
        self.failed.iter().filter_map(|v| {
            let r = v.remediation.as_ref().filter(|r| r.overdue)?;
            let due = r.due.clone()?;
            let days = due.parse::<Date>().ok().and_then(|d| d.until(self.day).ok()).map_or(0, |s| s.get_days().into());
            Some(OverdueRow {
                owner: r.owner.clone(),
                due,
                days_overdue: days,
                product: self.row.product.clone(),
                period: self.row.period.clone(),
                item: v.item.to_string(),
                ticket: r.ticket.clone(),
                file: self.row.file.clone(),
            })
        })
    }
}

/// The roll-up: what comes before the files' details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rollup {
    /// The version of this structure ([`super::REPORT_SCHEMA`]).
    pub privcheck_report: u32,
    /// The day overdue remediations were counted against, `YYYY-MM-DD`.
    pub today: String,
    /// Which periods are shown: `latest` (of each product), `all`, or one period.
    pub periods: String,
    /// One row per file shown, sorted by product, then period, then file.
    pub rollup: Vec<RollupRow>,
    /// Files read but not shown: an older period of a product, or another period than the
    /// one asked for.
    pub not_shown: usize,
    /// The overdue remediations of the files shown, by owner, then due date, product, item.
    pub overdue: Vec<OverdueRow>,
    /// The items failed in the files shown, the most often failed first.
    pub failures: Vec<FailureRow>,
    /// The files that could not be read, in the order found.
    pub unreadable: Vec<Unreadable>,
    /// TOML files found in directories that are not results files.
    pub skipped: Vec<Skipped>,
}

/// The roll-up of `summaries` (of files read in any order): the rows `periods` selects,
/// sorted by product, then period, then file, and what they add up to. Returns it with the
/// index in `summaries` of each row, in the roll-up's order.
pub fn rollup(
    summaries: &[Summary],
    periods: &Periods,
    unreadable: Vec<Unreadable>,
    skipped: Vec<Skipped>,
    today: Date,
) -> (Rollup, Vec<usize>) {
    let latest: BTreeMap<&str, &str> = match periods {
        Periods::Latest => {
            let mut m: BTreeMap<&str, &str> = BTreeMap::new();
            for s in summaries {
                // Periods are written `YYYY-Qn`: their text sorts as they do.
                let e = m.entry(s.row.product.as_str()).or_insert(s.row.period.as_str());
                if s.row.period.as_str() > *e {
                    *e = s.row.period.as_str();
                }
            }
            m
        }
        _ => BTreeMap::new(),
    };
    let shown = |s: &Summary| match periods {
        Periods::All => true,
        Periods::Latest => latest.get(s.row.product.as_str()) == Some(&s.row.period.as_str()),
        Periods::One(p) => s.row.period == p.to_string(),
    };
    let mut order: Vec<usize> = (0..summaries.len()).filter(|&i| shown(&summaries[i])).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&summaries[a].row, &summaries[b].row);
        (&a.product, &a.period, &a.file).cmp(&(&b.product, &b.period, &b.file))
    });
    let mut overdue: Vec<OverdueRow> = order.iter().flat_map(|&i| summaries[i].overdue_rows()).collect();
    overdue.sort_by(|a, b| {
        (&a.owner, &a.due, &a.product, &a.period, &a.item, &a.file)
            .cmp(&(&b.owner, &b.due, &b.product, &b.period, &b.item, &b.file))
    });
    let products: BTreeSet<&str> = order.iter().map(|&i| summaries[i].row.product.as_str()).collect();
    let mut failing: BTreeMap<&str, (&str, BTreeSet<&str>)> = BTreeMap::new();
    for &i in &order {
        let s = &summaries[i];
        for Failed { item, question, .. } in &s.failed {
            let e = failing.entry(item).or_insert((question, BTreeSet::new()));
            if e.0.is_empty() {
                e.0 = question;
            }
            e.1.insert(s.row.product.as_str());
        }
    }
    let mut failures: Vec<FailureRow> = failing
        .into_iter()
        .map(|(item, (question, p))| FailureRow {
            item: item.to_string(),
            question: question.to_string(),
            failing: p.len(),
            of: products.len(),
            products: p.into_iter().map(str::to_string).collect(),
        })
        .collect();
    failures.sort_by(|a, b| b.failing.cmp(&a.failing).then_with(|| a.item.cmp(&b.item)));
    let rollup = Rollup {
        privcheck_report: super::REPORT_SCHEMA,
        today: today.to_string(),
        periods: periods.name(),
        rollup: order.iter().map(|&i| summaries[i].row.clone()).collect(),
        not_shown: summaries.len() - order.len(),
        overdue,
        failures,
        unreadable,
        skipped,
    };
    (rollup, order)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{results, today};
    use super::super::{build, build_by_id};
    use super::*;

    fn summary(product: &str, period: &str, file: &str) -> Summary {
        let (s, mut r) = results();
        r.product = product.into();
        r.period = period.parse().unwrap();
        Summary::of(&build(file, &r, &s, &[], today()), today())
    }

    #[test]
    fn latest_period_of_each_product_by_default() {
        let files = [
            summary("Checkout", "2026-Q3", "c3"),
            summary("Checkout", "2026-Q4", "c4"),
            summary("Accounts", "2025-Q4", "a"),
            summary("Checkout", "2025-Q4", "c0"),
        ];
        let key = |r: &Rollup| r.rollup.iter().map(|r| r.file.clone()).collect::<Vec<_>>();
        let (latest, order) = rollup(&files, &Periods::Latest, vec![], vec![], today());
        assert_eq!(key(&latest), ["a", "c4"]);
        assert_eq!(order, [2, 1]);
        assert_eq!(latest.not_shown, 2);
        assert_eq!(latest.periods, "latest");
        let (all, _) = rollup(&files, &Periods::All, vec![], vec![], today());
        assert_eq!(key(&all), ["a", "c0", "c3", "c4"]);
        assert_eq!(all.not_shown, 0);
        let (one, _) = rollup(&files, &Periods::One("2025-Q4".parse().unwrap()), vec![], vec![], today());
        assert_eq!(key(&one), ["a", "c0"]);
        assert_eq!(one.periods, "2025-Q4");
    }

    #[test]
    fn overdue_by_owner_and_failures_by_item_across_teams() {
        let files = [summary("Checkout", "2026-Q4", "c"), summary("Accounts", "2026-Q4", "a")];
        let (r, _) = rollup(&files, &Periods::Latest, vec![], vec![], today());
        // Each file has minors.age-gate overdue since 2020-01-01 (owner Bob, PRIV-1).
        assert_eq!(r.overdue.len(), 2);
        assert_eq!(
            (r.overdue[0].owner.as_str(), r.overdue[0].product.as_str(), r.overdue[0].item.as_str()),
            ("Bob", "Accounts", "minors.age-gate")
        );
        assert_eq!(r.overdue[0].due, "2020-01-01");
        assert_eq!(r.overdue[0].days_overdue, 2520);
        assert_eq!(r.overdue[0].ticket, "PRIV-1");
        assert_eq!(r.failures.len(), 2);
        assert_eq!((r.failures[0].item.as_str(), r.failures[0].failing, r.failures[0].of), ("minors.age-gate", 2, 2));
        assert_eq!(r.failures[0].products, ["Accounts", "Checkout"]);
        assert_eq!(r.failures[0].question, "Is age-gate done?");
    }

    #[test]
    fn rows_count_confirmed_answers_only() {
        let (s, r) = results();
        let row = Summary::of(&build("r", &r, &s, &[], today()), today()).row;
        // 4 answered, one of them carried and not confirmed.
        assert_eq!((row.answered, row.total, row.percent, row.to_confirm), (3, 5, 60, 1));
        assert!(!row.verified && row.roles.is_empty());
        assert_eq!(row.signoff, SignOffStatus::Unsigned);
    }

    #[test]
    fn a_file_of_another_set_is_read_by_id() {
        let (s, mut r) = results();
        r.answers[0].item = "team.own-item".into();
        let f = build_by_id("r", &r, &s, &[], today());
        assert!(f.by_id);
        assert_eq!(f.progress.total, 5);
        assert_eq!(f.areas[0].id, "team");
        assert_eq!(f.failed[0].item, "team.own-item");
        assert_eq!(f.failed[0].question, "");
        assert_eq!(f.failed[0].severity, None);
        assert_eq!(f.areas.iter().map(|a| a.title.as_str()).collect::<Vec<_>>(), ["team", "Minors", "Security"]);
    }
}
