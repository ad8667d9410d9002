//! A quarter answered with privcheck 0.1's built-in checklists, opened with today's: the
//! fixture `tests/fixtures/upgrade/privcheck-2026-Q4.toml` is a schema-1 file as 0.1 wrote
//! it (92 items of 13 areas, every scope yes but minors, every item answered, item digests
//! of the 0.1 set). Exactly the items whose content changed come back to answer again; the
//! rest carry; an item merged into another says so.

use crate::support::bin::{fixture, output, privcheck, stdout};
use privcheck::model::results::Status;
use privcheck::store::{checklist_file, results_file};

fn old_file() -> std::path::PathBuf {
    fixture("upgrade/privcheck-2026-Q4.toml")
}

#[test]
fn a_quarter_of_the_old_checklists_brings_back_exactly_the_changed_items() {
    let set = checklist_file::builtin();
    let text = std::fs::read_to_string(old_file()).unwrap();
    let old = results_file::from_toml(&text, "old").unwrap();
    assert_eq!(old.schema, 1);
    // What the file says was answered, and against which content (item digests, schema 1).
    let answered: std::collections::BTreeMap<&str, (&str, Status)> = old
        .answers
        .iter()
        .filter(|a| a.status.is_answered() && !a.auto)
        .map(|a| (a.item.as_str(), (a.digest.as_str(), a.status)))
        .collect();
    assert!(answered.len() > 80, "{}", answered.len());

    let home = tempfile::tempdir().unwrap();
    let next = home.path().join("privcheck-2027-Q1.toml");
    let o = privcheck(home.path()).args(["new", "--from"]).arg(old_file()).arg("-o").arg(&next).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let r = results_file::from_toml_for_set(&std::fs::read_to_string(&next).unwrap(), "next", &set).unwrap();

    let (mut carried, mut changed, mut added) = (0, 0, 0);
    for (i, item) in set.items().enumerate() {
        let a = &r.answers[i];
        match answered.get(item.id.as_str()) {
            Some(&(digest, status)) if digest == item.digest_v1() => {
                // Unchanged content: carried as it was, to confirm.
                assert_eq!(a.status, status, "{}", item.id);
                assert!(a.to_confirm(), "{} should be carried to confirm", item.id);
                carried += 1;
            }
            Some(&(_, status)) => {
                // Changed content: back to answer, the old answer shown for reference.
                assert_eq!(a.status, Status::Unreviewed, "{} changed: unreviewed again", item.id);
                let c = a.carried.as_ref().unwrap_or_else(|| panic!("{}: the old answer is kept", item.id));
                assert!(c.changed && c.status == status, "{}: {c:?}", item.id);
                changed += 1;
            }
            None if old.answer(&item.id).is_none() => {
                // New in the set: to answer (or not applicable by a scope answered no).
                assert!(a.status == Status::Unreviewed || a.auto, "{} is new", item.id);
                assert!(a.carried.is_none(), "{}", item.id);
                added += 1;
            }
            None => {}
        }
    }
    let out = stdout(&o);
    assert!(out.contains(&format!("{carried} answer")), "{out}");
    assert!(out.contains(&format!("{changed} item")), "{out}");
    assert!(out.contains(&format!("{added} new item")), "{out}");
    // The merged item: its answer is not lost silently.
    assert!(out.contains("minors.health-data-disputes (merged into collection.dispute-health-data-consent)"), "{out}");
    assert!(changed > 0 && added > 0, "carried {carried}, changed {changed}, added {added}");
    // Every answer of the old file is accounted for: carried, changed, or merged away.
    let gone = answered.keys().filter(|id| set.item(id).is_none()).count();
    assert_eq!(carried + changed + gone, answered.len());
}

#[test]
fn the_old_quarter_still_reads_and_verify_names_each_changed_answer_stale() {
    let set = checklist_file::builtin();
    let home = tempfile::tempdir().unwrap();
    let o = privcheck(home.path())
        .args(["verify", "--skip-signatures", "--format", "json"])
        .arg(old_file())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let text = std::fs::read_to_string(old_file()).unwrap();
    let old = results_file::from_toml(&text, "old").unwrap();
    let expected: std::collections::BTreeSet<String> = old
        .answers
        .iter()
        // Scope's own answers too: they were signed against the old content as well.
        .filter(|a| a.status.is_answered())
        .filter(|a| set.item(&a.item).is_some_and(|item| item.digest_v1() != a.digest))
        .map(|a| a.item.clone())
        .collect();
    let stale: std::collections::BTreeSet<String> = json["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "stale")
        .map(|f| f["subject"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stale, expected);
}
