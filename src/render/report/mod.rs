//! What `privcheck report` and `privcheck export` say about results files.
//!
//! [`build`] turns one parsed results file into a [`FileReport`]: plain data, in checklist
//! order, with every text exactly as written in the file (the writers escape it for their
//! format); [`build_by_id`] does so for a file answered against another checklist set,
//! listing its items by id as the file has them. [`rollup::rollup`] gathers many files'
//! [`rollup::Summary`]s into the roll-up: the latest period of each product (or every
//! period, or one), overdue remediations by owner and failures by item, as a pure function
//! of the files (a terminal browser can use it as it is). The writers — [`markdown`],
//! [`json`], [`csv`], and the exports — are pure functions of that data: the date "today"
//! (which decides what is overdue) is passed in, never read from the clock, so the same
//! input always gives the same bytes.

pub mod csv;
pub mod json;
pub mod markdown;
pub mod rollup;

use crate::model::checklist::{ChecklistSet, Item, Severity};
use crate::model::results::{Answer, Progress, Results, Status, format_timestamp};
use crate::model::signoff::{SignOffStatus, Signature, overall};
use crate::model::verify::Finding;
use jiff::civil::Date;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

pub use rollup::{Periods, Rollup, RollupRow, Summary};

/// The version of the JSON report structure (`privcheck_report` in the output). 2: the
/// roll-up counts confirmed answers only and has `verify`, `verified` and `roles`; the
/// report has the overdue list, failures by item, unreadable and skipped files.
pub const REPORT_SCHEMA: u32 = 2;

/// The state of each sign-off of `results`, given what checking its signature found
/// (one verdict per sign-off, in order; a missing verdict means not checked).
pub fn signoff_statuses(results: &Results, signatures: &[Signature]) -> Vec<SignOffStatus> {
    results
        .signoff_states()
        .iter()
        .enumerate()
        .map(|(i, (s, state))| match signatures.get(i) {
            Some(signature) => SignOffStatus::of(state, signature),
            None => SignOffStatus::of(state, &Signature::unchecked(s)),
        })
        .collect()
}

/// One sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignOffEntry {
    pub role: String,
    pub name: String,
    pub email: String,
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
    pub state: SignOffStatus,
    /// Fingerprint of the signing key, when signed.
    pub key: Option<String>,
}

/// One area (checklist) and its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaRow {
    pub id: String,
    pub title: String,
    #[serde(flatten)]
    pub counts: Progress,
}

/// The remediation of a failed item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemediationView {
    pub owner: String,
    /// `YYYY-MM-DD`, when set.
    pub due: Option<String>,
    pub ticket: String,
    /// The due date is before today.
    pub overdue: bool,
}

/// Where an answer came from, when carried over from an earlier period and not confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CarriedView {
    /// The period it was carried from.
    pub from: String,
    /// The status it had there.
    pub status: Status,
    /// The item changed since: the answer is for reference only, the item is unreviewed.
    pub changed: bool,
}

/// One item of the report, with its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemView {
    pub item: String,
    /// Id and title of its area.
    pub area: String,
    pub area_title: String,
    /// Empty when the checklists in force do not have the item (a file read by id).
    pub question: String,
    /// `null` when the checklists in force do not have the item.
    pub severity: Option<Severity>,
    pub status: Status,
    pub note: String,
    pub evidence: Vec<String>,
    /// For `not_applicable`: why.
    pub reason: String,
    /// Set by a scope answer rather than by a reviewer.
    pub automatic: bool,
    /// For `fail`: what will be done (absent when the file records none).
    pub remediation: Option<RemediationView>,
    pub by: String,
    pub at: Option<String>,
    pub carried: Option<CarriedView>,
}

/// A clause of the policy behind one or more failed items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clause {
    pub document: String,
    pub effective: String,
    pub section: String,
    pub quote: String,
    /// The failed items that cite it, in checklist order.
    pub items: Vec<String>,
}

