//! A review's results: the scope answers, one answer per item, and the sign-offs.
//!
//! This is the model the UI edits and `verify` checks. It knows its checklist set only
//! through arguments; the TOML form lives in `store::results_file`.

use crate::model::checklist::{ChecklistSet, InForce, Item, hex};
use crate::model::period::Period;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;

/// The answer to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Unreviewed,
    Pass,
    Fail,
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Pass, Status::Fail, Status::NotApplicable, Status::Unreviewed];

    /// The word used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unreviewed => "unreviewed",
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::NotApplicable => "not_applicable",
        }
    }

    /// A short label for people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Unreviewed => "unreviewed",
            Status::Pass => "pass",
            Status::Fail => "FAIL",
            Status::NotApplicable => "n/a",
        }
    }

    /// The status in words, for people.
    pub fn human(self) -> &'static str {
        match self {
            Status::Unreviewed => "unreviewed",
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::NotApplicable => "not applicable",
        }
    }

    pub fn is_answered(self) -> bool {
        self != Status::Unreviewed
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What will be done about a failed item.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Remediation {
    pub owner: String,
    pub due: Option<Date>,
    pub ticket: String,
}

impl Remediation {
    /// What is missing for the remediation to count: an owner and a due date.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut m = Vec::new();
        if self.owner.trim().is_empty() {
            m.push("owner");
        }
        if self.due.is_none() {
            m.push("due date");
        }
        m
    }
}

/// Where an answer came from when it was carried over from an earlier period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Carried {
    /// The period the answer was carried from.
    pub from: Period,
    /// The status it had there.
    pub status: Status,
    /// The item's content changed since that answer: the answer is shown for reference
    /// only and the item is unreviewed until answered again.
    pub changed: bool,
}

/// The answer to one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub item: String,
    /// The digest of the item content this answer was given against.
    pub digest: String,
    pub status: Status,
    pub note: String,
    pub evidence: Vec<String>,
    /// For `fail`: what will be done.
    pub remediation: Option<Remediation>,
    /// For `not_applicable`: why.
    pub reason: String,
    /// Who gave the answer, and when (seconds precision, UTC).
    pub by: String,
    pub at: Option<Timestamp>,
    /// Set by a scope answer rather than by a reviewer.
    pub auto: bool,
    /// Carried from an earlier period and not yet confirmed.
    pub carried: Option<Carried>,
}

impl Answer {
    /// An unreviewed answer to `item`, recording `digest` (the item's digest under the
    /// results' schema, [`Results::item_digest`]).
    pub fn unreviewed(item: &Item, digest: String) -> Answer {
        Answer { digest, ..Answer::blank(&item.id) }
    }

    /// An unreviewed answer to item `id`, with no content digest: for an item the checklist
    /// set does not know.
    pub fn blank(id: &str) -> Answer {
        Answer {
            item: id.to_string(),
            digest: String::new(),
            status: Status::Unreviewed,
            note: String::new(),
            evidence: Vec::new(),
            remediation: None,
            reason: String::new(),
            by: String::new(),
            at: None,
            auto: false,
            carried: None,
        }
    }

    /// What this answer lacks before the review can be signed off, given the digest of its
    /// item under the results' schema ([`Results::item_digest`]; `None` when the set does
    /// not know the item); empty when complete.
    pub fn problems_for_digest(&self, item_digest: Option<&str>) -> Vec<Problem> {
        let mut p = Vec::new();
        match self.status {
            Status::Unreviewed => p.push(Problem::NotReviewed),
            Status::Fail => match &self.remediation {
                None => p.push(Problem::NoRemediation),
                Some(r) if !r.missing().is_empty() => p.push(Problem::RemediationIncomplete(r.missing())),
                Some(_) => {}
            },
            Status::NotApplicable if self.reason.trim().is_empty() => p.push(Problem::NoReason),
            _ => {}
        }
        match &self.carried {
            Some(c) if c.changed => p.push(Problem::ChangedSince { from: c.from, status: c.status }),
            Some(c) => p.push(Problem::CarriedUnconfirmed { from: c.from, status: c.status }),
            None => {}
        }
        if let Some(now) = item_digest
            && now != self.digest
        {
            p.push(Problem::Stale { answered: self.digest.clone(), now: now.to_string() });
        }
        p
    }

