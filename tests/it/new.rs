//! `privcheck new --from`: the next quarter from the last one, end to end.

use crate::support::*;
use privcheck::app::clock::now;
use privcheck::model::results::{Results, SignOff, Status};
use privcheck::store::{checklist_file, results_file};
use std::path::Path;

/// A team's checklist folder (two items) in `dir`, optionally with a revised question.
fn checklists(dir: &Path, revised: bool) {
    std::fs::create_dir_all(dir).unwrap();
    let mut text = std::fs::read_to_string(fixture("checklists-good/01-promises.toml")).unwrap();
    if revised {
        text = text.replace(
            "Are users told about changes before they happen?",
            "Are users told about changes 30 days before they happen?",
        );
    }
    std::fs::write(dir.join("01-promises.toml"), text).unwrap();
}

/// A complete, signed-off 2026-Q3 file answered against `dir`.
fn q3(dir: &Path, file: &Path) {
    let set = checklist_file::load(&checklist_file::read_sources(&[dir.to_path_buf()]).unwrap()).unwrap();
    let mut r = Results::new("Shop", "2026-Q3".parse().unwrap(), &set);
    r.scope.insert("web".into(), true);
    r.answers[0].status = Status::Pass;
    r.answers[0].note = "kept".into();
    r.answers[1].status = Status::Fail;
    r.answers[1].remediation = Some(privcheck::model::results::Remediation {
        owner: "ann".into(),
        due: Some(jiff::civil::date(2030, 1, 1)),
        ticket: "T-1".into(),
    });
    let digest = r.content_digest();
    r.signoffs.push(SignOff {
        name: "Ann".into(),
        email: "ann@example.com".into(),
        role: "reviewer".into(),
        at: now(),
        digest,
        key: None,
        signature: None,
    });
    assert!(r.signoff_blockers(&set).is_empty());
    results_file::save(file, &r).unwrap();
}

#[test]
fn every_answer_is_carried_to_confirm_and_verify_holds_the_file_back() {
    let home = tempfile::tempdir().unwrap();
    let lists = home.path().join("lists");
    checklists(&lists, false);
    let q3_file = home.path().join("privcheck-2026-Q3.toml");
    q3(&lists, &q3_file);
    let o =
        privcheck(home.path()).arg("--checklists").arg(&lists).args(["new", "--from"]).arg(&q3_file).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 answers carried"), "{}", stdout(&o));
    let q4_file = home.path().join("privcheck-2026-Q4.toml");
    let text = std::fs::read_to_string(&q4_file).unwrap();
    assert!(text.contains("[answers.carried]\nfrom = \"2026-Q3\"\nstatus = \"pass\""), "{text}");
    assert!(!text.contains("[[signoffs]]"));
    let o = privcheck(home.path()).arg("--checklists").arg(&lists).arg("verify").arg(&q4_file).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("promises.kept: carried from 2026-Q3 (pass), not yet confirmed"), "{out}");
    assert!(out.contains("promises.changes: carried from 2026-Q3 (fail), not yet confirmed"), "{out}");
    // Never overwrites.
    let o =
        privcheck(home.path()).arg("--checklists").arg(&lists).args(["new", "--from"]).arg(&q3_file).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
}

