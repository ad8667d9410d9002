//! Results files in git: a conflicted file is named as such by every command, and the
//! merge driver (`privcheck merge-file`) merges answers item by item, with real git.

use crate::support::git::{FILE, branch, codes, fail_nth, signed_repo};
use crate::support::*;
use privcheck::model::results::Status;
use privcheck::store::results_file::to_toml;

/// `text` with git's markers around the `status` line of `item`'s answer, as git's own
/// text merge leaves two branches that answered it differently; and that line's number.
fn conflicted(text: &str, item: &str) -> (String, usize) {
    let block = answer_block(text, item);
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let status = block.clone().find(|&i| lines[i].starts_with("status = ")).unwrap();
    let ours = lines[status].clone();
    lines.splice(
        status..=status,
        ["<<<<<<< HEAD".to_string(), ours, "=======".into(), "status = \"fail\"".into(), ">>>>>>> other".into()],
    );
    (lines.join("\n") + "\n", status + 1)
}

#[test]
fn every_command_names_an_unresolved_conflict_with_its_line_and_item() {
    let home = tempfile::tempdir().unwrap();
    let r = complete_results(&set());
    let item = r.answers[first(&r, Status::Pass)].item.clone();
    let (text, line) = conflicted(&to_toml(&r), &item);
    let file = home.path().join("privcheck-2026-Q4.toml");
    std::fs::write(&file, &text).unwrap();
    let clean = home.path().join("clean.toml");
    save(&clean, &r);
    let want = format!(
        "{}: unresolved merge conflict at line {line} (item {item}): keep one side, then sign again",
        file.display()
    );
    let f = file.to_str().unwrap();
    let c = clean.to_str().unwrap();
    for args in [
        vec!["verify", f],
        vec!["verify", "--format", "json", f],
        vec!["review", f],
        vec!["report", f],
        vec!["diff", c, f],
        vec!["diff", f, c],
        vec!["sign", f],
        vec!["new", "--from", f],
        vec!["export", "--format", "oscal", f],
    ] {
        let o = privcheck(home.path()).args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", output(&o));
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(all.contains(&want), "{args:?}: {}", output(&o));
        assert!(!all.contains("expected"), "not a TOML syntax error: {args:?}: {}", output(&o));
    }
}