    /// Carried from an earlier period with its status, and not yet confirmed (an answer
    /// whose item changed since is unreviewed instead).
    pub fn to_confirm(&self) -> bool {
        self.status.is_answered() && self.carried.as_ref().is_some_and(|c| !c.changed)
    }

    /// Is this a failed item whose remediation was due before `as_of`? (Due on `as_of`
    /// itself is not overdue.)
    pub fn is_overdue(&self, as_of: Date) -> bool {
        self.status == Status::Fail && self.remediation.as_ref().and_then(|r| r.due).is_some_and(|d| d < as_of)
    }

    /// When this answer [`is_overdue`](Answer::is_overdue) on `as_of`, what to warn whoever
    /// enters or signs it: `remediation due 2026-10-01, already past on 2026-12-01 (owner
    /// Bob, ticket PRIV-1)`. A warning, never a refusal: a date in the past may be true.
    pub fn overdue_warning(&self, as_of: Date) -> Option<String> {
        let r = self.remediation.as_ref().filter(|_| self.is_overdue(as_of))?;
        let due = r.due?;
        let ticket = if r.ticket.is_empty() { "no ticket" } else { &r.ticket };
        Some(format!("remediation due {due}, already past on {as_of} (owner {}, {ticket})", r.owner))
    }
}

/// Something that keeps a review from being signed off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A scope question is not answered.
    ScopeUnanswered,
    /// The results have no answer for an item of the set.
    Missing,
    NotReviewed,
    NoRemediation,
    /// The remediation lacks these ("owner", "due date").
    RemediationIncomplete(Vec<&'static str>),
    NoReason,
    /// Carried from `from`, where it was `status`; the item changed since.
    ChangedSince {
        from: Period,
        status: Status,
    },
    /// Carried from `from` and not yet confirmed.
    CarriedUnconfirmed {
        from: Period,
        status: Status,
    },
    /// Answered against other item content.
    Stale {
        answered: String,
        now: String,
    },
}

impl Problem {
    /// A stable code for machines (`verify --format json`, `--deny`).
    pub fn code(&self) -> &'static str {
        match self {
            Problem::ScopeUnanswered => "scope-unanswered",
            Problem::Missing => "missing",
            Problem::NotReviewed => "unanswered",
            Problem::NoRemediation | Problem::RemediationIncomplete(_) => "missing-remediation",
            Problem::NoReason => "missing-reason",
            Problem::ChangedSince { .. } => "changed",
            Problem::CarriedUnconfirmed { .. } => "carried-unconfirmed",
            Problem::Stale { .. } => "stale",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::ScopeUnanswered => f.write_str("scope question not answered"),
            Problem::Missing => f.write_str("missing from the results"),
            Problem::NotReviewed => f.write_str("not reviewed"),
            Problem::NoRemediation => f.write_str("fail without a remediation (owner, due date, ticket)"),
            Problem::RemediationIncomplete(m) => write!(f, "remediation has no {}", m.join(" and ")),
            Problem::NoReason => f.write_str("not applicable without a reason"),
            Problem::ChangedSince { from, status } => {
                write!(f, "changed since {from} (answered {} there): answer it again", status.as_str())
            }
            Problem::CarriedUnconfirmed { from, status } => {
                write!(f, "carried from {from} ({}), not yet confirmed", status.as_str())
            }
            Problem::Stale { answered, now } => {
                write!(f, "stale: answered against item content {answered}, the item is now {now}")
            }
        }
    }
}

/// A checklist the results answer, and its version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistRef {
    pub id: String,
    pub version: u32,
}

/// A reviewer's statement that the answers are complete and true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignOff {
    pub name: String,
    pub email: String,
    pub role: String,
    pub at: Timestamp,
    /// The content digest of the results when signed.
    pub digest: String,
    /// Fingerprint of the signing key (`SHA256:...`), when signed.
    pub key: Option<String>,
    /// Armored SSH signature over [`SignOff::message`], when signed.
    pub signature: Option<String>,
}

