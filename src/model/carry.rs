//! Starting a period from the previous one.
//!
//! Last quarter's truth is not this quarter's: every carried answer keeps its status, note,
//! evidence and remediation but is marked carried, to be confirmed by the reviewer. An item
//! whose content changed since (its digest differs) is not carried as answered: it comes
//! back unreviewed, flagged as changed, with the old answer kept for reference.

use crate::model::checklist::ChecklistSet;
use crate::model::period::Period;
use crate::model::results::{Answer, Carried, Results, Status};
use jiff::Timestamp;

/// What happened to the previous answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CarryReport {
    /// Answers carried, to be confirmed.
    pub to_confirm: Vec<String>,
    /// Items whose content changed: unreviewed again.
    pub changed: Vec<String>,
    /// Items new in the checklist set.
    pub added: Vec<String>,
    /// Answers to items the set no longer has.
    pub removed: Vec<String>,
}

/// The results for `period`, started from `prev` against `set`. `at` is recorded on answers
/// that scope sets.
pub fn carry(prev: &Results, set: &ChecklistSet, period: Period, at: Timestamp) -> (Results, CarryReport) {
    let mut next = Results::new(&prev.product, period, set);
    let mut report = CarryReport::default();
    next.scope =
        prev.scope.iter().filter(|(id, _)| set.scope_question(id).is_some()).map(|(k, v)| (k.clone(), *v)).collect();
    // The version in force carries while the set still declares it (a set that declares no
    // documents checks no name).
    next.policy = prev.policy.clone().filter(|p| set.documents.is_empty() || set.document(p).is_some());
    for (i, item) in set.items().enumerate() {
        let Some(old) = prev.answer(&item.id) else {
            report.added.push(item.id.clone());
            continue;
        };
        if old.status == Status::Unreviewed || old.auto {
            // Nothing a reviewer said: scope decides again below.
            next.answers[i].note = old.note.clone();
            next.answers[i].evidence = old.evidence.clone();
            continue;
        }
        // A carried answer from an answer that was itself carried keeps the original
        // period only if it was never confirmed; either way, it is confirmed from `prev`.
        let changed = old.digest != prev.item_digest(set, item);
        let a: &mut Answer = &mut next.answers[i];
        a.note = old.note.clone();
        a.evidence = old.evidence.clone();
        a.remediation = old.remediation.clone();
        a.reason = old.reason.clone();
        a.by = old.by.clone();
        a.at = old.at;
        a.carried = Some(Carried { from: prev.period, status: old.status, changed });
        if changed {
            a.status = Status::Unreviewed;
            report.changed.push(item.id.clone());
        } else {
            a.status = old.status;
            report.to_confirm.push(item.id.clone());
        }
    }
    report.removed = prev.answers.iter().filter(|a| set.item(&a.item).is_none()).map(|a| a.item.clone()).collect();
    next.apply_scope(set, "privcheck (scope)", at);
    (next, report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::results::Remediation;
    use crate::store::checklist_file::builtin;

    fn prev() -> (ChecklistSet, Results) {
        let set = builtin();
        let mut r = Results::new("shop", "2026-Q3".parse().unwrap(), &set);
        for q in &set.scope {
            r.scope.insert(q.id.clone(), true);
        }
        for a in &mut r.answers {
            a.status = Status::Pass;
            a.note = format!("checked {}", a.item);
            a.by = "ann".into();
        }
        r.answers[1].status = Status::Fail;
        r.answers[1].remediation =
            Some(Remediation { owner: "bo".into(), due: Some(jiff::civil::date(2026, 9, 1)), ticket: "T-1".into() });
        (set, r)
    }

    #[test]
    fn every_answer_is_carried_to_be_confirmed() {
        let (set, prev) = prev();
        let (next, report) = carry(&prev, &set, "2026-Q4".parse().unwrap(), Timestamp::UNIX_EPOCH);
        assert_eq!(report.to_confirm.len(), set.item_count());
        assert!(report.changed.is_empty() && report.added.is_empty() && report.removed.is_empty());
        assert_eq!(next.period.to_string(), "2026-Q4");
        assert_eq!(next.scope, prev.scope);
        let a = &next.answers[1];
        assert_eq!(a.status, Status::Fail);
        assert_eq!(a.remediation, prev.answers[1].remediation);
        assert_eq!(a.carried, Some(Carried { from: "2026-Q3".parse().unwrap(), status: Status::Fail, changed: false }));
        assert!(next.signoffs.is_empty());
        // Not signable until confirmed.
        assert_eq!(next.signoff_blockers(&set).len(), set.item_count());
    }

    #[test]
    fn changed_items_come_back_unreviewed_with_the_old_answer() {
        let (mut set, prev) = prev();
        set.checklists[0].items[0].question.push_str(" (revised)");
        let removed = set.checklists[0].items.remove(2);
        let (next, report) = carry(&prev, &set, "2026-Q4".parse().unwrap(), Timestamp::UNIX_EPOCH);
        let id = set.checklists[0].items[0].id.clone();
        assert_eq!(report.changed, vec![id.clone()]);
        assert_eq!(report.removed, vec![removed.id]);
        let a = next.answer(&id).unwrap();
        assert_eq!(a.status, Status::Unreviewed);
        assert_eq!(a.note, format!("checked {id}"));
        assert!(a.carried.as_ref().is_some_and(|c| c.changed && c.status == Status::Pass));
        assert!(
            a.problems_for_digest(Some(&next.item_digest(&set, set.item(&id).unwrap())))
                .iter()
                .any(|p| p.to_string().contains("changed since 2026-Q3"))
        );
    }

    #[test]
    fn the_version_in_force_carries_while_the_set_declares_it() {
        let (mut set, mut prev) = prev();
        prev.policy = Some("alibaba-com-2019-01-17.txt".into());
        let q4 = "2026-Q4".parse().unwrap();
        let (next, _) = carry(&prev, &set, q4, Timestamp::UNIX_EPOCH);
        assert_eq!(next.policy, prev.policy);
        set.documents.retain(|d| d.file != "alibaba-com-2019-01-17.txt");
        let (next, _) = carry(&prev, &set, q4, Timestamp::UNIX_EPOCH);
        assert_eq!(next.policy, None, "a version the set no longer declares is asked again");
    }
}