/// What `privcheck verify` says of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifyResult {
    /// No finding: the file passes the gate.
    Ok,
    /// At least one finding.
    Findings,
    /// `verify` cannot read it against the checklists in force (it answers another set).
    Unreadable,
    /// Not checked (a report built without it).
    NotChecked,
}

impl VerifyResult {
    pub fn as_str(self) -> &'static str {
        match self {
            VerifyResult::Ok => "ok",
            VerifyResult::Findings => "findings",
            VerifyResult::Unreadable => "unreadable",
            VerifyResult::NotChecked => "not checked",
        }
    }
}

/// The verify result of a file and its findings (or why verify cannot read it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyView {
    pub result: VerifyResult,
    pub findings: Vec<Finding>,
    /// For `unreadable`: what `verify` says.
    pub error: Option<String>,
}

impl VerifyView {
    /// What `verify::check` found.
    pub fn checked(findings: Vec<Finding>) -> VerifyView {
        let result = if findings.is_empty() { VerifyResult::Ok } else { VerifyResult::Findings };
        VerifyView { result, findings, error: None }
    }

    /// `verify` cannot read the file: `error` says why.
    pub fn unreadable(error: String) -> VerifyView {
        VerifyView { result: VerifyResult::Unreadable, findings: Vec::new(), error: Some(error) }
    }
}

/// Everything a report says about one results file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    /// The path as given or found.
    pub file: String,
    pub product: String,
    pub period: String,
    /// The period's first and last day, `YYYY-MM-DD`.
    pub start: String,
    pub end: String,
    /// The file answers another checklist set than the one in force: its items are listed
    /// by id, as the file has them, and only those.
    pub by_id: bool,
    /// The worst state of its sign-offs, `none` without any.
    pub signoff: SignOffStatus,
    pub signoffs: Vec<SignOffEntry>,
    /// It has sign-offs, and every one's signature was checked against a signer list and
    /// verified.
    pub verified: bool,
    /// The roles with a valid sign-off (digest current, signature checked against a signer
    /// list), in the order of the file.
    pub roles: Vec<String>,
    /// Progress over every item of the checklist set, as the file records it.
    pub progress: Progress,
    /// Failed items whose remediation is due before today.
    pub overdue: usize,
    pub areas: Vec<AreaRow>,
    /// Items answered `fail`, in checklist order.
    pub failed: Vec<ItemView>,
    /// Items answered `not_applicable`, with their reasons.
    pub not_applicable: Vec<ItemView>,
    /// Items not answered (including those whose carried answer is void because the item changed).
    pub unreviewed: Vec<ItemView>,
    /// Answers carried from an earlier period and not yet confirmed.
    pub carried: Vec<ItemView>,
    /// The policy clauses the failed items cite, each once, in order of first citation.
    pub clauses: Vec<Clause>,
    /// The published policy version the product shows (a document's file name), when the
    /// file records it.
    pub policy: Option<String>,
    /// The policy gaps: items that apply on whose point that version is silent (their legal
    /// duty is tested all the same; each gap is a finding), in checklist order.
    pub policy_gaps: Vec<ItemView>,
    /// What `privcheck verify` says of it.
    pub verify: VerifyView,
}

impl FileReport {
    /// Is the file void (a sign-off the content no longer matches) or incomplete (items
    /// unreviewed or carried answers to confirm)? What is wrong, in words, for a warning.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let void = self.signoffs.iter().filter(|s| s.state == SignOffStatus::Void).count();
        if void > 0 {
            out.push(format!(
                "{void} of its {} sign-offs {} void: the answers changed after {}",
                self.signoffs.len(),
                if void == 1 { "is" } else { "are" },
                if void == 1 { "it was made" } else { "they were made" }
            ));
        }
        let unreviewed = self.progress.unreviewed;
        let to_confirm = self.progress.to_confirm;
        if unreviewed > 0 || to_confirm > 0 {
            out.push(format!(
                "incomplete: {} of {} items confirmed ({unreviewed} unreviewed, {to_confirm} carried over and not yet confirmed)",
                self.progress.answered(),
                self.progress.total
            ));
        }
        out
    }
}

