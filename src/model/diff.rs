//! What changed between two results files, item by item: statuses, notes, evidence,
//! remediations, reasons, carried answers, items present in one file only, scope answers,
//! product and period, checklist versions and sign-offs.
//!
//! Pure: [`diff`] compares two [`Results`] as read, with no checklist set, so files answered
//! against different checklist versions still compare; [`Diff::with_set`] then adds the
//! questions the active set knows and puts the items in its order. Formatting is the
//! command's (`cmd::diff`). Field names are stable: the JSON output is this structure.
//!
//! Who gave an answer and when (`by`, `at`) is not compared: re-confirming an answer is not a
//! change to it. [`Diff::same_content`] says whether the two files' content is identical all
//! the same.

use crate::model::checklist::ChecklistSet;
use crate::model::period::Period;
use crate::model::results::{Answer, Carried, Remediation, Results, SignOff, SignOffState, Status, format_timestamp};
pub use crate::model::signoff::SignOffStatus;
use crate::model::signoff::{Signature, overall};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A value before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change<T> {
    pub old: T,
    pub new: T,
}

/// What a sign-off is worth in a diff: the one rule ([`SignOffStatus::of`]), with its
/// signature not checked (a diff says what changed; `verify` says who may sign).
fn status_of(s: &SignOff, state: &SignOffState) -> SignOffStatus {
    SignOffStatus::of(state, &Signature::unchecked(s))
}

/// One sign-off, without its signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignOffInfo {
    pub name: String,
    pub email: String,
    pub role: String,
    /// When it was made, as written in files.
    pub at: String,
    /// The fingerprint of the signing key, when signed.
    pub key: Option<String>,
    pub signed: bool,
}

impl SignOffInfo {
    fn of(s: &SignOff) -> SignOffInfo {
        SignOffInfo {
            name: s.name.clone(),
            email: s.email.clone(),
            role: s.role.clone(),
            at: format_timestamp(s.at),
            key: s.key.clone(),
            signed: s.signature.is_some(),
        }
    }
}

/// A sign-off of one file, with what it is worth there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignOffEntry {
    #[serde(flatten)]
    pub signoff: SignOffInfo,
    pub state: SignOffStatus,
}

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    pub product: String,
    pub period: Period,
    /// The file's sign-offs taken together: `none` without any, else the worst of them
    /// (`void` over `unsigned` over `valid`).
    pub signoff: SignOffStatus,
    pub signoffs: Vec<SignOffEntry>,
}

impl Side {
    fn of(r: &Results) -> Side {
        let signoffs: Vec<SignOffEntry> = r
            .signoff_states()
            .iter()
            .map(|(s, state)| SignOffEntry { signoff: SignOffInfo::of(s), state: status_of(s, state) })
            .collect();
        let signoff = overall(&signoffs.iter().map(|e| e.state).collect::<Vec<_>>());
        Side { product: r.product.clone(), period: r.period, signoff, signoffs }
    }
}

/// Added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// In the new file only.
    Added,
    /// In the old file only.
    Removed,
    /// In both, different.
    Changed,
}

impl Presence {
    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Added => "added",
            Presence::Removed => "removed",
            Presence::Changed => "changed",
        }
    }
}

/// A checklist whose recorded version differs (or that one file only lists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistChange {
    pub checklist: String,
    pub change: Presence,
    pub old_version: Option<u32>,
    pub new_version: Option<u32>,
}

/// A scope answer added, changed or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeChange {
    pub scope: String,
    /// The scope question, when the active checklist set knows it.
    pub question: Option<String>,
    pub change: Presence,
    pub old: Option<bool>,
    pub new: Option<bool>,
}

/// One line of a note's line diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineOp {
    Same,
    Removed,
    Added,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteLine {
    pub op: LineOp,
    pub text: String,
}

/// A note before and after, with a line diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteChange {
    pub old: String,
    pub new: String,
    pub lines: Vec<NoteLine>,
}

/// What happened to an item's remediation. A remediation is *open* while its item fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RemediationKind {
    /// The item fails now, with a remediation, and did not fail with one before.
    Opened,
    /// The item failed with a remediation and now passes or is not applicable.
    Closed,
    /// The item fails in both, with a different owner, due date or ticket.
    Changed,
    /// The item failed with a remediation and now fails without one, or is unreviewed
    /// (or the item is gone).
    Dropped,
}