impl SignOff {
    /// The exact bytes the SSH signature covers: the sign-off's identity, time and role,
    /// and the content digest, as one JSON object with fixed key order.
    pub fn message(&self, product: &str, period: Period) -> Vec<u8> {
        #[derive(Serialize)]
        struct Message<'a> {
            privcheck_signoff: u32,
            product: &'a str,
            period: String,
            name: &'a str,
            email: &'a str,
            role: &'a str,
            at: String,
            digest: &'a str,
        }
        let m = Message {
            privcheck_signoff: 1,
            product,
            period: period.to_string(),
            name: &self.name,
            email: &self.email,
            role: &self.role,
            at: format_timestamp(self.at),
            digest: &self.digest,
        };
        let mut bytes = serde_json::to_vec(&m).expect("plain strings always serialise");
        bytes.push(b'\n');
        bytes
    }
}

/// Timestamps as written in files: UTC, whole seconds, `2026-11-25T17:03:00Z`.
pub fn format_timestamp(t: Timestamp) -> String {
    // Written by hand for four-digit years (every file has them): the same text as the
    // strftime below, which costs more than the rest of a results file's digest.
    let dt = jiff::tz::Offset::UTC.to_datetime(t);
    if !(1000..=9999).contains(&dt.year()) {
        return t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    }
    let mut s = String::with_capacity(20);
    for (n, width, after) in [
        (i32::from(dt.year()), 4, '-'),
        (i32::from(dt.month()), 2, '-'),
        (i32::from(dt.day()), 2, 'T'),
        (i32::from(dt.hour()), 2, ':'),
        (i32::from(dt.minute()), 2, ':'),
        (i32::from(dt.second()), 2, 'Z'),
    ] {
        let mut digits = [b'0'; 4];
        let mut n = n;
        for d in digits[..width].iter_mut().rev() {
            *d = b'0' + (n % 10) as u8;
            n /= 10;
        }
        s.extend(digits[..width].iter().map(|&d| char::from(d)));
        s.push(after);
    }
    s
}

/// The results schema this privcheck writes; files of every earlier schema are read, and
/// keep their schema (and so their digests) until an answer changes.
pub const SCHEMA: u32 = 2;

/// The results of one product's review for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Results {
    /// The schema the results follow: it decides how the item and content digests are
    /// computed (1: as privcheck 0.1 did; 2: scope question text, legal duties and the
    /// policy version bound too).
    pub schema: u32,
    pub product: String,
    pub period: Period,
    /// The published policy version the product shows (a document's file name), when the
    /// reviewer said (schema 2).
    pub policy: Option<String>,
    pub checklists: Vec<ChecklistRef>,
    /// Scope answers by scope id (missing = not yet answered).
    pub scope: BTreeMap<String, bool>,
    /// One answer per item, in checklist order once [`Results::align`]ed.
    pub answers: Vec<Answer>,
    pub signoffs: Vec<SignOff>,
}

/// Counts of answers by status: the one counter of the UI, the reports and the roll-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub total: usize,
    pub pass: usize,
    pub fail: usize,
    pub not_applicable: usize,
    pub unreviewed: usize,
    /// Answers carried from an earlier period and not yet confirmed (counted in their
    /// status too): they are not answered for this period until confirmed.
    pub to_confirm: usize,
}

impl Serialize for Progress {
    /// With the derived counts too: `answered` and `percent`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Progress", 8)?;
        st.serialize_field("total", &self.total)?;
        st.serialize_field("answered", &self.answered())?;
        st.serialize_field("percent", &self.percent())?;
        st.serialize_field("pass", &self.pass)?;
        st.serialize_field("fail", &self.fail)?;
        st.serialize_field("not_applicable", &self.not_applicable)?;
        st.serialize_field("unreviewed", &self.unreviewed)?;
        st.serialize_field("to_confirm", &self.to_confirm)?;
        st.end()
    }
}

impl Progress {
    /// Answered for this period: pass, fail or not applicable, and not a carried answer
    /// still to confirm.
    pub fn answered(&self) -> usize {
        self.total - self.unreviewed - self.to_confirm
    }

    /// `answered * 100 / total`, rounded down; 100 when there is nothing to answer.
    pub fn percent(&self) -> usize {
        (self.answered() * 100).checked_div(self.total).unwrap_or(100)
    }