/// One item of a group: its id, the checklist's item when the set has it, the answer.
struct Row<'a> {
    id: &'a str,
    item: Option<&'a Item>,
    answer: Cow<'a, Answer>,
}

/// One area of a report and its items.
struct Group<'a> {
    id: String,
    title: String,
    rows: Vec<Row<'a>>,
}

fn view(row: &Row<'_>, group: &Group<'_>, today: Date) -> ItemView {
    let a = row.answer.as_ref();
    ItemView {
        item: row.id.to_string(),
        area: group.id.clone(),
        area_title: group.title.clone(),
        question: row.item.map(|i| i.question.clone()).unwrap_or_default(),
        severity: row.item.map(|i| i.severity),
        status: a.status,
        note: a.note.clone(),
        evidence: a.evidence.clone(),
        reason: a.reason.clone(),
        automatic: a.auto,
        remediation: a.remediation.as_ref().map(|r| RemediationView {
            owner: r.owner.clone(),
            due: r.due.map(|d| d.to_string()),
            ticket: r.ticket.clone(),
            overdue: a.is_overdue(today),
        }),
        by: a.by.clone(),
        at: a.at.map(format_timestamp),
        carried: a.carried.as_ref().map(|c| CarriedView {
            from: c.from.to_string(),
            status: c.status,
            changed: c.changed,
        }),
    }
}

/// The report on one results file. Every item of `set` is covered, in checklist order; an
/// item the file does not answer counts as unreviewed. (Answers to items `set` does not
/// have are ignored: see [`build_by_id`] for a file answered against another set.)
pub fn build(file: &str, results: &Results, set: &ChecklistSet, signatures: &[Signature], today: Date) -> FileReport {
    let answers: BTreeMap<&str, &Answer> = results.answers.iter().map(|a| (a.item.as_str(), a)).collect();
    let groups = set
        .checklists
        .iter()
        .map(|checklist| Group {
            id: checklist.id.clone(),
            title: checklist.title.clone(),
            rows: checklist
                .items
                .iter()
                .map(|item| Row {
                    id: item.id.as_str(),
                    item: Some(item),
                    answer: match answers.get(item.id.as_str()) {
                        Some(a) => Cow::Borrowed(*a),
                        None => Cow::Owned(Answer::unreviewed(item, String::new())),
                    },
                })
                .collect(),
        })
        .collect();
    let gaps: Vec<&str> = results.policy_gaps(set).into_iter().map(|i| i.id.as_str()).collect();
    assemble(file, results, groups, &gaps, signatures, today, false)
}

/// The report on a results file answered against another checklist set than `set`: its
/// answers by id, in the file's order, grouped by area (an item's area in `set` when `set`
/// has the item, else the part of its id before the first `.`); questions and severities
/// only for the items `set` has. Items of `set` the file does not answer are not listed.
pub fn build_by_id(
    file: &str,
    results: &Results,
    set: &ChecklistSet,
    signatures: &[Signature],
    today: Date,
) -> FileReport {
    let mut groups: Vec<Group<'_>> = Vec::new();
    for a in &results.answers {
        let item = set.item(&a.item);
        let area = match item {
            Some(i) => i.checklist.clone(),
            None => a.item.split_once('.').map_or(a.item.as_str(), |(area, _)| area).to_string(),
        };
        let row = Row { id: a.item.as_str(), item, answer: Cow::Borrowed(a) };
        match groups.iter_mut().find(|g| g.id == area) {
            Some(g) => g.rows.push(row),
            None => {
                let title = set.checklist(&area).map_or_else(|| area.clone(), |c| c.title.clone());
                groups.push(Group { id: area, title, rows: vec![row] });
            }
        }
    }
    // Another set's file: the version in force is that set's business, not this one's.
    assemble(file, results, groups, &[], signatures, today, true)
}

