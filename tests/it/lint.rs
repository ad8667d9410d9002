//! `privcheck lint` run as a user runs it: the real binary on fixture checklist folders
//! (`tests/fixtures/lint/`), one test per mechanism of the lint.

use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::Output;

/// A fixture of the lint tests (`tests/fixtures/lint/`).
fn lint_fixture(rel: &str) -> PathBuf {
    fixture(&format!("lint/{rel}"))
}

/// `privcheck lint ARGS...` in a fresh home.
fn lint(args: &[&std::ffi::OsStr]) -> Output {
    let home = tempfile::tempdir().unwrap();
    privcheck(home.path()).arg("lint").args(args).output().unwrap()
}

#[test]
fn a_law_only_item_lints_clean_and_an_item_with_neither_is_refused() {
    let dir = lint_fixture("law-only");
    let o = lint(&[dir.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let out = stdout(&o);
    let file = dir.join("01-minors.toml").display().to_string();
    assert!(
        out.contains(&format!("{file}:26:6: item \"minors.nothing\" has no citation and no legal duty")),
        "{}",
        output(&o)
    );
    assert!(!out.contains("minors.sale-opt-in"), "a law-only item is not a problem:\n{out}");
    assert!(out.contains("1 problem in 1 checklist file"), "{out}");
}

/// The ```toml blocks of `checklists/README.md`, in order.
fn readme_examples() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists/README.md")).unwrap();
    readme.split("```toml\n").skip(1).map(|b| b.split("```").next().unwrap().to_string()).collect()
}

#[test]
fn the_annotated_example_of_the_format_lints_clean() {
    let home = tempfile::tempdir().unwrap();
    let examples = readme_examples();
    assert!(!examples.is_empty());
    for (n, text) in examples.iter().enumerate() {
        std::fs::write(home.path().join(format!("{n:02}-example.toml")), text).unwrap();
    }
    let o = privcheck(home.path()).args(["lint", "."]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
}

#[test]
fn every_problem_of_a_file_is_reported_in_one_run() {
    let dir = lint_fixture("four-errors");
    let policy = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy/policy-v1.txt");
    let o = lint(&[dir.as_os_str(), "--policy".as_ref(), policy.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let file = dir.join("01-broken.toml").display().to_string();
    let want = [
        format!("{file}:4:11: invalid type: string \"2\", expected i64"),
        format!("{file}:11:1: unknown field `colour`, expected one of `id`, `question`, `guidance`"),
        format!("{file}:19:1: missing field `guidance`: add it to this table"),
        format!("{file}:29:12: unknown variant `urgent`, expected one of `low`, `medium`, `high`, `critical`"),
        // Quotes are checked too, whatever else is wrong.
        format!("{file}:35:9: item \"broken.three\": quote (cited from policy-v1.txt) is not in {}", policy.display()),
    ];
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), want.len() + 1, "{}", output(&o));
    for (line, want) in lines.iter().zip(&want) {
        assert!(line.starts_with(want.as_str()), "{line}\nis not\n{want}");
    }
    assert_eq!(lines[want.len()], "5 problems in 1 checklist file");
}

#[test]
fn hidden_characters_are_problems_at_the_character() {
    let dir = lint_fixture("hidden");
    let o = lint(&[dir.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let file = dir.join("01-hidden.toml").display().to_string();
    let out = stdout(&o);
    for want in [
        ":8:23: hidden character U+202E (right-to-left override)",
        ":8:29: hidden character U+202C (pop directional formatting)",
        ":9:27: hidden character U+00AD (soft hyphen)",
        ":9:48: hidden character U+200B (zero-width space)",
        ":11:22: hidden character U+2066 (left-to-right isolate), written as the escape \\u2066",
    ] {
        assert!(out.contains(&format!("{file}{want}")), "no {want}:\n{out}");
    }
    assert!(out.contains("5 problems"), "{out}");
}

#[test]
fn citations_of_declared_documents_name_real_headings() {
    let dir = lint_fixture("documents");
    let file = dir.join("01-shop.toml").display().to_string();
    let decl = dir.join("00-policy.toml").display().to_string();
    let o = lint(&[dir.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let out = stdout(&o);
    for want in [
        format!(
            "{file}:27:11: item \"shop.invented-label\": section \"paragraph: We may share your address\" is not a \
             heading of shop-2026-01-15.txt (declared at {decl}:4); cite the heading its quote stands under, one of \
             \"Shop Privacy Policy\", \"A. COLLECTION\", \"B. SHARING\", \"C. YOUR RIGHTS\", \"D. CONTACT\"; its \
             sub-headings: \"What you give us\", \"What we collect automatically\"\n"
        ),
        format!("{file}:50:13: item \"shop.wrong-date\": effective \"2026-01\" is not that of shop-2026-01-15.txt"),
        format!("{file}:61:12: item \"shop.undeclared\" cites \"shop-2025.txt\", which no [[document]] declares"),
    ] {
        assert!(out.contains(&want), "no\n{want}\nin\n{out}");
    }
    assert!(!out.contains("shop.wrong-heading"), "where a quote stands needs the text:\n{out}");
    assert!(out.ends_with("3 problems in 1 checklist file (and 1 declarations file)\n"), "{out}");

    // With the texts: where each quote stands.
    let policies = lint_fixture("policies");
    let o = lint(&[dir.as_os_str(), "--policy-dir".as_ref(), policies.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let out = stdout(&o);
    for want in [
        format!(
            "{file}:40:9: item \"shop.wrong-heading\": the quote does not stand under \"B. SHARING\" in \
             shop-2026-01-15.txt: it stands under \"C. YOUR RIGHTS\" (shop-2026-01-15.txt:15); cite that heading"
        ),
        format!(
            "{file}:27:11: item \"shop.invented-label\": section \"paragraph: We may share your address\" is not a \
             heading of shop-2026-01-15.txt (declared at {decl}:4); its quote stands under \"B. SHARING\" \
             (shop-2026-01-15.txt:11): cite that;"
        ),
        format!("{file}:61:12: item \"shop.undeclared\": cited document \"shop-2025.txt\" is not in"),
    ] {
        assert!(out.contains(&want), "no\n{want}\nin\n{out}");
    }
    assert!(out.ends_with("5 problems in 1 checklist file (and 1 declarations file)\n"), "{out}");
}

#[test]
fn declared_headings_are_whole_lines_of_the_text() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("c");
    std::fs::create_dir(&dir).unwrap();
    let decl = std::fs::read_to_string(lint_fixture("documents/00-policy.toml")).unwrap();
    // "B. SHARING." is not a line; "D. CONTACT" is the text of a Markdown link line, so it is.
    std::fs::write(dir.join("00-policy.toml"), decl.replace("\"B. SHARING\"", "\"B. SHARING.\"")).unwrap();
    let o = privcheck(home.path()).args(["lint", "c", "--policy-dir"]).arg(lint_fixture("policies")).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    assert_eq!(
        stdout(&o),
        "c/00-policy.toml:7:53: heading \"B. SHARING.\" is not a whole line of shop-2026-01-15.txt after the heading \
         before it: list the headings in document order, each exactly as its line reads (or as the text of a line \
         that is a Markdown link)\n1 problem in 0 checklist files (and 1 declarations file)\n"
    );
}

#[test]
fn the_built_in_set_declares_its_five_documents_newest_first() {
    let set = privcheck::store::checklist_file::builtin();
    let files: Vec<(&str, &str)> = set.documents.iter().map(|d| (d.file.as_str(), d.effective.as_str())).collect();
    assert_eq!(
        files,
        [
            ("alibaba-com-2020-02-27.txt", "2020-02-27"),
            ("alibaba-com-undated-retranslation.txt", "undated"),
            ("alibaba-com-2019-01-17.txt", "2019-01-17"),
            ("alibaba-com-2015-11.txt", "2015-11"),
            ("alibabagroup-website-2014-09-24.txt", "2014-09-24"),
        ]
    );
    let undated = set.document("alibaba-com-undated-retranslation.txt").unwrap();
    assert_eq!(
        undated.headings,
        ["Information Collection", "Use of information", "Disclosure or Sharing of Personal Information"]
    );
    assert!(
        set.document("alibabagroup-website-2014-09-24.txt")
            .unwrap()
            .applies_to
            .as_deref()
            .unwrap()
            .contains("investor")
    );
    let areas =
        std::fs::read_dir("checklists").unwrap().filter(|e| e.as_ref().unwrap().file_name() != "00-policy.toml");
    let areas = areas.filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "toml")).count();
    assert_eq!(set.checklists.len(), areas, "00-policy.toml is no checklist");
}

#[test]
fn coverage_lists_every_promise_and_fails_on_the_uncovered_and_the_stale() {
    let dir = lint_fixture("coverage");
    let policies = lint_fixture("policies");
    let text = policies.join("shop-2026-01-15.txt").display().to_string();
    let decl = dir.join("00-policy.toml").display().to_string();
    let o = lint(&[dir.as_os_str(), "--coverage".as_ref(), "--policy-dir".as_ref(), policies.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let out = stdout(&o);
    let want = [
        "coverage of shop-2026-01-15.txt: 7 promise sentences, 2 cited, 1 excluded with a reason, 4 uncovered"
            .to_string(),
        format!(
            "{text}:5:1: promise no item cites: \"We collect your name and e-mail address when you register.\": cite it \
             from an item, or exclude it with a reason ([[document.exclude]] of shop-2026-01-15.txt in {decl})"
        ),
        format!(
            "  {text}:6:1: excluded (the checkout team's own checklist tests the order form): \"You will be asked for a \
             delivery address when you order.\""
        ),
        format!("{text}:8:1: promise no item cites: \"We use cookies to remember your basket.\""),
        format!("  {text}:10:1: cited by shop.no-sale: \"We will not sell your personal information to anyone.\""),
        format!("{text}:11:1: promise no item cites: \"We may share your address with the courier"),
        format!(
            "  {text}:14:1: cited by shop.access: \"You have the right to access and correct your personal information.\""
        ),
        // The quote reaches only 14 characters into the next sentence: not enough to cite it.
        format!("{text}:15:1: promise no item cites: \"You can ask us to delete your account at any time;"),
        format!(
            "{decl}:15:12: exclusion \"We never call you to ask for your password.\" matches no promise-bearing sentence \
             of shop-2026-01-15.txt: delete it"
        ),
        "1 checklist file clean, every quote found (and 1 declarations file); coverage: 4 of 7 promise sentences \
         uncovered, 5 coverage problems"
            .to_string(),
    ];
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), want.len(), "{out}");
    for (line, want) in lines.iter().zip(&want) {
        assert!(line.starts_with(want.as_str()), "{line}\nis not\n{want}");
    }
}

#[test]
fn coverage_needs_the_policy_texts() {
    let o = lint(&["--coverage".as_ref()]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--policy-dir <DIR>"), "{}", output(&o));
}

/// `privcheck lint ARGS...` as CI runs it: from the project root, the published texts in
/// `../shared/policies` beside it.
fn lint_in_root(args: &[&str]) -> Output {
    policies_dir(); // fails, rather than passing without checking, when they are absent
    let home = tempfile::tempdir().unwrap();
    privcheck(home.path()).current_dir(env!("CARGO_MANIFEST_DIR")).arg("lint").args(args).output().unwrap()
}

#[test]
fn the_built_in_set_is_clean_as_ci_checks_it() {
    let o = lint_in_root(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert!(!stdout(&o).contains("legacy section"), "{}", output(&o));
    let o = lint_in_root(&["--policy-dir", "../shared/policies"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert!(stdout(&o).contains("clean, every quote found"), "{}", output(&o));

    let o = lint_in_root(&["--coverage", "--policy-dir", "../shared/policies"]);
    let out = stdout(&o);
    let documents: Vec<&str> = out.lines().filter(|l| l.starts_with("coverage of ")).collect();
    assert_eq!(documents.len(), 5, "{out}");
    assert!(documents[0].starts_with("coverage of alibaba-com-2020-02-27.txt: "), "{out}");
    assert!(out.contains(": cited by minors.under-18-statement"), "{out}");
    assert!(out.contains(
        "excluded (a definition of terms: it promises nothing about personal information): \"All capitalized terms"
    ));
    assert!(!out.contains("matches no promise-bearing sentence"), "no stale exclusion in the built-in set:\n{out}");
    // Every promise of every version is cited by an item or excluded with a reason.
    let uncovered: Vec<&str> = out.lines().filter(|l| l.contains(": promise no item cites: ")).collect();
    assert!(uncovered.is_empty(), "{} uncovered promises:\n{}", uncovered.len(), uncovered.join("\n"));
    for line in documents {
        assert!(line.ends_with(", 0 uncovered"), "{line}");
    }
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
}

/// A complete results file for the checklists in `dir`, every item passed (as `privcheck
/// review` would write it), for period `period`.
fn answered(dir: &Path, file: &Path, period: &str) {
    use privcheck::store::checklist_file;
    let set = checklist_file::load(&checklist_file::read_sources(&[dir.to_path_buf()]).unwrap()).unwrap();
    let mut r = privcheck::model::results::Results::new("Shop", period.parse().unwrap(), &set);
    for (n, a) in r.answers.iter_mut().enumerate() {
        a.status = privcheck::model::results::Status::Pass;
        a.by = "Ann".into();
        a.at = Some(jiff::Timestamp::from_second(1_790_000_000 + 60 * n as i64).unwrap());
    }
    privcheck::store::results_file::save(file, &r).unwrap();
}

#[test]
fn a_results_file_of_the_old_set_opens_with_the_new_one() {
    let home = tempfile::tempdir().unwrap();
    let q3 = home.path().join("privcheck-2026-Q3.toml");
    answered(&lint_fixture("retire/old"), &q3, "2026-Q3");
    let new = lint_fixture("retire/new");
    let o = lint(&[new.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));

    // Read against the new set: not refused for unknown ids; the merged item's answer is stale.
    let o = privcheck(home.path()).arg("--checklists").arg(&new).arg("verify").arg(&q3).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "findings, not an unreadable file:\n{}", output(&o));
    assert!(!stdout(&o).contains("unknown item id"), "{}", output(&o));
    assert!(stdout(&o).contains("shop.courier-minimum"), "{}", output(&o));

    // The next quarter: the merged item comes back unreviewed, the rest is carried.
    let o = privcheck(home.path()).arg("--checklists").arg(&new).args(["new", "--from"]).arg(&q3).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let out = stdout(&o);
    assert!(out.contains("1 answer carried"), "{out}");
    assert!(out.contains("1 item changed since 2026-Q3, unreviewed again: shop.courier-minimum"), "{out}");
    assert!(
        out.contains(
            "2 items no longer exist (not carried): shop.merge-two (merged into shop.courier-minimum), \
             shop.gone (retired: the sign-up form no longer has a fax field)"
        ),
        "{out}"
    );
    let q4 = std::fs::read_to_string(home.path().join("privcheck-2026-Q4.toml")).unwrap();
    let block = q4.split("[[answers]]").find(|b| b.contains("item = \"shop.courier-minimum\"")).unwrap();
    assert!(block.contains("status = \"unreviewed\"") && block.contains("changed = true"), "{block}");

    // A file answering an id the new set neither has, replaces nor retires is still refused.
    let text = std::fs::read_to_string(&q3).unwrap().replace("item = \"shop.gone\"", "item = \"shop.unknown\"");
    std::fs::write(&q3, text).unwrap();
    let o = privcheck(home.path()).arg("--checklists").arg(&new).arg("verify").arg(&q3).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stdout(&o).contains("unknown item id \"shop.unknown\""), "{}", output(&o));
}

#[test]
fn a_replaced_or_retired_id_that_is_still_an_item_is_a_problem() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("c");
    std::fs::create_dir(&dir).unwrap();
    let new = lint_fixture("retire/new");
    std::fs::write(dir.join("00-policy.toml"), "[[retired]]\nid = \"shop.keep\"\nreason = \"oops\"\n").unwrap();
    let shop = std::fs::read_to_string(new.join("01-shop.toml")).unwrap();
    std::fs::write(dir.join("01-shop.toml"), shop.replace("\"shop.merge-two\"]", "\"shop.merge-two\", \"shop.keep\"]"))
        .unwrap();
    let o = privcheck(home.path()).args(["lint", "c"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let out = stdout(&o);
    for want in [
        "c/00-policy.toml:2:6: retired id \"shop.keep\" is still an item (at c/01-shop.toml:7)",
        "c/01-shop.toml:19:49: item \"shop.courier-minimum\" replaces \"shop.keep\", which is still an item (at c/01-shop.toml:7)",
        "c/01-shop.toml:19:49: \"shop.keep\" is both replaced by \"shop.courier-minimum\" and retired (at c/00-policy.toml:2)",
    ] {
        assert!(out.contains(want), "no\n{want}\nin\n{out}");
    }
}

#[test]
fn a_teams_checklists_are_added_to_the_built_in_set() {
    let home = tempfile::tempdir().unwrap();
    let team = lint_fixture("team");
    let o = privcheck(home.path()).arg("--checklists-add").arg(&team).arg("checklists").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let out = stdout(&o);
    assert!(out.contains("built-in:07-minors.toml"), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("shop ") && l.ends_with(&team.join("01-shop.toml").display().to_string()))
    );
    // The team's file adds one area of two items and one scope question.
    let built_in = privcheck::store::checklist_file::builtin();
    let (areas, items) = (built_in.checklists.len() + 1, built_in.item_count() + 2);
    let combined = format!("{areas} checklists, {items} items, {} scope questions", built_in.scope.len() + 1);
    assert!(out.contains(&combined), "{out}");
    assert!(out.contains(&format!("from the built-in set, with the checklists of {} added", team.display())), "{out}");
    let o = privcheck(home.path()).arg("--checklists-add").arg(&team).arg("lint").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let clean = format!("{areas} checklist files clean (and 2 declarations files)");
    assert!(stdout(&o).contains(&clean), "{}", output(&o));

    // The same from the config file; --checklists-add adds to it.
    std::fs::create_dir_all(home.path().join(".config/privcheck")).unwrap();
    std::fs::write(
        home.path().join(".config/privcheck/config.toml"),
        format!("extra_checklists = [{:?}]\n", team.display().to_string()),
    )
    .unwrap();
    let o = privcheck(home.path()).arg("checklists").output().unwrap();
    assert!(stdout(&o).contains(&format!("{areas} checklists, {items} items")), "{}", output(&o));
    let more = extra_folder(home.path());
    let o = privcheck(home.path()).arg("--checklists-add").arg(&more).arg("checklists").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert!(
        stdout(&o).contains(&format!("with the checklists of {}, {} added", team.display(), more.display())),
        "{}",
        output(&o)
    );
    // Two folders with a checklist "shop" each: the combined set has its id twice.
    let o = privcheck(home.path())
        .arg("--checklists-add")
        .arg(lint_fixture("retire/new"))
        .arg("checklists")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("duplicate checklist id \"shop\""), "{}", output(&o));
}

/// A folder with one small checklist, "extra".
fn extra_folder(home: &Path) -> PathBuf {
    let dir = home.join("extra");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("01-extra.toml"),
        "id = \"extra\"\ntitle = \"Extra\"\ndescription = \"More.\"\nversion = 1\n\n[[items]]\nid = \"extra.one\"\n\
         question = \"Q?\"\nguidance = \"G.\"\nseverity = \"low\"\nlegal = [\"GDPR Art. 5\"]\n",
    )
    .unwrap();
    dir
}

#[test]
fn added_checklists_go_with_the_checklists_option_too() {
    let home = tempfile::tempdir().unwrap();
    let base = lint_fixture("retire/new");
    let team = extra_folder(home.path());
    let o = privcheck(home.path())
        .arg("--checklists")
        .arg(&base)
        .arg("--checklists-add")
        .arg(&team)
        .arg("checklists")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let out = stdout(&o);
    assert!(out.contains("2 checklists, 3 items"), "{out}");
    assert!(
        out.contains(&format!("from {}, with the checklists of {} added", base.display(), team.display())),
        "{out}"
    );
}

#[test]
fn an_added_item_id_must_be_unique_in_the_combined_set() {
    let home = tempfile::tempdir().unwrap();
    let team = home.path().join("team");
    std::fs::create_dir(&team).unwrap();
    std::fs::write(team.join("01-minors.toml"), "id = \"team-minors\"\ntitle = \"Minors\"\ndescription = \"Ours.\"\nversion = 1\n\n[[items]]\nid = \"minors.under-18-statement\"\nquestion = \"Q?\"\nguidance = \"G.\"\nseverity = \"low\"\nlegal = [\"COPPA\"]\n").unwrap();
    let o = privcheck(home.path()).args(["--checklists-add", "team", "lint"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let out = stdout(&o);
    assert!(
        out.contains("team/01-minors.toml:7:6: duplicate item id \"minors.under-18-statement\" (first defined at built-in:07-minors.toml:"),
        "{out}"
    );
    // And a command that needs the set refuses it, pointing to the lint.
    let o = privcheck(home.path()).args(["--checklists-add", "team", "checklists"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
}

#[test]
fn documents_declared_oldest_first_are_a_problem_at_the_date() {
    // The team set with an older version declared after its newest: the review would offer
    // the older one as the newer.
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("team");
    std::fs::create_dir(&dir).unwrap();
    for f in ["00-team-policy.toml", "01-shop.toml"] {
        std::fs::copy(lint_fixture("team").join(f), dir.join(f)).unwrap();
    }
    let decl = dir.join("00-team-policy.toml");
    let mut text = std::fs::read_to_string(&decl).unwrap();
    text.push_str(
        "\n[[document]]\nfile = \"shop-2026-06-30.txt\"\ntitle = \"Shop Privacy Policy, June\"\neffective = \"2026-06-30\"\nheadings = [\"Shop Privacy Policy\"]\n",
    );
    std::fs::write(&decl, &text).unwrap();
    let o = lint(&[dir.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let line = text.lines().position(|l| l == "effective = \"2026-06-30\"").unwrap() + 1;
    let want = format!(
        "{}:{line}:13: documents are declared newest first: \"shop-2026-06-30.txt\" (2026-06-30) comes after \
         \"shop-2026-01-15.txt\" (2026-01-15), which is older",
        decl.display()
    );
    assert!(stdout(&o).contains(&want), "no\n{want}\nin\n{}", output(&o));
}