#[test]
fn two_branches_answering_different_items_merge_with_no_conflict_and_verify_but_for_the_void_signoffs() {
    let home = tempfile::tempdir().unwrap();
    let repo = signed_repo(home.path(), true);
    let main = load(&repo.path(FILE));
    let x = main.answers[crate::support::teams::nth(&main, Status::Pass, 1)].item.clone();
    let y = main.answers[first(&main, Status::NotApplicable)].item.clone();
    branch(&repo, "x", |r| fail_nth(r, 1, "Bob Owner"));
    branch(&repo, "y", |r| {
        let i = first(r, Status::NotApplicable);
        r.answers[i].reason = "No app in any store.".into();
    });
    repo.git(&["checkout", "-q", "x"]);
    let o = repo.try_git(&["merge", "--no-edit", "y"]);
    assert!(o.status.success(), "no conflict: {}", output(&o));
    assert!(stdout(&o).contains("merged answers item by item"), "{}", output(&o));
    let merged = load(&repo.path(FILE));
    assert_eq!(merged.answer(&x).unwrap().status, Status::Fail, "x's answer");
    assert_eq!(merged.answer(&y).unwrap().reason, "No app in any store.", "y's answer");
    assert_eq!(merged.signoffs.len(), 2, "both branches' sign-offs are kept");
    // Deterministic: as privcheck writes the file.
    assert_eq!(read(&repo.path(FILE)), to_toml(&merged));
    // verify: nothing but the void sign-offs; signing again passes.
    assert_eq!(codes(&repo), ["signoff-void", "signoff-void"]);
    let o = repo.privcheck(&["verify", FILE]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    assert!(stdout(&o).contains("the review must be signed again"), "{}", output(&o));
    let o = sign(&repo.home, &repo.path(FILE), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert_eq!(codes(&repo), Vec::<String>::new());
    assert_eq!(load(&repo.path(FILE)).signoffs.len(), 1, "the new sign-off replaced the void ones");
}

#[test]
fn without_the_driver_the_signoffs_conflict_and_privcheck_says_so() {
    let home = tempfile::tempdir().unwrap();
    let repo = signed_repo(home.path(), false);
    branch(&repo, "x", |r| fail_nth(r, 1, "Bob Owner"));
    branch(&repo, "y", |r| fail_nth(r, 4, "Bob Owner"));
    repo.git(&["checkout", "-q", "x"]);
    let o = repo.try_git(&["merge", "--no-edit", "y"]);
    assert!(!o.status.success(), "git's text merge conflicts: {}", output(&o));
    let o = repo.privcheck(&["verify", FILE]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stdout(&o).contains(&format!("{FILE}: unresolved merge conflict at line ")), "{}", output(&o));
    assert!(stdout(&o).contains("keep one side, then sign again"), "{}", output(&o));
}

#[test]
fn a_true_conflict_is_marked_around_that_items_block_only_and_left_for_the_user() {
    let home = tempfile::tempdir().unwrap();
    let repo = signed_repo(home.path(), true);
    let main = load(&repo.path(FILE));
    let x = main.answers[crate::support::teams::nth(&main, Status::Pass, 1)].item.clone();
    branch(&repo, "bob", |r| fail_nth(r, 1, "Bob Owner"));
    branch(&repo, "carol", |r| fail_nth(r, 1, "Carol Owner"));
    repo.git(&["checkout", "-q", "bob"]);
    let o = repo.try_git(&["merge", "--no-edit", "carol"]);
    assert!(!o.status.success(), "a conflict: {}", output(&o));
    assert!(stdout(&o).contains(&format!("conflict in item {x}")), "{}", output(&o));
    let text = read(&repo.path(FILE));
    let lines: Vec<&str> = text.lines().collect();
    let open = lines.iter().position(|l| *l == format!("<<<<<<< ours:{FILE}")).expect(&text);
    let middle = lines.iter().position(|l| *l == "=======").unwrap();
    let close = lines.iter().position(|l| *l == format!(">>>>>>> theirs:{FILE}")).unwrap();
    assert_eq!(lines.iter().filter(|l| l.starts_with("<<<<<<<")).count(), 1, "one conflict: {text}");
    // Each side is the item's whole block, complete.
    for (side, owner) in [(&lines[open + 1..middle], "Bob Owner"), (&lines[middle + 1..close], "Carol Owner")] {
        assert_eq!(side[0], "[[answers]]");
        assert_eq!(side[1], format!("item = \"{x}\""));
        assert!(
            side.contains(&"status = \"fail\"") && side.contains(&format!("owner = \"{owner}\"").as_str()),
            "{side:?}"
        );
        assert!(!side[1..].iter().any(|l| l.starts_with("[[")), "only that item: {side:?}");
    }
    // Every command names it.
    let o = repo.privcheck(&["verify", FILE]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    let want =
        format!("{FILE}: unresolved merge conflict at line {} (item {x}): keep one side, then sign again", open + 1);
    assert!(stdout(&o).contains(&want), "{}", output(&o));
    // Keeping their side gives a file that parses, that verify only asks to sign again.
    let kept: Vec<&str> =
        lines[..open].iter().chain(&lines[middle + 1..close]).chain(&lines[close + 1..]).copied().collect();
    std::fs::write(repo.path(FILE), kept.join("\n") + "\n").unwrap();
    assert_eq!(load(&repo.path(FILE)).answer(&x).unwrap().remediation.as_ref().unwrap().owner, "Carol Owner");
    // Carol's sign-off covers exactly this content again; Bob's side's is void.
    assert_eq!(codes(&repo), ["signoff-void"]);
    assert_eq!(sign(&repo.home, &repo.path(FILE), &[]).status.code(), Some(0));
    assert_eq!(codes(&repo), Vec::<String>::new());
}

#[test]
fn merge_file_as_git_runs_it_and_a_version_it_cannot_read_merges_as_text() {
    let home = tempfile::tempdir().unwrap();
    let r = complete_results(&set());
    let (base, ours, theirs) = (home.path().join("base"), home.path().join("ours"), home.path().join("theirs"));
    save(&base, &r);
    let mut o = r.clone();
    fail_nth(&mut o, 0, "Bob Owner");
    save(&ours, &o);
    let mut t = r.clone();
    t.policy = Some("alibaba-com-2019-01-17.txt".into());
    save(&theirs, &t);
    let run = |path: Option<&str>| {
        let mut c = privcheck(home.path());
        c.arg("merge-file").args([&base, &ours, &theirs]);
        c.args(path);
        c.output().unwrap()
    };
    let out = run(Some(FILE));
    assert_eq!(out.status.code(), Some(0), "{}", output(&out));
    let merged = load(&ours);
    assert_eq!(merged.policy.as_deref(), Some("alibaba-com-2019-01-17.txt"));
    assert_eq!(merged.answers, o.answers);
    // Not a results file: merged as text, as git would.
    std::fs::write(&base, "a\nb\nc\nd\ne\n").unwrap();
    std::fs::write(&ours, "a\nB\nc\nd\ne\n").unwrap();
    std::fs::write(&theirs, "a\nb\nc\nd\nE\n").unwrap();
    let out = run(None);
    assert_eq!(out.status.code(), Some(0), "{}", output(&out));
    assert!(stdout(&out).contains("as text"), "{}", output(&out));
    assert_eq!(read(&ours), "a\nB\nc\nd\nE\n");
    std::fs::write(&theirs, "a\nX\nc\nd\ne\n").unwrap();
    std::fs::write(&ours, "a\nB\nc\nd\ne\n").unwrap();
    let out = run(Some(FILE));
    assert_eq!(out.status.code(), Some(1), "{}", output(&out));
    assert!(read(&ours).contains(&format!("<<<<<<< ours:{FILE}\nB\n")), "{}", read(&ours));
}