fn assemble(
    file: &str,
    results: &Results,
    groups: Vec<Group<'_>>,
    gaps: &[&str],
    signatures: &[Signature],
    today: Date,
    by_id: bool,
) -> FileReport {
    let statuses = signoff_statuses(results, signatures);
    let signoffs: Vec<SignOffEntry> = results
        .signoffs
        .iter()
        .zip(&statuses)
        .map(|(s, state)| SignOffEntry {
            role: s.role.clone(),
            name: s.name.clone(),
            email: s.email.clone(),
            at: format_timestamp(s.at),
            state: *state,
            key: s.key.clone(),
        })
        .collect();
    let verified = !results.signoffs.is_empty()
        && (0..results.signoffs.len()).all(|i| matches!(signatures.get(i), Some(Signature::Verified { .. })));
    let mut roles: Vec<String> = Vec::new();
    for s in signoffs.iter().filter(|s| s.state == SignOffStatus::Valid) {
        if !roles.contains(&s.role) {
            roles.push(s.role.clone());
        }
    }
    let mut progress = Progress::default();
    let mut areas = Vec::new();
    let mut failed = Vec::new();
    let mut not_applicable = Vec::new();
    let mut unreviewed = Vec::new();
    let mut carried = Vec::new();
    let mut policy_gaps = Vec::new();
    let mut clauses: Vec<Clause> = Vec::new();
    for group in &groups {
        let mut counts = Progress::default();
        for row in &group.rows {
            let a = row.answer.as_ref();
            counts.add_answer(a);
            progress.add_answer(a);
            let v = view(row, group, today);
            if gaps.contains(&row.id) {
                policy_gaps.push(v.clone());
            }
            if a.carried.as_ref().is_some_and(|c| !c.changed) {
                carried.push(v.clone());
            }
            match a.status {
                Status::Fail => {
                    for c in row.item.map(|i| i.cite.as_slice()).unwrap_or_default() {
                        match clauses.iter_mut().find(|k| {
                            k.document == c.document
                                && k.effective == c.effective
                                && k.section == c.section
                                && k.quote == c.quote
                        }) {
                            Some(k) => k.items.push(row.id.to_string()),
                            None => clauses.push(Clause {
                                document: c.document.clone(),
                                effective: c.effective.clone(),
                                section: c.section.clone(),
                                quote: c.quote.clone(),
                                items: vec![row.id.to_string()],
                            }),
                        }
                    }
                    failed.push(v);
                }
                Status::NotApplicable => not_applicable.push(v),
                Status::Unreviewed => unreviewed.push(v),
                Status::Pass => {}
            }
        }
        areas.push(AreaRow { id: group.id.clone(), title: group.title.clone(), counts });
    }
    let overdue = failed.iter().filter(|v| v.remediation.as_ref().is_some_and(|r| r.overdue)).count();
    FileReport {
        file: file.to_string(),
        product: results.product.clone(),
        period: results.period.to_string(),
        start: results.period.first_day().to_string(),
        end: results.period.last_day().to_string(),
        by_id,
        signoff: overall(&statuses),
        signoffs,
        verified,
        roles,
        progress,
        overdue,
        areas,
        failed,
        not_applicable,
        unreviewed,
        carried,
        clauses,
        policy: results.policy.clone(),
        policy_gaps,
        verify: VerifyView { result: VerifyResult::NotChecked, findings: Vec::new(), error: None },
    }
}

/// A report on one or more results files, held in memory: the roll-up, then the files in
/// its order. (`privcheck report` writes the same text as it reads the files: see
/// `cmd::report`.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    #[serde(flatten)]
    pub rollup: Rollup,
    /// The files of the roll-up's rows, in its order.
    pub files: Vec<FileReport>,
}

impl Report {
    /// The roll-up of `files` (every period, nothing unreadable), and the files in its order.
    pub fn new(files: Vec<FileReport>, today: Date) -> Report {
        Report::select(files, &Periods::All, today)
    }