#[test]
fn items_whose_content_changed_come_back_unreviewed_and_the_reviewer_confirms_the_rest() {
    let home = tempfile::tempdir().unwrap();
    let lists = home.path().join("lists");
    checklists(&lists, false);
    let q3_file = home.path().join("privcheck-2026-Q3.toml");
    q3(&lists, &q3_file);
    checklists(&lists, true);
    let o =
        privcheck(home.path()).arg("--checklists").arg(&lists).args(["new", "--from"]).arg(&q3_file).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 item changed since 2026-Q3, unreviewed again: promises.changes"), "{}", stdout(&o));
    let q4_file = home.path().join("privcheck-2026-Q4.toml");
    let o = privcheck(home.path()).arg("--checklists").arg(&lists).arg("verify").arg(&q4_file).output().unwrap();
    let out = stdout(&o);
    assert!(out.contains("promises.changes: not reviewed"), "{out}");
    assert!(out.contains("promises.changes: changed since 2026-Q3 (answered fail there): answer it again"), "{out}");

    // In the review: c confirms the carried answer; c refuses the changed one; p answers it.
    // (An empty config file: no identity from the tester's machine.)
    std::fs::write(home.path().join("none.toml"), "").unwrap();
    let mut t = pty::Term::start(
        home.path(),
        home.path(),
        &["--checklists", lists.to_str().unwrap(), "review", q4_file.to_str().unwrap()],
        &[("PRIVCHECK_CONFIG", home.path().join("none.toml").to_str().unwrap())],
        80,
        24,
    );
    t.wait_for("carried from 2026-Q3 (pass): c confirms it");
    t.send("c");
    t.wait_for("promises.kept: confirmed pass from 2026-Q3.");
    t.wait_for("changed since 2026-Q3 (answered FAIL there)");
    t.send("c");
    t.wait_for("The item changed since: answer it again");
    t.send("p");
    t.wait_for("2/2 answered");
    t.send("q");
    assert!(t.wait_exit().success());
    let o = privcheck(home.path()).arg("--checklists").arg(&lists).arg("verify").arg(&q4_file).output().unwrap();
    assert_eq!(stdout(&o).lines().filter(|l| l.contains("promises.")).count(), 0, "{}", stdout(&o));
    assert!(stdout(&o).contains("signoff: not signed off"), "{}", stdout(&o));
}

#[test]
fn items_that_no_longer_exist_are_listed() {
    let home = tempfile::tempdir().unwrap();
    let lists = home.path().join("lists");
    checklists(&lists, false);
    let q3_file = home.path().join("q3.toml");
    q3(&lists, &q3_file);
    // The built-in set has neither item.
    let o = privcheck(home.path())
        .args(["new", "--period", "2027-Q1", "-o", "next.toml", "--from"])
        .arg(&q3_file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("2 items no longer exist (not carried): promises.kept, promises.changes"),
        "{}",
        stdout(&o)
    );
    let r = results_file::read(&home.path().join("next.toml"), &checklist_file::builtin()).unwrap();
    assert_eq!(r.period.to_string(), "2027-Q1");
    let o = privcheck(home.path()).args(["new", "--period", "2026-Q2", "--from"]).arg(&q3_file).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_carried_remediation_already_past_due_is_warned_about_not_refused() {
    let home = tempfile::tempdir().unwrap();
    let lists = home.path().join("lists");
    checklists(&lists, false);
    let q3_file = home.path().join("privcheck-2026-Q3.toml");
    q3(&lists, &q3_file); // its remediation is due 2030-01-01
    let new = |as_of: &str, out: &str| {
        privcheck(home.path())
            .arg("--checklists")
            .arg(&lists)
            .args(["new", "--from"])
            .arg(&q3_file)
            .args(["-o", out, "--as-of", as_of])
            .output()
            .unwrap()
    };
    let o = new("2030-01-02", "late.toml");
    assert_eq!(o.status.code(), Some(0), "a warning, not a refusal: {}", output(&o));
    assert_eq!(
        stderr(&o),
        "privcheck: warning: late.toml: promises.changes: remediation due 2030-01-01, already past on 2030-01-02 \
         (owner ann, T-1)\n"
    );
    assert!(home.path().join("late.toml").is_file());
    // As of the new period's end (2026-12-31), and today, it is not past.
    for (as_of, out) in [("end", "end.toml"), ("2030-01-01", "due-day.toml")] {
        let o = new(as_of, out);
        assert_eq!(o.status.code(), Some(0), "{}", output(&o));
        assert_eq!(stderr(&o), "", "{as_of}");
    }
}