    /// The counts of several.
    pub fn of<'a>(statuses: impl IntoIterator<Item = &'a Answer>) -> Progress {
        let mut p = Progress::default();
        for a in statuses {
            p.add_answer(a);
        }
        p
    }

    /// Counts one answer: its status, and whether it is carried and not yet confirmed.
    pub fn add_answer(&mut self, a: &Answer) {
        self.add(a.status);
        if a.to_confirm() {
            self.to_confirm += 1;
        }
    }

    pub fn add(&mut self, s: Status) {
        self.total += 1;
        match s {
            Status::Pass => self.pass += 1,
            Status::Fail => self.fail += 1,
            Status::NotApplicable => self.not_applicable += 1,
            Status::Unreviewed => self.unreviewed += 1,
        }
    }
}

/// What a sign-off is worth now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignOffState {
    /// Its digest matches the content.
    Current,
    /// The content changed after it was made.
    Void { signed: String, now: String },
}

impl Results {
    /// Fresh results for `set`: every item unreviewed, no scope answered.
    pub fn new(product: &str, period: Period, set: &ChecklistSet) -> Results {
        let mut r = Results {
            schema: SCHEMA,
            product: product.to_string(),
            period,
            policy: None,
            checklists: Vec::new(),
            scope: BTreeMap::new(),
            answers: Vec::new(),
            signoffs: Vec::new(),
        };
        r.align(set);
        r
    }

    /// Brings the results in line with `set` for reviewing: checklist versions recorded,
    /// answers in checklist order, an unreviewed answer for each item not yet in the file.
    /// Answers to items the set no longer has are returned (and removed): the caller
    /// decides whether that is an error.
    pub fn align(&mut self, set: &ChecklistSet) -> Vec<Answer> {
        self.checklists =
            set.checklists.iter().map(|c| ChecklistRef { id: c.id.clone(), version: c.version }).collect();
        let mut by_id: BTreeMap<String, Answer> =
            std::mem::take(&mut self.answers).into_iter().map(|a| (a.item.clone(), a)).collect();
        let schema = self.schema;
        self.answers = set
            .items()
            .map(|item| {
                by_id.remove(&item.id).unwrap_or_else(|| Answer::unreviewed(item, set.item_digest(item, schema)))
            })
            .collect();
        by_id.into_values().collect()
    }

    /// The digest of `item` that answers in these results record ([`ChecklistSet::item_digest`]
    /// under the results' schema).
    pub fn item_digest(&self, set: &ChecklistSet, item: &Item) -> String {
        set.item_digest(item, self.schema)
    }

    /// Brings results of an earlier schema to the current one, before their content is
    /// changed: an answer made against the item as it is now (its digest under the old
    /// schema matches) records the item's current digest; others stay stale. Their
    /// sign-offs are void after this, as after any change. Returns whether anything changed.
    pub fn upgrade(&mut self, set: &ChecklistSet) -> bool {
        if self.schema >= SCHEMA {
            return false;
        }
        let old = self.schema;
        let by_id: std::collections::HashMap<&str, &Item> = set.items().map(|i| (i.id.as_str(), i)).collect();
        for a in &mut self.answers {
            if let Some(item) = by_id.get(a.item.as_str())
                && a.digest == set.item_digest(item, old)
            {
                a.digest = set.item_digest(item, SCHEMA);
            }
        }
        self.schema = SCHEMA;
        true
    }

    /// Every answer overdue on `as_of`, with its [`Answer::overdue_warning`], in file order:
    /// what `sign`, `new --from` and the review warn about at entry.
    pub fn overdue_warnings(&self, as_of: Date) -> Vec<(&str, String)> {
        self.answers.iter().filter_map(|a| a.overdue_warning(as_of).map(|w| (a.item.as_str(), w))).collect()
    }

