//! `privcheck lint` run as a user runs it: the real binary on fixture checklist folders
//! (`tests/fixtures/lint/`), one test per mechanism of the lint.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The privcheck binary, isolated from the user's config.
fn privcheck(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_privcheck"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("LANG", "C.UTF-8")
        .current_dir(home);
    c
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint").join(rel)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn output(o: &Output) -> String {
    format!("exit {:?}\n--- stdout\n{}--- stderr\n{}", o.status.code(), stdout(o), String::from_utf8_lossy(&o.stderr))
}

/// `privcheck lint ARGS...` in a fresh home.
fn lint(args: &[&std::ffi::OsStr]) -> Output {
    let home = tempfile::tempdir().unwrap();
    privcheck(home.path()).arg("lint").args(args).output().unwrap()
}

#[test]
fn a_law_only_item_lints_clean_and_an_item_with_neither_is_refused() {
    let dir = fixture("law-only");
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
    let dir = fixture("four-errors");
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
    let dir = fixture("hidden");
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
    let dir = fixture("documents");
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
    let policies = fixture("policies");
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
    let decl = std::fs::read_to_string(fixture("documents/00-policy.toml")).unwrap();
    // "B. SHARING." is not a line; "D. CONTACT" is the text of a Markdown link line, so it is.
    std::fs::write(dir.join("00-policy.toml"), decl.replace("\"B. SHARING\"", "\"B. SHARING.\"")).unwrap();
    let o = privcheck(home.path()).args(["lint", "c", "--policy-dir"]).arg(fixture("policies")).output().unwrap();
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
    assert_eq!(set.checklists.len(), 13, "00-policy.toml is no checklist");
}
