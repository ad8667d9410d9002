//! Results files in git: a conflicted file is named as such by every command, and the
//! merge driver (`privcheck merge-file`) merges answers item by item, with real git.

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
