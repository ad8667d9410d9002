//! The command line, run as a user runs it: the real binary, real files.

use crate::support::*;

#[test]
fn help_version_and_usage_errors() {
    let home = tempfile::tempdir().unwrap();
    let o = privcheck(home.path()).arg("--help").output().unwrap();
    assert!(o.status.success());
    let help = stdout(&o);
    for sub in ["review", "checklists", "lint", "verify", "sign"] {
        assert!(help.contains(sub), "--help lacks {sub}: {help}");
    }
    assert!(help.contains("Exit codes: 0 ok, 1 findings"), "{help}");
    let o = privcheck(home.path()).args(["help", "verify"]).output().unwrap();
    assert!(o.status.success() && stdout(&o).contains("--allowed-signers"));
    let o = privcheck(home.path()).arg("--version").output().unwrap();
    assert_eq!(stdout(&o).trim(), format!("privcheck {}", env!("CARGO_PKG_VERSION")));
    let o = privcheck(home.path()).arg("--bogus").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn checklists_lists_the_built_in_set() {
    let home = tempfile::tempdir().unwrap();
    let o = privcheck(home.path()).arg("checklists").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for id in [
        "minors",
        "security",
        "transfers",
        "dnt",
        "language",
        "collection",
        "use",
        "sharing",
        "retention",
        "cookies",
        "changes",
        "eea-rights",
        "contact",
    ] {
        assert!(out.lines().any(|l| l.starts_with(&format!("{id} "))), "no row for {id}:\n{out}");
    }
    assert!(out.contains("built-in:07-minors.toml"), "{out}");
    assert!(out.contains("14 scope questions"), "{out}");
}

#[test]
fn checklists_from_a_directory_and_from_config() {
    let home = tempfile::tempdir().unwrap();
    let dir = fixture("checklists-good");
    let o = privcheck(home.path()).arg("--checklists").arg(&dir).arg("checklists").output().unwrap();
    assert!(stdout(&o).contains("promises  Promises  2        2"), "{}", stdout(&o));
    std::fs::create_dir_all(home.path().join(".config/privcheck")).unwrap();
    std::fs::write(
        home.path().join(".config/privcheck/config.toml"),
        format!("checklists = {:?}\n", dir.display().to_string()),
    )
    .unwrap();
    let o = privcheck(home.path()).arg("checklists").output().unwrap();
    assert!(stdout(&o).contains(&dir.join("01-promises.toml").display().to_string()), "{}", stdout(&o));
}

#[test]
fn broken_config_is_located() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".config/privcheck")).unwrap();
    std::fs::write(home.path().join(".config/privcheck/config.toml"), "name = \"a\"\nnmae = 1\n").unwrap();
    let o = privcheck(home.path()).arg("checklists").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("config.toml:2:1: unknown field `nmae`"), "{}", stderr(&o));
}

#[test]
fn every_built_in_quote_is_in_the_version_it_cites() {
    let policies = policies_dir();
    let home = tempfile::tempdir().unwrap();
    let o = privcheck(home.path()).arg("lint").arg("--policy-dir").arg(&policies).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("every quote found"));
}

#[test]
fn broken_checklists_fail_with_file_line_col() {
    let home = tempfile::tempdir().unwrap();
    let o = privcheck(home.path()).arg("lint").arg(fixture("checklists-broken")).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let dir = fixture("checklists-broken").display().to_string();
    assert!(out.contains(&format!("{dir}/02-dup.toml:11:1: unknown field `colour`")), "{out}");
    assert!(out.contains(&format!("{dir}/01-bad.toml:8:12: question of item \"bad.one\" is empty")), "{out}");
    assert!(out.contains(&format!("{dir}/01-bad.toml:11:10: item \"bad.one\" needs scope \"nowhere\"")), "{out}");
}