    /// The roll-up of the files of `periods`, and those files in its order.
    pub fn select(files: Vec<FileReport>, periods: &Periods, today: Date) -> Report {
        let summaries: Vec<Summary> = files.iter().map(|f| Summary::of(f, today)).collect();
        let (rollup, order) = rollup::rollup(&summaries, periods, Vec::new(), Vec::new(), today);
        let mut files: Vec<Option<FileReport>> = files.into_iter().map(Some).collect();
        let files = order.iter().filter_map(|&i| files[i].take()).collect();
        Report { rollup, files }
    }
}

/// Escapes `s` for Markdown that is pasted into a pull request or an issue: as
/// [`crate::render::text::escape_markdown`], and so that it notifies and links nobody: `@`
/// (a mention on GitHub and GitLab) becomes `&#64;`, and `#`, `!` and `GH-` before a digit
/// (an issue, merge request or pull request reference) become `&#35;`, `&#33;` and
/// `GH&#45;`: the same text to a reader, no link.
pub fn md(s: &str) -> String {
    let e = crate::render::text::escape_markdown(s);
    if !e.contains(['@', '#', '!', '-']) {
        return e;
    }
    let mut out = String::with_capacity(e.len() + 8);
    let mut chars = e.chars().peekable();
    while let Some(c) = chars.next() {
        let digit_next = chars.peek().is_some_and(char::is_ascii_digit);
        match c {
            '@' => out.push_str("&#64;"),
            '#' if digit_next => out.push_str("&#35;"),
            '!' if digit_next => out.push_str("&#33;"),
            '-' if digit_next && (out.ends_with("GH") || out.ends_with("gh")) => out.push_str("&#45;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes `s` for Markdown (see [`md`]) so that it is safe at the start of a block too:
/// after a `> ` or at the start of a paragraph, a leading `#`, `-`, `+`, `=` or `1.` would
/// otherwise start a heading or a list; leading spaces (a code block) are trimmed.
pub fn escape_markdown_block(s: &str) -> String {
    let e = md(s.trim());
    let digits = e.chars().take_while(char::is_ascii_digit).count();
    // (`>` never survives escape_markdown: it is `&gt;`, which starts no quote.)
    if e.starts_with(['#', '-', '+', '=']) {
        format!("\\{e}")
    } else if digits > 0 && e[digits..].starts_with(['.', ')']) {
        format!("{}\\{}", &e[..digits], &e[digits..])
    } else {
        e
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::checklist::{Checklist, Citation, Item, Origin, ScopeQuestion};
    use crate::model::results::{Carried, Remediation, SignOff};
    use jiff::Timestamp;

    pub(crate) fn item(area: &str, slug: &str, cite: &[(&str, &str)]) -> Item {
        Item {
            id: format!("{area}.{slug}"),
            checklist: area.into(),
            question: format!("Is {slug} done?"),
            guidance: "g".into(),
            severity: Severity::High,
            scope: vec![],
            legal: vec![],
            cite: cite
                .iter()
                .map(|(section, quote)| Citation {
                    document: "policy-2020.txt".into(),
                    effective: "2020-02-27".into(),
                    section: (*section).into(),
                    quote: (*quote).into(),
                })
                .collect(),
            replaces: vec![],
        }
    }

    /// Two areas: "minors" (3 items) and "security" (2 items).
    pub(crate) fn set() -> ChecklistSet {
        let checklist = |id: &str, title: &str, items: Vec<Item>| Checklist {
            id: id.into(),
            title: title.into(),
            description: "d".into(),
            version: 1,
            origin: Origin::BuiltIn(format!("{id}.toml")),
            items,
        };
        ChecklistSet {
            checklists: vec![
                checklist(
                    "minors",
                    "Minors",
                    vec![
                        item("minors", "age-gate", &[("F. MINORS", "not targeted to minors")]),
                        item("minors", "parental", &[("F. MINORS", "not targeted to minors")]),
                        item("minors", "app", &[("F. MINORS", "apps too")]),
                    ],
                ),
                checklist(
                    "security",
                    "Security",
                    vec![
                        item("security", "encryption", &[("G. SECURITY", "we encrypt")]),
                        item("security", "access", &[("G. SECURITY", "least privilege")]),
                    ],
                ),
            ],
            scope: vec![ScopeQuestion {
                id: "apps".into(),
                question: "Apps?".into(),
                help: String::new(),
                checklist: "minors".into(),
            }],
            ..Default::default()
        }
    }

    pub(crate) fn at(offset: i64) -> Timestamp {
        Timestamp::from_second(1_790_000_000 + offset).unwrap()
    }

    pub(crate) fn today() -> Date {
        jiff::civil::date(2026, 11, 25)
    }

    /// minors.age-gate fail overdue (due 2020-01-01), minors.parental fail due 2026-12-31,
    /// minors.app n/a (scope), security.encryption pass carried from 2026-Q3,
    /// security.access unreviewed; one current unsigned sign-off.
    pub(crate) fn results() -> (ChecklistSet, Results) {
        let s = set();
        let mut r = Results::new("Checkout", "2026-Q4".parse().unwrap(), &s);
        let fail = |a: &mut Answer, due: Date, ticket: &str, n: i64| {
            a.status = Status::Fail;
            a.remediation = Some(Remediation { owner: "Bob".into(), due: Some(due), ticket: ticket.into() });
            a.note = "Fails on web.".into();
            a.evidence = vec!["https://tickets.example.com/PRIV-1".into()];
            a.by = "Ann".into();
            a.at = Some(at(n));
        };
        fail(&mut r.answers[0], jiff::civil::date(2020, 1, 1), "PRIV-1", 10);
        fail(&mut r.answers[1], jiff::civil::date(2026, 12, 31), "", 20);
        r.answers[2].status = Status::NotApplicable;
        r.answers[2].reason = "Out of scope: \"Apps?\" answered no.".into();
        r.answers[2].auto = true;
        r.answers[2].by = "privcheck".into();
        r.answers[2].at = Some(at(0));
        r.answers[3].status = Status::Pass;
        r.answers[3].by = "Ann".into();
        r.answers[3].at = Some(at(-100));
        r.answers[3].carried = Some(Carried { from: "2026-Q3".parse().unwrap(), status: Status::Pass, changed: false });
        r.signoffs.push(SignOff {
            name: "Ann".into(),
            email: "ann@example.com".into(),
            role: "reviewer".into(),
            at: at(100),
            digest: r.content_digest(),
            key: None,
            signature: None,
        });
        (s, r)
    }

    #[test]
    fn counts_per_area_and_in_total() {
        let (s, r) = results();
        let f = build("r.toml", &r, &s, &[], today());
        assert_eq!(
            f.progress,
            Progress { total: 5, pass: 1, fail: 2, not_applicable: 1, unreviewed: 1, to_confirm: 1 }
        );
        assert_eq!(
            f.areas[0].counts,
            Progress { total: 3, pass: 0, fail: 2, not_applicable: 1, unreviewed: 0, to_confirm: 0 }
        );
        assert_eq!(f.areas[1].counts.answered(), 0, "a carried answer not yet confirmed is not answered");
        assert_eq!(f.areas[1].title, "Security");
        assert_eq!((f.start.as_str(), f.end.as_str()), ("2026-10-01", "2026-12-31"));
    }

    #[test]
    fn lists_failures_overdue_na_unreviewed_and_carried() {
        let (s, r) = results();
        let f = build("r.toml", &r, &s, &[], today());
        let ids = |v: &[ItemView]| v.iter().map(|i| i.item.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&f.failed), ["minors.age-gate", "minors.parental"]);
        assert!(f.failed[0].remediation.as_ref().unwrap().overdue);
        assert!(!f.failed[1].remediation.as_ref().unwrap().overdue);
        assert_eq!(f.overdue, 1);
        assert_eq!(ids(&f.not_applicable), ["minors.app"]);
        assert_eq!(ids(&f.unreviewed), ["security.access"]);
        assert_eq!(ids(&f.carried), ["security.encryption"]);
        // Both failures cite the same clause: listed once, naming both.
        assert_eq!(f.clauses.len(), 1);
        assert_eq!(f.clauses[0].items, ["minors.age-gate", "minors.parental"]);
        assert_eq!(f.clauses[0].quote, "not targeted to minors");
    }

    #[test]
    fn due_today_is_not_overdue() {
        let (s, r) = results();
        let f = build("r.toml", &r, &s, &[], jiff::civil::date(2020, 1, 1));
        assert_eq!(f.overdue, 0);
    }

    #[test]
    fn signoff_states() {
        let (s, mut r) = results();
        assert_eq!(build("r", &r, &s, &[], today()).signoff, SignOffStatus::Unsigned);
        let mut void = r.signoffs[0].clone();
        void.digest = "sha256:00".into();
        r.signoffs.push(void);
        let f = build("r", &r, &s, &[], today());
        assert_eq!(
            f.signoffs.iter().map(|e| e.state).collect::<Vec<_>>(),
            [SignOffStatus::Unsigned, SignOffStatus::Void]
        );
        assert_eq!(f.signoff, SignOffStatus::Void);
        r.signoffs.clear();
        assert_eq!(build("r", &r, &s, &[], today()).signoff, SignOffStatus::None);
        // A signature that does not verify.
        r.signoffs.push(SignOff { signature: Some("not a signature".into()), ..void_free(&r) });
        assert_eq!(build("r", &r, &s, &[], today()).signoff, SignOffStatus::Unverified, "not checked");
        let bad = [Signature::Bad { reason: "does not verify".into() }];
        assert_eq!(build("r", &r, &s, &bad, today()).signoff, SignOffStatus::Invalid);
        let checked = [Signature::Verified { key: "SHA256:k".into() }];
        assert_eq!(build("r", &r, &s, &checked, today()).signoff, SignOffStatus::Valid);
    }

    fn void_free(r: &Results) -> SignOff {
        SignOff {
            name: "Ann".into(),
            email: "ann@example.com".into(),
            role: "approver".into(),
            at: at(200),
            digest: r.content_digest(),
            key: None,
            signature: None,
        }
    }

    #[test]
    fn missing_answers_count_as_unreviewed() {
        let (s, mut r) = results();
        r.answers.truncate(3);
        let f = build("r", &r, &s, &[], today());
        assert_eq!(f.progress.unreviewed, 2);
        assert_eq!(f.progress.total, 5);
    }

    #[test]
    fn rollup_is_sorted_by_product_then_period() {
        let (s, r) = results();
        let mut b = r.clone();
        b.product = "Accounts".into();
        let mut c = r.clone();
        c.period = "2026-Q3".parse().unwrap();
        let files =
            vec![build("a", &r, &s, &[], today()), build("b", &b, &s, &[], today()), build("c", &c, &s, &[], today())];
        let report = Report::new(files, today());
        let rows: Vec<(String, String)> =
            report.rollup.rollup.iter().map(|r| (r.product.clone(), r.period.clone())).collect();
        assert_eq!(
            rows,
            [
                ("Accounts".to_string(), "2026-Q4".to_string()),
                ("Checkout".to_string(), "2026-Q3".to_string()),
                ("Checkout".to_string(), "2026-Q4".to_string())
            ]
        );
        assert_eq!(report.files[0].product, "Accounts");
        assert_eq!(report.rollup.rollup[2].overdue, 1);
    }

    #[test]
    fn block_escaping() {
        assert_eq!(escape_markdown_block("# x"), "\\# x");
        assert_eq!(escape_markdown_block("- x"), "\\- x");
        assert_eq!(escape_markdown_block("> x"), "&gt; x");
        assert_eq!(escape_markdown_block("12. x"), "12\\. x");
        assert_eq!(escape_markdown_block("    code"), "code");
        assert_eq!(escape_markdown_block("plain 1. x"), "plain 1. x");
    }
}