    pub fn answer(&self, item: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.item == item)
    }

    pub fn progress(&self) -> Progress {
        Progress::of(&self.answers)
    }

    /// Does `item` apply, given the scope answers? `None` when a scope it needs is unanswered.
    pub fn in_scope(&self, item: &Item) -> Option<bool> {
        let mut all = true;
        for s in &item.scope {
            match self.scope.get(s) {
                Some(true) => {}
                Some(false) => all = false,
                None => return if all { None } else { Some(false) },
            }
        }
        Some(all)
    }

    /// What the version in force ([`Results::policy`]) says on `item`'s point; `None` while
    /// the reviewer has not said which version the product publishes.
    pub fn in_force<'a>(&self, set: &ChecklistSet, item: &'a Item) -> Option<InForce<'a>> {
        self.policy.as_deref().map(|p| set.in_force(item, p))
    }

    /// The policy gaps: the items that apply (or may: a scope unanswered) on whose point the
    /// version in force is silent, in checklist order; empty while no version is recorded.
    pub fn policy_gaps<'a>(&self, set: &'a ChecklistSet) -> Vec<&'a Item> {
        set.items()
            .filter(|i| self.in_scope(i) != Some(false) && self.in_force(set, i) == Some(InForce::Silent))
            .collect()
    }

    /// Applies the scope answers: items out of scope that nobody answered become
    /// not applicable (marked automatic, with the reason); automatic answers whose item is
    /// back in scope become unreviewed again. Reviewers' own answers are never touched.
    /// Returns how many answers changed.
    pub fn apply_scope(&mut self, set: &ChecklistSet, by: &str, at: Timestamp) -> usize {
        let mut changed = 0;
        let schema = self.schema;
        for (i, item) in set.items().enumerate() {
            let in_scope = self.in_scope(item);
            let Some(a) = self.answers.get_mut(i) else { break };
            debug_assert_eq!(a.item, item.id);
            match in_scope {
                Some(false) if a.status == Status::Unreviewed || a.auto => {
                    let reason = out_of_scope_reason(set, &self.scope, item);
                    if !(a.auto && a.status == Status::NotApplicable && a.reason == reason) {
                        let digest = set.item_digest(item, schema);
                        a.status = Status::NotApplicable;
                        a.reason = reason;
                        a.auto = true;
                        a.by = by.to_string();
                        a.at = Some(at);
                        a.digest = digest;
                        a.carried = None;
                        changed += 1;
                    }
                }
                Some(true) | None if a.auto => {
                    a.status = Status::Unreviewed;
                    a.reason.clear();
                    a.auto = false;
                    a.by.clear();
                    a.at = None;
                    changed += 1;
                }
                _ => {}
            }
        }
        changed
    }

    /// The reviewer's own answers (not set by scope) to items that need scope `id`: what a
    /// "no" to that scope question would make not applicable.
    pub fn answered_in_scope(&self, set: &ChecklistSet, id: &str) -> Vec<usize> {
        set.items()
            .enumerate()
            .filter(|(i, item)| {
                item.scope.iter().any(|s| s == id)
                    && self.answers.get(*i).is_some_and(|a| a.status.is_answered() && !a.auto)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// A scope question answered "no" after its items were answered: those answers become
    /// not applicable, with the scope's reason, as if never answered (the caller keeps the
    /// previous answers for undo). Then [`Results::apply_scope`] as usual.
    pub fn apply_scope_no(&mut self, set: &ChecklistSet, id: &str, by: &str, at: Timestamp) -> usize {
        for i in self.answered_in_scope(set, id) {
            let a = &mut self.answers[i];
            a.status = Status::Unreviewed;
            a.remediation = None;
            a.reason.clear();
            a.carried = None;
        }
        self.apply_scope(set, by, at)
    }

    /// The scope questions of `set` not yet answered, in order.
    pub fn unanswered_scope<'a>(&self, set: &'a ChecklistSet) -> Vec<&'a crate::model::checklist::ScopeQuestion> {
        set.scope.iter().filter(|q| !self.scope.contains_key(&q.id)).collect()
    }

    /// Everything that keeps the results from being signed off, as `(item id, problem)`.
    pub fn signoff_blockers(&self, set: &ChecklistSet) -> Vec<(String, Problem)> {
        let mut out = Vec::new();
        for q in self.unanswered_scope(set) {
            out.push((format!("scope.{}", q.id), Problem::ScopeUnanswered));
        }
        // The answer of each item, found once: a lookup per item by scanning the answers
        // made this quadratic in the number of items. (The first answer of an id, as
        // `answer` finds it.)
        let mut by_id: std::collections::HashMap<&str, &Answer> =
            std::collections::HashMap::with_capacity(self.answers.len());
        for a in &self.answers {
            by_id.entry(a.item.as_str()).or_insert(a);
        }
        for item in set.items() {
            match by_id.get(item.id.as_str()) {
                None => out.push((item.id.clone(), Problem::Missing)),
                Some(a) => out.extend(
                    a.problems_for_digest(Some(&self.item_digest(set, item))).into_iter().map(|p| (item.id.clone(), p)),
                ),
            }
        }
        out
    }

    /// The digest of the canonical content: product, period, checklists, scope and every
    /// answer field — everything but the sign-offs. A sign-off records it; any later change
    /// to the content changes it.
    pub fn content_digest(&self) -> String {
        #[derive(Serialize)]
        struct Canonical<'a> {
            privcheck_results: u32,
            product: &'a str,
            period: String,
            // Schema 2 and later: the policy version in force (a string or null). Absent in
            // schema 1, whose digest must stay what it was.
            #[serde(skip_serializing_if = "Option::is_none")]
            policy: Option<Option<&'a str>>,
            checklists: &'a [ChecklistRef],
            scope: &'a BTreeMap<String, bool>,
            answers: Vec<CanonicalAnswer<'a>>,
        }
        #[derive(Serialize)]
        struct CanonicalAnswer<'a> {
            item: &'a str,
            digest: &'a str,
            status: Status,
            note: &'a str,
            evidence: &'a [String],
            remediation: Option<(&'a str, Option<String>, &'a str)>,
            reason: &'a str,
            by: &'a str,
            at: Option<String>,
            auto: bool,
            carried: Option<(String, Status, bool)>,
        }
        let c = Canonical {
            privcheck_results: self.schema,
            product: &self.product,
            period: self.period.to_string(),
            policy: (self.schema >= 2).then_some(self.policy.as_deref()),
            checklists: &self.checklists,
            scope: &self.scope,
            answers: self
                .answers
                .iter()
                .map(|a| CanonicalAnswer {
                    item: &a.item,
                    digest: &a.digest,
                    status: a.status,
                    note: &a.note,
                    evidence: &a.evidence,
                    remediation: a
                        .remediation
                        .as_ref()
                        .map(|r| (r.owner.as_str(), r.due.map(|d| d.to_string()), r.ticket.as_str())),
                    reason: &a.reason,
                    by: &a.by,
                    at: a.at.map(format_timestamp),
                    auto: a.auto,
                    carried: a.carried.as_ref().map(|c| (c.from.to_string(), c.status, c.changed)),
                })
                .collect(),
        };
        let json = serde_json::to_vec(&c).expect("plain data always serialises");
        format!("sha256:{}", hex(&Sha256::digest(&json)))
    }

    /// Each sign-off with what it is worth now.
    pub fn signoff_states(&self) -> Vec<(&SignOff, SignOffState)> {
        if self.signoffs.is_empty() {
            // Nothing to compare the content with: spare the digest of every answer.
            return Vec::new();
        }
        self.signoff_states_for(&self.content_digest())
    }

    /// [`Results::signoff_states`], given the current [`Results::content_digest`] (for
    /// callers that keep it).
    pub fn signoff_states_for(&self, now: &str) -> Vec<(&SignOff, SignOffState)> {
        self.signoffs
            .iter()
            .map(|s| {
                let state = if s.digest == now {
                    SignOffState::Current
                } else {
                    SignOffState::Void { signed: s.digest.clone(), now: now.to_string() }
                };
                (s, state)
            })
            .collect()
    }

    /// Is there at least one sign-off and is every sign-off current?
    pub fn is_signed(&self) -> bool {
        !self.signoffs.is_empty() && self.signoff_states().iter().all(|(_, s)| *s == SignOffState::Current)
    }
}