impl RemediationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RemediationKind::Opened => "opened",
            RemediationKind::Closed => "closed",
            RemediationKind::Changed => "changed",
            RemediationKind::Dropped => "dropped",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemediationChange {
    pub change: RemediationKind,
    pub old: Option<Remediation>,
    pub new: Option<Remediation>,
    /// For `changed`: which of `owner`, `due`, `ticket` differ.
    pub fields: Vec<&'static str>,
}

/// What happened to an answer's "carried from an earlier period" mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CarriedKind {
    /// The new answer is carried (to be confirmed); the old one was not.
    Carried,
    /// The carried answer was confirmed as it was.
    Confirmed,
    /// The carried answer was replaced by a different one, or its item had changed.
    AnsweredAgain,
    /// Carried in both, from a different period, status or change flag.
    Changed,
}

impl CarriedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CarriedKind::Carried => "carried",
            CarriedKind::Confirmed => "confirmed",
            CarriedKind::AnsweredAgain => "answered_again",
            CarriedKind::Changed => "changed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CarriedChange {
    pub change: CarriedKind,
    pub old: Option<Carried>,
    pub new: Option<Carried>,
}

/// Evidence added and removed (order is ignored; duplicates count).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct EvidenceChange {
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

impl EvidenceChange {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// Everything that differs about one item. An item in one file only is compared with a
/// blank, unreviewed answer: what it has shows as added (or removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemDiff {
    pub item: String,
    /// The question, when the active checklist set knows the item.
    pub question: Option<String>,
    pub change: Presence,
    /// `null` when the item is not in that file.
    pub old_status: Option<Status>,
    pub new_status: Option<Status>,
    pub status_changed: bool,
    pub note: Option<NoteChange>,
    pub evidence: EvidenceChange,
    pub remediation: Option<RemediationChange>,
    /// The not-applicable reason.
    pub reason: Option<Change<String>>,
    pub carried: Option<CarriedChange>,
    /// Whether the answer was set by a scope answer rather than a reviewer.
    pub auto: Option<Change<bool>>,
    /// The digest of the item content the answer was given against.
    pub digest: Option<Change<String>>,
}

/// A sign-off in one file only, or whose worth differs between the files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignOffChange {
    #[serde(flatten)]
    pub signoff: SignOffInfo,
    /// `added`, `removed`, or `changed` (in both, worth something different).
    pub change: Presence,
    pub old_state: Option<SignOffStatus>,
    pub new_state: Option<SignOffStatus>,
}

/// Counts, for a summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Every entry of the diff: product, period, checklists, scope, items, sign-offs.
    pub differences: usize,
    pub items_changed: usize,
    pub items_added: usize,
    pub items_removed: usize,
    pub status_changes: usize,
    pub notes_changed: usize,
    pub evidence_added: usize,
    pub evidence_removed: usize,
    pub remediations_opened: usize,
    pub remediations_closed: usize,
    pub remediations_changed: usize,
    pub remediations_dropped: usize,
    pub reasons_changed: usize,
    pub carried_changes: usize,
    pub scope_changes: usize,
    pub checklist_changes: usize,
    pub signoffs_added: usize,
    pub signoffs_removed: usize,
    pub signoffs_changed: usize,
}

/// Everything that differs between two results files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub old: Side,
    pub new: Side,
    /// The two files' content (everything a sign-off covers) is identical. It can differ
    /// when the diff is empty: who answered, when, or the order of answers.
    pub same_content: bool,
    pub product: Option<Change<String>>,
    pub period: Option<Change<Period>>,
    pub checklists: Vec<ChecklistChange>,
    pub scope: Vec<ScopeChange>,
    pub items: Vec<ItemDiff>,
    pub signoffs: Vec<SignOffChange>,
    pub summary: Summary,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.summary.differences == 0
    }

    /// Adds the questions `set` knows (items and scope) and orders the items as the set
    /// does, then the items it does not know by id.
    pub fn with_set(mut self, set: &ChecklistSet) -> Diff {
        let rank: BTreeMap<&str, usize> = set.items().enumerate().map(|(i, item)| (item.id.as_str(), i)).collect();
        for d in &mut self.items {
            d.question = set.item(&d.item).map(|i| i.question.clone());
        }
        self.items.sort_by(|a, b| {
            let ra = rank.get(a.item.as_str()).copied().unwrap_or(usize::MAX);
            let rb = rank.get(b.item.as_str()).copied().unwrap_or(usize::MAX);
            ra.cmp(&rb).then_with(|| a.item.cmp(&b.item))
        });
        for s in &mut self.scope {
            s.question = set.scope_question(&s.scope).map(|q| q.question.clone());
        }
        self
    }
}

