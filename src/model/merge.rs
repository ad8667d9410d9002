//! Three-way merge of results, item by item: what `privcheck merge-file`, git's merge driver
//! for results files, does with the base version and the two sides.
//!
//! Pure. Each part is merged on its own, as git merges lines: an item's answer, each scope
//! answer, each checklist reference, the product, the period and the policy version. A part
//! changed on one side only takes that side's value; changed on both sides the same way,
//! that value; changed on both sides in two different ways, it is a conflict, left for a
//! person. Who answered and when (`by`, `at`) do not make two answers different: of two
//! answers that differ only there, the later is kept.
//!
//! Sign-offs are merged as a set: each side's new sign-offs are added (one copy of a
//! sign-off both sides added), and one removed by either side stays removed. They are
//! never changed: a sign-off whose digest no longer matches the merged content is void, as
//! after any edit, and `verify` says the review must be signed again.
//!
//! The schema of the merge is the newest of the three: older versions are brought to it
//! first ([`Results::upgrade`]), so that an upgrade on one side is not a change to every
//! answer.

use crate::model::checklist::ChecklistSet;
use crate::model::results::{Answer, ChecklistRef, Results, SignOff};
use std::collections::{BTreeMap, HashMap};

/// An item answered in two different ways (or changed on one side and removed on the other).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerConflict {
    pub item: String,
    /// Our answer (`None`: we removed it).
    pub ours: Option<Answer>,
    /// Their answer (`None`: they removed it).
    pub theirs: Option<Answer>,
}

/// What merging three versions gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The merged results. Where a part is in conflict it holds our value, and for a
    /// conflicted item our answer (theirs when we removed it), at the item's place.
    pub results: Results,
    /// The items in conflict, in the order of `results.answers`.
    pub answers: Vec<AnswerConflict>,
    /// The other parts in conflict: `product`, `period`, `policy`, `scope.ID`, `checklist.ID`.
    pub fields: Vec<String>,
    /// When `fields` is not empty: the merged results with their values for those parts.
    pub theirs: Option<Results>,
}

impl Merged {
    /// Did everything merge?
    pub fn is_clean(&self) -> bool {
        self.answers.is_empty() && self.fields.is_empty()
    }
}

/// The three-way merge of one value: `Ok(value)`, or `Err((ours, theirs))` in conflict.
fn three<T: PartialEq + Clone>(base: &T, ours: &T, theirs: &T) -> Result<T, (T, T)> {
    if ours == theirs || theirs == base {
        Ok(ours.clone())
    } else if ours == base {
        Ok(theirs.clone())
    } else {
        Err((ours.clone(), theirs.clone()))
    }
}

/// Are two answers the same but for who gave them and when?
fn same_answer(a: &Answer, b: &Answer) -> bool {
    Answer { by: String::new(), at: None, ..a.clone() } == Answer { by: String::new(), at: None, ..b.clone() }
}

/// Of two answers the same but for who and when, the later (then: by name; then ours).
fn later(ours: &Answer, theirs: &Answer) -> Answer {
    if (theirs.at, &theirs.by) > (ours.at, &ours.by) { theirs.clone() } else { ours.clone() }
}

/// The merge of one item's answers.
fn merge_answer(
    base: Option<&Answer>,
    ours: Option<&Answer>,
    theirs: Option<&Answer>,
) -> Result<Option<Answer>, Box<AnswerConflict>> {
    let same = |a: Option<&Answer>, b: Option<&Answer>| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_answer(a, b),
        _ => false,
    };
    let pick = |a: Option<&Answer>, b: Option<&Answer>| match (a, b) {
        (Some(a), Some(b)) => Some(later(a, b)),
        (a, _) => a.cloned(),
    };
    if same(ours, theirs) {
        Ok(pick(ours, theirs))
    } else if same(theirs, base) {
        Ok(ours.cloned())
    } else if same(ours, base) {
        Ok(theirs.cloned())
    } else {
        let item = ours.or(theirs).map(|a| a.item.clone()).unwrap_or_default();
        Err(Box::new(AnswerConflict { item, ours: ours.cloned(), theirs: theirs.cloned() }))
    }
}