fn out_of_scope_reason(set: &ChecklistSet, scope: &BTreeMap<String, bool>, item: &Item) -> String {
    let no: Vec<String> = item
        .scope
        .iter()
        .filter(|s| scope.get(*s) == Some(&false))
        .map(|s| match set.scope_question(s) {
            Some(q) => format!("\"{}\" answered no", q.question),
            None => format!("scope {s} answered no"),
        })
        .collect();
    format!("Out of scope: {}.", no.join("; "))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp::from_second(1_790_000_000).unwrap()
    }
    use crate::model::checklist::{Checklist, Citation, Origin, ScopeQuestion, Severity};

    pub(crate) fn set() -> ChecklistSet {
        let item = |id: &str, scope: &[&str]| Item {
            id: id.into(),
            checklist: "a".into(),
            question: format!("{id}?"),
            guidance: "g".into(),
            severity: Severity::Medium,
            scope: scope.iter().map(|s| s.to_string()).collect(),
            legal: vec![],
            cite: vec![Citation {
                document: "d".into(),
                effective: "undated".into(),
                section: "s".into(),
                quote: "q".into(),
            }],
            replaces: vec![],
        };
        ChecklistSet {
            checklists: vec![Checklist {
                id: "a".into(),
                title: "A".into(),
                description: "d".into(),
                version: 1,
                origin: Origin::BuiltIn("a.toml".into()),
                items: vec![item("a.one", &[]), item("a.eea", &["eea"]), item("a.both", &["eea", "ca"])],
            }],
            scope: vec![
                ScopeQuestion { id: "eea".into(), question: "EEA?".into(), help: String::new(), checklist: "a".into() },
                ScopeQuestion { id: "ca".into(), question: "CA?".into(), help: String::new(), checklist: "a".into() },
            ],
            ..Default::default()
        }
    }

    fn period() -> Period {
        "2026-Q4".parse().unwrap()
    }

    #[test]
    fn new_results_have_every_item_unreviewed_in_order() {
        let r = Results::new("shop", period(), &set());
        let ids: Vec<&str> = r.answers.iter().map(|a| a.item.as_str()).collect();
        assert_eq!(ids, ["a.one", "a.eea", "a.both"]);
        assert_eq!(r.progress().unreviewed, 3);
        assert_eq!(r.checklists, vec![ChecklistRef { id: "a".into(), version: 1 }]);
    }

    #[test]
    fn scope_no_marks_items_not_applicable_and_yes_reverts_them() {
        let s = set();
        let mut r = Results::new("shop", period(), &s);
        r.scope.insert("eea".into(), false);
        assert_eq!(r.apply_scope(&s, "privcheck", now()), 2);
        assert_eq!(r.answers[1].status, Status::NotApplicable);
        assert_eq!(r.answers[1].reason, "Out of scope: \"EEA?\" answered no.");
        assert!(r.answers[1].auto);
        assert_eq!(r.answers[0].status, Status::Unreviewed);
        // Applying again changes nothing.
        assert_eq!(r.apply_scope(&s, "privcheck", now()), 0);
        r.scope.insert("eea".into(), true);
        r.apply_scope(&s, "privcheck", now());
        assert_eq!(r.answers[1].status, Status::Unreviewed);
        assert!(!r.answers[1].auto);
        // a.both still needs "ca", unanswered: unknown, so left unreviewed.
        assert_eq!(r.answers[2].status, Status::Unreviewed);
    }

    #[test]
    fn scope_never_overrides_a_reviewers_answer() {
        let s = set();
        let mut r = Results::new("shop", period(), &s);
        r.answers[1].status = Status::Pass;
        r.scope.insert("eea".into(), false);
        r.apply_scope(&s, "privcheck", now());
        assert_eq!(r.answers[1].status, Status::Pass);
    }

    #[test]
    fn blockers_list_every_gap() {
        let s = set();
        let mut r = Results::new("shop", period(), &s);
        r.answers[0].status = Status::Fail;
        r.answers[0].remediation = Some(Remediation { owner: "ann".into(), due: None, ticket: String::new() });
        r.answers[1].status = Status::NotApplicable;
        r.answers[2].status = Status::Pass;
        r.answers[2].digest = "sha256:0000000000000000".into();
        let b = r.signoff_blockers(&s);
        let text: Vec<String> = b.iter().map(|(i, p)| format!("{i}: {p}")).collect();
        let codes: Vec<&str> = b.iter().map(|(_, p)| p.code()).collect();
        assert_eq!(codes, ["scope-unanswered", "scope-unanswered", "missing-remediation", "missing-reason", "stale"]);
        assert_eq!(
            text,
            [
                "scope.eea: scope question not answered".to_string(),
                "scope.ca: scope question not answered".to_string(),
                "a.one: remediation has no due date".to_string(),
                "a.eea: not applicable without a reason".to_string(),
                format!(
                    "a.both: stale: answered against item content sha256:0000000000000000, the item is now {}",
                    s.item_digest(s.item("a.both").unwrap(), SCHEMA)
                ),
            ]
        );
    }

    #[test]
    fn any_change_to_content_voids_a_signoff() {
        let s = set();
        let mut r = Results::new("shop", period(), &s);
        let signed = SignOff {
            name: "Ann".into(),
            email: "ann@example.com".into(),
            role: "reviewer".into(),
            at: now(),
            digest: r.content_digest(),
            key: None,
            signature: None,
        };
        r.signoffs.push(signed);
        assert!(r.is_signed());
        type Edit = Box<dyn Fn(&mut Results)>;
        let edits: Vec<Edit> = vec![
            Box::new(|r| r.answers[0].note.push('x')),
            Box::new(|r| r.answers[0].evidence.push("x".into())),
            Box::new(|r| r.answers[0].status = Status::Pass),
            Box::new(|r| r.answers[0].reason.push('x')),
            Box::new(|r| r.answers[0].remediation = Some(Remediation::default())),
            Box::new(|r| {
                r.scope.insert("eea".into(), true);
            }),
            Box::new(|r| r.product.push('x')),
            Box::new(|r| r.period = r.period.next()),
            Box::new(|r| r.checklists[0].version = 2),
            Box::new(|r| r.answers[0].digest.push('0')),
        ];
        for (i, edit) in edits.iter().enumerate() {
            let mut changed = r.clone();
            edit(&mut changed);
            assert!(!changed.is_signed(), "edit {i} did not void the sign-off");
            assert!(matches!(changed.signoff_states()[0].1, SignOffState::Void { .. }));
        }
    }

    #[test]
    fn timestamps_are_written_as_strftime_writes_them() {
        let strftime = |t: Timestamp| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
        let mut seconds = vec![
            Timestamp::MIN.as_second(),
            Timestamp::MAX.as_second(),
            -1,
            0,
            1_790_000_000,
            -30_610_224_001, // 999-12-31T23:59:59Z
            -30_610_224_000, // 1000-01-01T00:00:00Z
            253_402_300_799, // 9999-12-31T23:59:59Z
        ];
        // A spread over the whole range, with odd steps so every field takes many values.
        let (min, max) = (Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
        seconds.extend((0..20_000i64).map(|k| min + (max - min) / 20_000 * k + k * 7_919));
        for s in seconds {
            for nanos in [0, 999_999_999] {
                let Ok(t) = Timestamp::new(s, nanos) else { continue };
                assert_eq!(format_timestamp(t), strftime(t), "{s}.{nanos}");
            }
        }
    }

    #[test]
    fn past_due_dates_are_warned_about_as_of_a_day() {
        let s = set();
        let mut r = Results::new("shop", period(), &s);
        let day = jiff::civil::date(2026, 12, 1);
        r.answers[0].status = Status::Fail;
        r.answers[0].remediation =
            Some(Remediation { owner: "bob".into(), due: Some(jiff::civil::date(2026, 10, 1)), ticket: String::new() });
        r.answers[1].status = Status::Fail;
        r.answers[1].remediation = Some(Remediation { owner: "ann".into(), due: Some(day), ticket: "PRIV-1".into() });
        assert_eq!(
            r.overdue_warnings(day),
            [("a.one", "remediation due 2026-10-01, already past on 2026-12-01 (owner bob, no ticket)".to_string())]
        );
        assert_eq!(r.overdue_warnings(jiff::civil::date(2026, 10, 1)), [], "due on the day is not past");
        assert_eq!(r.overdue_warnings(jiff::civil::date(2026, 12, 2)).len(), 2);
        r.answers[0].status = Status::Pass;
        assert_eq!(r.overdue_warnings(day), [], "only failed items");
    }

    #[test]
    fn signoff_message_binds_identity_and_time() {
        let s = SignOff {
            name: "Ann".into(),
            email: "ann@example.com".into(),
            role: "reviewer".into(),
            at: Timestamp::from_second(1_800_000_000).unwrap(),
            digest: "sha256:ab".into(),
            key: None,
            signature: None,
        };
        let m = String::from_utf8(s.message("shop", period())).unwrap();
        assert_eq!(
            m,
            "{\"privcheck_signoff\":1,\"product\":\"shop\",\"period\":\"2026-Q4\",\"name\":\"Ann\",\"email\":\"ann@example.com\",\"role\":\"reviewer\",\"at\":\"2027-01-15T08:00:00Z\",\"digest\":\"sha256:ab\"}\n"
        );
    }
}