/// Compares `old` with `new`. Items come in id order; see [`Diff::with_set`].
pub fn diff(old: &Results, new: &Results) -> Diff {
    let product = (old.product != new.product).then(|| Change { old: old.product.clone(), new: new.product.clone() });
    let period = (old.period != new.period).then_some(Change { old: old.period, new: new.period });

    let old_lists: BTreeMap<&str, u32> = old.checklists.iter().map(|c| (c.id.as_str(), c.version)).collect();
    let new_lists: BTreeMap<&str, u32> = new.checklists.iter().map(|c| (c.id.as_str(), c.version)).collect();
    let checklists = union(old_lists.keys(), new_lists.keys())
        .into_iter()
        .filter_map(|id| {
            let (o, n) = (old_lists.get(id).copied(), new_lists.get(id).copied());
            (o != n).then(|| ChecklistChange {
                checklist: id.to_string(),
                change: presence(o.is_some(), n.is_some()),
                old_version: o,
                new_version: n,
            })
        })
        .collect();

    let scope = union(old.scope.keys(), new.scope.keys())
        .into_iter()
        .filter_map(|id| {
            let (o, n) = (old.scope.get(id).copied(), new.scope.get(id).copied());
            (o != n).then(|| ScopeChange {
                scope: id.clone(),
                question: None,
                change: presence(o.is_some(), n.is_some()),
                old: o,
                new: n,
            })
        })
        .collect();

    let old_answers: BTreeMap<&str, &Answer> = old.answers.iter().map(|a| (a.item.as_str(), a)).collect();
    let new_answers: BTreeMap<&str, &Answer> = new.answers.iter().map(|a| (a.item.as_str(), a)).collect();
    let items = union(old_answers.keys(), new_answers.keys())
        .into_iter()
        .filter_map(|id| item_diff(id, old_answers.get(id).copied(), new_answers.get(id).copied()))
        .collect();

    let old_side = Side::of(old);
    let new_side = Side::of(new);
    let signoffs = signoff_changes(old, new);

    let mut d = Diff {
        old: old_side,
        new: new_side,
        same_content: old.content_digest() == new.content_digest(),
        product,
        period,
        checklists,
        scope,
        items,
        signoffs,
        summary: Summary::default(),
    };
    d.summary = summarise(&d);
    d
}

/// The keys of both maps, sorted, once each.
fn union<'a, K: Ord + 'a>(a: impl Iterator<Item = &'a K>, b: impl Iterator<Item = &'a K>) -> BTreeSet<&'a K> {
    a.chain(b).collect()
}

fn presence(old: bool, new: bool) -> Presence {
    match (old, new) {
        (false, true) => Presence::Added,
        (true, false) => Presence::Removed,
        _ => Presence::Changed,
    }
}

fn item_diff(id: &str, old: Option<&Answer>, new: Option<&Answer>) -> Option<ItemDiff> {
    let change = presence(old.is_some(), new.is_some());
    let empty = Answer::blank(id);
    let (o, n) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
    let note = (o.note != n.note).then(|| NoteChange {
        old: o.note.clone(),
        new: n.note.clone(),
        lines: line_diff(&o.note, &n.note),
    });
    let evidence = EvidenceChange { added: minus(&n.evidence, &o.evidence), removed: minus(&o.evidence, &n.evidence) };
    let remediation = remediation_change(o, n);
    let reason = (o.reason != n.reason).then(|| Change { old: o.reason.clone(), new: n.reason.clone() });
    let carried = carried_change(o, n);
    // For an item in one file only, the blank side's auto flag and digest mean nothing.
    let both = change == Presence::Changed;
    let auto = (both && o.auto != n.auto).then_some(Change { old: o.auto, new: n.auto });
    let digest = (both && o.digest != n.digest).then(|| Change { old: o.digest.clone(), new: n.digest.clone() });
    let status_changed = both && o.status != n.status;
    let d = ItemDiff {
        item: id.to_string(),
        question: None,
        change,
        old_status: old.map(|a| a.status),
        new_status: new.map(|a| a.status),
        status_changed,
        note,
        evidence,
        remediation,
        reason,
        carried,
        auto,
        digest,
    };
    let changed = !both
        || d.status_changed
        || d.note.is_some()
        || !d.evidence.is_empty()
        || d.remediation.is_some()
        || d.reason.is_some()
        || d.carried.is_some()
        || d.auto.is_some()
        || d.digest.is_some();
    changed.then_some(d)
}