/// The keys of `ours` in order, then those only `theirs` has, each after the key it follows
/// in `theirs` (deterministic, and the checklist order when both sides follow it).
fn union_order<'a>(ours: &[&'a str], theirs: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = ours.to_vec();
    for (i, id) in theirs.iter().enumerate() {
        if out.contains(id) {
            continue;
        }
        let at = theirs[..i].iter().rev().find_map(|prev| out.iter().position(|o| o == prev)).map_or(0, |p| p + 1);
        out.insert(at, id);
    }
    out
}

/// Merges `ours` and `theirs`, both changed from `base`. `set` is the checklist set, used
/// only to bring an older schema to the newest of the three.
pub fn merge(base: &Results, ours: &Results, theirs: &Results, set: &ChecklistSet) -> Merged {
    let schema = base.schema.max(ours.schema).max(theirs.schema);
    let [base, ours, theirs] = [base, ours, theirs].map(|r| {
        let mut r = r.clone();
        if r.schema < schema {
            r.upgrade(set);
        }
        r
    });
    let mut fields = Vec::new();
    let mut theirs_header = ours.clone();
    let mut field = |name: &str| fields.push(name.to_string());

    let product = three(&base.product, &ours.product, &theirs.product).unwrap_or_else(|(o, t)| {
        field("product");
        theirs_header.product = t;
        o
    });
    let period = three(&base.period, &ours.period, &theirs.period).unwrap_or_else(|(o, t)| {
        field("period");
        theirs_header.period = t;
        o
    });
    let policy = three(&base.policy, &ours.policy, &theirs.policy).unwrap_or_else(|(o, t)| {
        field("policy");
        theirs_header.policy = t.clone();
        o
    });

    let mut scope = BTreeMap::new();
    let mut scope_theirs = BTreeMap::new();
    let keys: std::collections::BTreeSet<&String> =
        base.scope.keys().chain(ours.scope.keys()).chain(theirs.scope.keys()).collect();
    for k in keys {
        let (b, o, t) = (base.scope.get(k), ours.scope.get(k), theirs.scope.get(k));
        let (mine, yours) = match three(&b, &o, &t) {
            Ok(v) => (v, v),
            Err((o, t)) => {
                field(&format!("scope.{k}"));
                (o, t)
            }
        };
        if let Some(v) = mine {
            scope.insert(k.clone(), *v);
        }
        if let Some(v) = yours {
            scope_theirs.insert(k.clone(), *v);
        }
    }

    let version = |r: &Results, id: &str| r.checklists.iter().find(|c| c.id == id).map(|c| c.version);
    let ids: Vec<&str> = union_order(
        &ours.checklists.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        &theirs.checklists.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
    );
    let mut checklists = Vec::new();
    let mut checklists_theirs = Vec::new();
    for id in ids {
        let (mine, yours) = match three(&version(&base, id), &version(&ours, id), &version(&theirs, id)) {
            Ok(v) => (v, v),
            Err((o, t)) => {
                field(&format!("checklist.{id}"));
                (o, t)
            }
        };
        checklists.extend(mine.map(|version| ChecklistRef { id: id.to_string(), version }));
        checklists_theirs.extend(yours.map(|version| ChecklistRef { id: id.to_string(), version }));
    }

    let by_id =
        |r: &Results| -> HashMap<String, Answer> { r.answers.iter().map(|a| (a.item.clone(), a.clone())).collect() };
    let (b, o, t) = (by_id(&base), by_id(&ours), by_id(&theirs));
    let order = union_order(
        &ours.answers.iter().map(|a| a.item.as_str()).collect::<Vec<_>>(),
        &theirs.answers.iter().map(|a| a.item.as_str()).collect::<Vec<_>>(),
    );
    let mut answers = Vec::new();
    let mut conflicts = Vec::new();
    for id in order {
        match merge_answer(b.get(id), o.get(id), t.get(id)) {
            Ok(a) => answers.extend(a),
            Err(c) => {
                answers.extend(c.ours.clone().or_else(|| c.theirs.clone()));
                conflicts.push(*c);
            }
        }
    }

    // Sign-offs: in the result when both sides have it, or one side added it.
    let has = |r: &Results, s: &SignOff| r.signoffs.contains(s);
    let mut signoffs: Vec<SignOff> = Vec::new();
    for s in ours.signoffs.iter().chain(&theirs.signoffs) {
        let kept = (has(&ours, s) && has(&theirs, s)) || !has(&base, s);
        if kept && !signoffs.contains(s) {
            signoffs.push(s.clone());
        }
    }

    let results = Results { schema, product, period, policy, checklists, scope, answers, signoffs };
    let theirs = (!fields.is_empty()).then(|| Results {
        scope: scope_theirs,
        checklists: checklists_theirs,
        product: theirs_header.product,
        period: theirs_header.period,
        policy: theirs_header.policy,
        ..results.clone()
    });
    Merged { results, answers: conflicts, fields, theirs }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::results::tests::set;
    use crate::model::results::{Remediation, SignOffState, Status};
    use jiff::Timestamp;

    fn t(s: i64) -> Timestamp {
        Timestamp::from_second(1_790_000_000 + s).unwrap()
    }

    /// A review of the test set with every item answered pass, signed off.
    fn base() -> Results {
        let s = set();
        let mut r = Results::new("shop", "2026-Q4".parse().unwrap(), &s);
        r.scope.insert("eea".into(), true);
        r.scope.insert("ca".into(), true);
        for a in &mut r.answers {
            a.status = Status::Pass;
            a.by = "ann".into();
            a.at = Some(t(0));
        }
        let digest = r.content_digest();
        r.signoffs.push(SignOff {
            name: "Ann".into(),
            email: "ann@example.com".into(),
            role: "reviewer".into(),
            at: t(10),
            digest,
            key: None,
            signature: None,
        });
        r
    }

    fn fail(r: &mut Results, i: usize, owner: &str) {
        let a = &mut r.answers[i];
        a.status = Status::Fail;
        a.remediation =
            Some(Remediation { owner: owner.into(), due: Some("2027-01-31".parse().unwrap()), ticket: String::new() });
        a.at = Some(t(100));
    }

    #[test]
    fn changes_to_different_items_merge_and_the_signoff_is_kept_but_void() {
        let b = base();
        let mut o = b.clone();
        fail(&mut o, 0, "bob");
        let mut th = b.clone();
        th.answers[2].note = "checked again".into();
        let m = merge(&b, &o, &th, &set());
        assert!(m.is_clean(), "{m:?}");
        assert_eq!(m.results.answers[0], o.answers[0]);
        assert_eq!(m.results.answers[2], th.answers[2]);
        assert_eq!(m.results.answers[1], b.answers[1]);
        assert_eq!(m.results.signoffs, b.signoffs, "kept");
        assert!(matches!(m.results.signoff_states()[0].1, SignOffState::Void { .. }), "and void");
        // The same whichever side is ours.
        assert_eq!(merge(&b, &th, &o, &set()).results, m.results);
    }

    #[test]
    fn the_same_item_changed_two_ways_is_a_conflict_and_the_same_way_is_not() {
        let b = base();
        let mut o = b.clone();
        fail(&mut o, 1, "bob");
        let mut th = b.clone();
        fail(&mut th, 1, "carol");
        th.answers[0].note = "theirs".into();
        let m = merge(&b, &o, &th, &set());
        assert!(!m.is_clean());
        assert_eq!(
            m.answers,
            [AnswerConflict {
                item: "a.eea".into(),
                ours: Some(o.answers[1].clone()),
                theirs: Some(th.answers[1].clone())
            }]
        );
        assert!(m.fields.is_empty() && m.theirs.is_none());
        assert_eq!(m.results.answers[1], o.answers[1], "ours holds the place");
        assert_eq!(m.results.answers[0], th.answers[0], "the rest merged");
        // The same answer on both sides, by other people at other times: the later, no conflict.
        let mut th = b.clone();
        fail(&mut th, 1, "bob");
        th.answers[1].by = "zed".into();
        th.answers[1].at = Some(t(200));
        let m = merge(&b, &o, &th, &set());
        assert!(m.is_clean(), "{m:?}");
        assert_eq!(m.results.answers[1], th.answers[1]);
    }

    #[test]
    fn scope_checklists_product_and_policy_merge_part_by_part() {
        let b = base();
        let mut o = b.clone();
        o.policy = Some("policy-v2.txt".into());
        o.scope.insert("eea".into(), false);
        let mut th = b.clone();
        th.checklists[0].version = 2;
        th.scope.remove("ca");
        let m = merge(&b, &o, &th, &set());
        assert!(m.is_clean(), "{m:?}");
        assert_eq!(m.results.policy.as_deref(), Some("policy-v2.txt"));
        assert_eq!(m.results.scope, BTreeMap::from([("eea".to_string(), false)]));
        assert_eq!(m.results.checklists[0].version, 2);
        // Two ways: each part named; theirs' values kept aside.
        let mut th = b.clone();
        th.policy = Some("policy-v3.txt".into());
        th.scope.insert("eea".into(), true);
        th.product = "shop!".into();
        let mut o2 = o.clone();
        o2.product = "Shop".into();
        let m = merge(&b, &o2, &th, &set());
        assert_eq!(m.fields, ["product", "policy"], "eea: theirs left it as it was");
        let theirs = m.theirs.unwrap();
        assert_eq!((theirs.product.as_str(), theirs.policy.as_deref()), ("shop!", Some("policy-v3.txt")));
        assert_eq!((m.results.product.as_str(), m.results.policy.as_deref()), ("Shop", Some("policy-v2.txt")));
        assert_eq!(theirs.answers, m.results.answers);
        let mut th2 = b.clone();
        th2.scope.insert("eea".into(), false);
        th2.scope.insert("ca".into(), false);
        let mut o3 = b.clone();
        o3.scope.remove("ca");
        assert_eq!(merge(&b, &o3, &th2, &set()).fields, ["scope.ca"]);
    }

    #[test]
    fn signoffs_are_merged_as_a_set() {
        let b = base();
        let mut o = b.clone();
        fail(&mut o, 0, "bob");
        let mut th = b.clone();
        let new = SignOff { role: "approver".into(), email: "avery@example.com".into(), ..b.signoffs[0].clone() };
        o.signoffs.push(new.clone());
        th.signoffs.push(new.clone());
        let m = merge(&b, &o, &th, &set());
        assert_eq!(m.results.signoffs, [b.signoffs[0].clone(), new.clone()], "one copy of the one both added");
        // A sign-off one side removed (signing again drops void ones) stays removed.
        let mut th = b.clone();
        th.signoffs.clear();
        let resigned = SignOff { at: t(500), ..b.signoffs[0].clone() };
        th.signoffs.push(resigned.clone());
        let m = merge(&b, &o, &th, &set());
        assert_eq!(m.results.signoffs, [new, resigned]);
    }

    #[test]
    fn the_schema_is_the_newest_and_an_upgrade_is_no_change() {
        let s = set();
        let mut b = base();
        b.schema = 1;
        for a in &mut b.answers {
            a.digest = s.item_digest(s.item(&a.item).unwrap(), 1);
        }
        let mut o = b.clone();
        fail(&mut o, 0, "bob");
        let mut th = b.clone();
        assert!(th.upgrade(&s));
        th.answers[2].note = "upgraded and noted".into();
        let m = merge(&b, &o, &th, &s);
        assert!(m.is_clean(), "{m:?}");
        assert_eq!(m.results.schema, crate::model::results::SCHEMA);
        assert!(m.results.signoff_blockers(&s).iter().all(|(_, p)| p.code() != "stale"), "every digest upgraded");
        assert_eq!(m.results.answers[0].status, Status::Fail);
        assert_eq!(m.results.answers[2].note, "upgraded and noted");
        // All of schema 1: stays schema 1.
        let m = merge(&b, &o, &b, &s);
        assert_eq!(m.results.schema, 1);
        assert_eq!(m.results, o);
    }

    #[test]
    fn items_one_side_added_keep_their_place() {
        assert_eq!(union_order(&["a", "c"], &["a", "b", "c", "d"]), ["a", "b", "c", "d"]);
        assert_eq!(union_order(&["b"], &["a", "b"]), ["a", "b"]);
        assert_eq!(union_order(&["a", "b"], &["b", "a"]), ["a", "b"]);
    }
}