#[test]
fn duplicate_ids_across_files_are_found() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("c");
    std::fs::create_dir(&dir).unwrap();
    let good = std::fs::read_to_string(fixture("checklists-good/01-promises.toml")).unwrap();
    std::fs::write(dir.join("01-a.toml"), &good).unwrap();
    std::fs::write(
        dir.join("02-b.toml"),
        good.replace("id = \"promises\"", "id = \"other\"").replace("id = \"web\"", "id = \"www\""),
    )
    .unwrap();
    let o = privcheck(home.path()).arg("lint").arg(&dir).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("02-b.toml:11:6: duplicate item id \"promises.kept\""), "{}", stdout(&o));
}

#[test]
fn lint_policy_lists_items_whose_quote_is_gone() {
    let home = tempfile::tempdir().unwrap();
    let good = fixture("checklists-good");
    let o = privcheck(home.path())
        .arg("lint")
        .arg(&good)
        .arg("--policy")
        .arg(fixture("policy/policy-v1.txt"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = privcheck(home.path())
        .arg("lint")
        .arg(&good)
        .arg("--policy")
        .arg(fixture("policy/policy-v2.txt"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("item \"promises.kept\": quote (cited from policy-v1.txt) is not in"), "{out}");
    assert!(out.contains("item \"promises.changes\""), "{out}");
    let o = privcheck(home.path()).arg("lint").arg(&good).arg("--policy-dir").arg(fixture("policy")).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn built_in_quotes_against_a_newer_policy_show_what_to_revise() {
    let policies = policies_dir();
    let home = tempfile::tempdir().unwrap();
    let o = privcheck(home.path())
        .arg("lint")
        .arg("--policy")
        .arg(policies.join("alibaba-com-2020-02-27.txt"))
        .output()
        .unwrap();
    // Items citing the 2014 Do Not Track disclosure cannot be in the 2020 text.
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("item \"dnt."), "{}", stdout(&o));
}

#[test]
fn lint_of_a_missing_path_is_an_input_error() {
    let home = tempfile::tempdir().unwrap();
    let o = privcheck(home.path()).args(["lint", "no-such-dir"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("privcheck: no-such-dir: cannot read"), "{}", stderr(&o));
}

#[test]
fn the_readme_keymap_and_help_review_are_the_bindings_table() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let keymap = privcheck::tui::keymap::markdown();
    assert!(readme.contains(&keymap), "README.md's keymap is not the bindings table; paste this:\n{keymap}");
    let home = tempfile::tempdir().unwrap();
    use privcheck::tui::keymap::Screen;
    let review = privcheck(home.path()).args(["help", "review"]).output().unwrap();
    let browse = privcheck(home.path()).args(["help", "browse"]).output().unwrap();
    assert_eq!((review.status.code(), browse.status.code()), (Some(0), Some(0)));
    for b in privcheck::tui::keymap::BINDINGS {
        let row = format!("{:<28} {}", privcheck::tui::keymap::keys_label(b), b.help);
        // The review's help lists the review's keys; browse's, browse's (and its search).
        let (o, which) = if b.screen == Screen::Browse { (&browse, "browse") } else { (&review, "review") };
        assert!(stdout(o).contains(&row), "`privcheck help {which}` lacks {row:?}:\n{}", stdout(o));
    }
    assert!(!stdout(&review).contains("privcheck browse ("), "browse's keys are not the review's");
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    let home = tempfile::tempdir().unwrap();
    let mut child = privcheck(home.path())
        .args(["lint", "--policy-dir"])
        .arg(fixture("policy"))
        .arg(fixture("checklists-good"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "", "a broken pipe is not an error worth a message");
}

#[test]
fn a_config_file_named_by_privcheck_config_must_exist() {
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("typo.toml");
    let o = privcheck(home.path()).env("PRIVCHECK_CONFIG", &missing).arg("checklists").output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains("the config file named by PRIVCHECK_CONFIG does not exist"), "{}", output(&o));
    // The default place may be empty: no config is fine there.
    let o = privcheck(home.path()).arg("checklists").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
}
