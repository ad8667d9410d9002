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
    assert!(out.contains("1 problems in 1 checklist files"), "{out}");
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