/// The elements of `a` not matched by one in `b`, in `a`'s order (a multiset difference).
fn minus(a: &[String], b: &[String]) -> Vec<String> {
    let mut left: BTreeMap<&str, usize> = BTreeMap::new();
    for x in b {
        *left.entry(x.as_str()).or_default() += 1;
    }
    a.iter()
        .filter(|x| match left.get_mut(x.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

fn remediation_change(o: &Answer, n: &Answer) -> Option<RemediationChange> {
    let open = |a: &Answer| if a.status == Status::Fail { a.remediation.clone() } else { None };
    let (old, new) = (open(o), open(n));
    let (change, fields) = match (&old, &new) {
        (None, None) => return None,
        (None, Some(_)) => (RemediationKind::Opened, vec![]),
        (Some(_), None) if matches!(n.status, Status::Pass | Status::NotApplicable) => {
            (RemediationKind::Closed, vec![])
        }
        (Some(_), None) => (RemediationKind::Dropped, vec![]),
        (Some(a), Some(b)) if a == b => return None,
        (Some(a), Some(b)) => {
            let mut f = Vec::new();
            if a.owner != b.owner {
                f.push("owner");
            }
            if a.due != b.due {
                f.push("due");
            }
            if a.ticket != b.ticket {
                f.push("ticket");
            }
            (RemediationKind::Changed, f)
        }
    };
    Some(RemediationChange { change, old, new, fields })
}

fn carried_change(o: &Answer, n: &Answer) -> Option<CarriedChange> {
    let change = match (&o.carried, &n.carried) {
        (None, None) => return None,
        (a, b) if a == b => return None,
        (None, Some(_)) => CarriedKind::Carried,
        (Some(c), None) if !c.changed && n.status == c.status && n.status.is_answered() => CarriedKind::Confirmed,
        (Some(_), None) => CarriedKind::AnsweredAgain,
        (Some(_), Some(_)) => CarriedKind::Changed,
    };
    Some(CarriedChange { change, old: o.carried.clone(), new: n.carried.clone() })
}

fn signoff_changes(old: &Results, new: &Results) -> Vec<SignOffChange> {
    let old_states = old.signoff_states();
    let mut new_states: Vec<Option<(&SignOff, SignOffState)>> = new.signoff_states().into_iter().map(Some).collect();
    let mut out = Vec::new();
    for (s, state) in &old_states {
        let old_state = status_of(s, state);
        let matched = new_states.iter_mut().find(|e| e.as_ref().is_some_and(|(t, _)| *t == *s)).and_then(Option::take);
        match matched {
            Some((t, nstate)) => {
                let new_state = status_of(t, &nstate);
                if new_state != old_state {
                    out.push(SignOffChange {
                        signoff: SignOffInfo::of(s),
                        change: Presence::Changed,
                        old_state: Some(old_state),
                        new_state: Some(new_state),
                    });
                }
            }
            None => out.push(SignOffChange {
                signoff: SignOffInfo::of(s),
                change: Presence::Removed,
                old_state: Some(old_state),
                new_state: None,
            }),
        }
    }
    for (t, state) in new_states.into_iter().flatten() {
        out.push(SignOffChange {
            signoff: SignOffInfo::of(t),
            change: Presence::Added,
            old_state: None,
            new_state: Some(status_of(t, &state)),
        });
    }
    out
}

fn summarise(d: &Diff) -> Summary {
    let mut s = Summary {
        scope_changes: d.scope.len(),
        checklist_changes: d.checklists.len(),
        differences: usize::from(d.product.is_some())
            + usize::from(d.period.is_some())
            + d.checklists.len()
            + d.scope.len()
            + d.items.len()
            + d.signoffs.len(),
        ..Summary::default()
    };
    for i in &d.items {
        match i.change {
            Presence::Added => s.items_added += 1,
            Presence::Removed => s.items_removed += 1,
            Presence::Changed => s.items_changed += 1,
        }
        s.status_changes += usize::from(i.status_changed);
        s.notes_changed += usize::from(i.note.is_some());
        s.evidence_added += i.evidence.added.len();
        s.evidence_removed += i.evidence.removed.len();
        match i.remediation.as_ref().map(|r| r.change) {
            Some(RemediationKind::Opened) => s.remediations_opened += 1,
            Some(RemediationKind::Closed) => s.remediations_closed += 1,
            Some(RemediationKind::Changed) => s.remediations_changed += 1,
            Some(RemediationKind::Dropped) => s.remediations_dropped += 1,
            None => {}
        }
        s.reasons_changed += usize::from(i.reason.is_some());
        s.carried_changes += usize::from(i.carried.is_some());
    }
    for c in &d.signoffs {
        match c.change {
            Presence::Added => s.signoffs_added += 1,
            Presence::Removed => s.signoffs_removed += 1,
            Presence::Changed => s.signoffs_changed += 1,
        }
    }
    s
}

/// Notes longer than this many lines on both sides are diffed as "all removed, all added"
/// rather than line by line (the line diff is quadratic).
const MAX_DIFF_LINES: usize = 2000;

/// A line diff of `old` and `new` (longest common subsequence), removals before additions
/// within a change.
pub fn line_diff(old: &str, new: &str) -> Vec<NoteLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let line = |op, text: &str| NoteLine { op, text: text.to_string() };
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > MAX_DIFF_LINES * MAX_DIFF_LINES / 4 {
        return a.iter().map(|t| line(LineOp::Removed, t)).chain(b.iter().map(|t| line(LineOp::Added, t))).collect();
    }
    // lcs[i][j]: the length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n.max(m));
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(line(LineOp::Same, a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(line(LineOp::Removed, a[i]));
            i += 1;
        } else {
            out.push(line(LineOp::Added, b[j]));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::results::ChecklistRef;

    /// A set of three items (a.one, a.eea, a.both) and two scope questions.
    fn set() -> ChecklistSet {
        crate::model::results::tests::set()
    }

    fn t(s: i64) -> jiff::Timestamp {
        jiff::Timestamp::from_second(1_790_000_000 + s).unwrap()
    }

    fn answer(item: &str, status: Status) -> Answer {
        Answer { digest: "sha256:01".into(), status, ..Answer::blank(item) }
    }

    fn rem(owner: &str, ticket: &str) -> Option<Remediation> {
        Some(Remediation { owner: owner.into(), due: Some(jiff::civil::date(2026, 12, 31)), ticket: ticket.into() })
    }

    fn results(answers: Vec<Answer>) -> Results {
        Results {
            schema: crate::model::results::SCHEMA,
            policy: None,
            product: "Shop".into(),
            period: "2026-Q3".parse().unwrap(),
            checklists: vec![ChecklistRef { id: "a".into(), version: 1 }],
            scope: [("eea".to_string(), true)].into_iter().collect(),
            answers,
            signoffs: Vec::new(),
        }
    }

    fn signoff(r: &Results, name: &str, signed: bool) -> SignOff {
        SignOff {
            name: name.into(),
            email: format!("{}@example.com", name.to_lowercase()),
            role: "reviewer".into(),
            at: t(100),
            digest: r.content_digest(),
            key: signed.then(|| "SHA256:k".into()),
            signature: signed.then(|| "sig".into()),
        }
    }

    #[test]
    fn identical_results_have_no_differences() {
        let mut r = results(vec![answer("a.one", Status::Pass), answer("a.two", Status::Fail)]);
        r.signoffs.push(signoff(&r, "Ann", true));
        let d = diff(&r, &r.clone());
        assert!(d.is_empty(), "{d:#?}");
        assert!(d.same_content);
        assert_eq!(d.old.signoff, SignOffStatus::Unverified);
        assert_eq!(d.summary, Summary::default());
    }

    #[test]
    fn who_and_when_are_not_differences_but_the_content_is_not_the_same() {
        let old = results(vec![answer("a.one", Status::Pass)]);
        let mut new = old.clone();
        new.answers[0].by = "bob".into();
        new.answers[0].at = Some(t(5));
        let d = diff(&old, &new);
        assert!(d.is_empty());
        assert!(!d.same_content);
    }

    #[test]
    fn status_note_evidence_reason_and_flags() {
        let mut old = results(vec![
            answer("a.status", Status::Pass),
            answer("a.note", Status::Pass),
            answer("a.evidence", Status::Pass),
            answer("a.reason", Status::NotApplicable),
            answer("a.auto", Status::NotApplicable),
            answer("a.digest", Status::Pass),
        ]);
        old.answers[1].note = "one\ntwo\nthree".into();
        old.answers[2].evidence = vec!["x".into(), "y".into(), "y".into()];
        old.answers[3].reason = "no app".into();
        old.answers[4].auto = true;
        let mut new = old.clone();
        new.answers[0].status = Status::Unreviewed;
        new.answers[1].note = "one\n2\nthree\nfour".into();
        new.answers[2].evidence = vec!["y".into(), "z".into(), "x".into()];
        new.answers[3].reason = "no mobile app".into();
        new.answers[4].auto = false;
        new.answers[5].digest = "sha256:02".into();
        let d = diff(&old, &new);
        let ids: Vec<&str> = d.items.iter().map(|i| i.item.as_str()).collect();
        assert_eq!(ids, ["a.auto", "a.digest", "a.evidence", "a.note", "a.reason", "a.status"]);
        let get = |id: &str| d.items.iter().find(|i| i.item == id).unwrap();
        let s = get("a.status");
        assert!(s.status_changed);
        assert_eq!((s.old_status, s.new_status), (Some(Status::Pass), Some(Status::Unreviewed)));
        let note = get("a.note").note.as_ref().unwrap();
        let ops: Vec<(LineOp, &str)> = note.lines.iter().map(|l| (l.op, l.text.as_str())).collect();
        assert_eq!(
            ops,
            [
                (LineOp::Same, "one"),
                (LineOp::Removed, "two"),
                (LineOp::Added, "2"),
                (LineOp::Same, "three"),
                (LineOp::Added, "four")
            ]
        );
        assert!(!get("a.note").status_changed);
        let e = &get("a.evidence").evidence;
        assert_eq!((e.added.as_slice(), e.removed.as_slice()), (&["z".to_string()][..], &["y".to_string()][..]));
        assert_eq!(get("a.reason").reason, Some(Change { old: "no app".into(), new: "no mobile app".into() }));
        assert_eq!(get("a.auto").auto, Some(Change { old: true, new: false }));
        assert_eq!(get("a.digest").digest.as_ref().unwrap().new, "sha256:02");
        assert_eq!(d.summary.items_changed, 6);
        assert_eq!(d.summary.status_changes, 1);
        assert_eq!((d.summary.evidence_added, d.summary.evidence_removed), (1, 1));
        assert_eq!(d.summary.differences, 6);
    }

    #[test]
    fn remediations_open_close_change_and_drop() {
        let mut old = results(vec![
            answer("a.open", Status::Pass),
            answer("a.close", Status::Fail),
            answer("a.change", Status::Fail),
            answer("a.drop", Status::Fail),
            answer("a.same", Status::Fail),
            answer("a.bare", Status::Fail),
        ]);
        for i in 1..5 {
            old.answers[i].remediation = rem("ann", "T-1");
        }
        let mut new = old.clone();
        new.answers[0].status = Status::Fail;
        new.answers[0].remediation = rem("bob", "T-2");
        new.answers[1].status = Status::NotApplicable; // the remediation stays in the file
        new.answers[2].remediation = rem("bob", "T-1");
        new.answers[3].status = Status::Unreviewed;
        new.answers[5].status = Status::Pass; // failed without a remediation: nothing to close
        let d = diff(&old, &new);
        let kind = |id: &str| {
            d.items
                .iter()
                .find(|i| i.item == id)
                .and_then(|i| i.remediation.as_ref())
                .map(|r| (r.change, r.fields.clone()))
        };
        assert_eq!(kind("a.open"), Some((RemediationKind::Opened, vec![])));
        assert_eq!(kind("a.close"), Some((RemediationKind::Closed, vec![])));
        assert_eq!(kind("a.change"), Some((RemediationKind::Changed, vec!["owner"])));
        assert_eq!(kind("a.drop"), Some((RemediationKind::Dropped, vec![])));
        assert_eq!(kind("a.bare"), None);
        assert!(d.items.iter().all(|i| i.item != "a.same"));
        let s = d.summary;
        assert_eq!(
            (s.remediations_opened, s.remediations_closed, s.remediations_changed, s.remediations_dropped),
            (1, 1, 1, 1)
        );
    }

    #[test]
    fn carried_marks() {
        let q2: Period = "2026-Q2".parse().unwrap();
        let carried = |status, changed| Some(Carried { from: q2, status, changed });
        let mut old = results(vec![
            answer("a.carried", Status::Pass),
            answer("a.confirmed", Status::Pass),
            answer("a.again", Status::Pass),
            answer("a.changed-item", Status::Unreviewed),
        ]);
        old.answers[1].carried = carried(Status::Pass, false);
        old.answers[2].carried = carried(Status::Pass, false);
        old.answers[3].carried = carried(Status::Pass, true);
        let mut new = old.clone();
        new.answers[0].carried = carried(Status::Pass, false);
        new.answers[1].carried = None;
        new.answers[2].carried = None;
        new.answers[2].status = Status::Fail;
        new.answers[3].carried = None;
        new.answers[3].status = Status::Pass;
        let d = diff(&old, &new);
        let kind = |id: &str| d.items.iter().find(|i| i.item == id).unwrap().carried.as_ref().unwrap().change;
        assert_eq!(kind("a.carried"), CarriedKind::Carried);
        assert_eq!(kind("a.confirmed"), CarriedKind::Confirmed);
        assert_eq!(kind("a.again"), CarriedKind::AnsweredAgain);
        assert_eq!(kind("a.changed-item"), CarriedKind::AnsweredAgain);
    }

    #[test]
    fn items_in_one_file_only_and_ordering_by_a_set() {
        let mut old = results(vec![answer("a.one", Status::Pass), answer("z.gone", Status::Fail)]);
        old.answers[1].remediation = rem("ann", "T");
        let mut new = results(vec![answer("a.one", Status::Pass), answer("a.both", Status::Fail)]);
        new.answers[1].remediation = rem("bob", "U");
        new.answers[1].note = "new".into();
        new.answers.push(answer("b.unknown", Status::Pass));
        let d = diff(&old, &new);
        let gone = d.items.iter().find(|i| i.item == "z.gone").unwrap();
        assert_eq!((gone.change, gone.old_status, gone.new_status), (Presence::Removed, Some(Status::Fail), None));
        assert!(!gone.status_changed);
        assert_eq!(gone.remediation.as_ref().unwrap().change, RemediationKind::Dropped);
        let both = d.items.iter().find(|i| i.item == "a.both").unwrap();
        assert_eq!(both.change, Presence::Added);
        assert_eq!(both.remediation.as_ref().unwrap().change, RemediationKind::Opened);
        assert_eq!(both.note.as_ref().unwrap().new, "new");
        assert!(both.digest.is_none());
        assert_eq!((d.summary.items_added, d.summary.items_removed), (2, 1));

        // The set (a.one, a.eea, a.both) orders what it knows; the rest by id, after.
        let set = set();
        let d = d.with_set(&set);
        let ids: Vec<&str> = d.items.iter().map(|i| i.item.as_str()).collect();
        assert_eq!(ids, ["a.both", "b.unknown", "z.gone"]);
        assert_eq!(d.items[0].question.as_deref(), Some("a.both?"));
        assert_eq!(d.items[1].question, None);
    }

    #[test]
    fn scope_product_period_and_checklists() {
        let mut old = results(vec![]);
        old.scope.insert("ca".into(), false);
        old.scope.insert("gone".into(), true);
        let mut new = old.clone();
        new.product = "Shop Web".into();
        new.period = "2026-Q4".parse().unwrap();
        new.scope.insert("ca".into(), true);
        new.scope.remove("gone");
        new.scope.insert("added".into(), false);
        new.checklists[0].version = 2;
        new.checklists.push(ChecklistRef { id: "b".into(), version: 1 });
        let d = diff(&old, &new).with_set(&set());
        assert_eq!(d.product, Some(Change { old: "Shop".into(), new: "Shop Web".into() }));
        assert_eq!(d.period.as_ref().map(|p| p.new.to_string()), Some("2026-Q4".into()));
        let scope: Vec<(&str, Presence, Option<bool>, Option<bool>)> =
            d.scope.iter().map(|s| (s.scope.as_str(), s.change, s.old, s.new)).collect();
        assert_eq!(
            scope,
            [
                ("added", Presence::Added, None, Some(false)),
                ("ca", Presence::Changed, Some(false), Some(true)),
                ("gone", Presence::Removed, Some(true), None)
            ]
        );
        assert_eq!(d.scope[1].question.as_deref(), Some("CA?"));
        let lists: Vec<(&str, Presence, Option<u32>, Option<u32>)> =
            d.checklists.iter().map(|c| (c.checklist.as_str(), c.change, c.old_version, c.new_version)).collect();
        assert_eq!(lists, [("a", Presence::Changed, Some(1), Some(2)), ("b", Presence::Added, None, Some(1))]);
        assert_eq!(d.summary.differences, 2 + 3 + 2);
    }

    #[test]
    fn signoff_states_and_changes() {
        let mut old = results(vec![answer("a.one", Status::Pass)]);
        let ann = signoff(&old, "Ann", true);
        let cy = signoff(&old, "Cy", false);
        old.signoffs = vec![ann.clone(), cy.clone()];
        let d = diff(&old, &results(vec![answer("a.one", Status::Pass)]));
        assert_eq!(d.old.signoff, SignOffStatus::Unsigned);
        assert_eq!(d.new.signoff, SignOffStatus::None);
        assert_eq!(d.summary.signoffs_removed, 2);

        let mut new = old.clone();
        new.answers[0].note = "changed".into();
        let bob = signoff(&new, "Bob", false);
        new.signoffs = vec![ann.clone(), bob];
        let d = diff(&old, &new);
        let states: Vec<SignOffStatus> = d.new.signoffs.iter().map(|s| s.state).collect();
        assert_eq!(states, [SignOffStatus::Void, SignOffStatus::Unsigned]);
        assert_eq!(d.new.signoff, SignOffStatus::Void);
        let changes: Vec<(&str, Presence, Option<SignOffStatus>, Option<SignOffStatus>)> =
            d.signoffs.iter().map(|c| (c.signoff.name.as_str(), c.change, c.old_state, c.new_state)).collect();
        assert_eq!(
            changes,
            [
                ("Ann", Presence::Changed, Some(SignOffStatus::Unverified), Some(SignOffStatus::Void)),
                ("Cy", Presence::Removed, Some(SignOffStatus::Unsigned), None),
                ("Bob", Presence::Added, None, Some(SignOffStatus::Unsigned)),
            ]
        );
        assert_eq!((d.summary.signoffs_added, d.summary.signoffs_removed, d.summary.signoffs_changed), (1, 1, 1));
    }

    #[test]
    fn json_field_names_are_stable() {
        let old = results(vec![answer("a.one", Status::Pass)]);
        let mut new = old.clone();
        new.answers[0].status = Status::Fail;
        new.answers[0].remediation = rem("ann", "T-1");
        let v = serde_json::to_value(diff(&old, &new)).unwrap();
        let item = &v["items"][0];
        assert_eq!(item["item"], "a.one");
        assert_eq!(item["old_status"], "pass");
        assert_eq!(item["new_status"], "fail");
        assert_eq!(item["remediation"]["change"], "opened");
        assert_eq!(item["remediation"]["new"]["due"], "2026-12-31");
        assert!(item["note"].is_null());
        assert_eq!(v["old"]["signoff"], "none");
        assert_eq!(v["summary"]["differences"], 1);
    }

    #[test]
    fn line_diff_of_empty_and_single_lines() {
        let ops = |a, b| line_diff(a, b).into_iter().map(|l| l.op).collect::<Vec<_>>();
        assert_eq!(ops("", "x"), [LineOp::Added]);
        assert_eq!(ops("x", ""), [LineOp::Removed]);
        assert_eq!(ops("x", "y"), [LineOp::Removed, LineOp::Added]);
    }
}
