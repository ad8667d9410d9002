//! Completions and the manual page, generated from the command-line definition: pinned by
//! snapshots (a change to the CLI shows up in review), and checked by the tools that read them.

use crate::support::{privcheck, stdout};

fn run(args: &[&str]) -> String {
    let home = tempfile::tempdir().unwrap();
    let o = privcheck(home.path()).args(args).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    stdout(&o)
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = run(&["completions", shell]);
        assert!(script.contains("privcheck"), "{shell}");
        for sub in ["review", "verify", "sign", "report", "completions", "man"] {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
        insta::assert_snapshot!(format!("completions_{shell}"), script);
    }
}

#[test]
fn bash_completion_is_valid_bash_and_completes_subcommands() {
    let script = run(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("privcheck.bash");
    std::fs::write(&file, &script).unwrap();
    let check = std::process::Command::new("bash").arg("-n").arg(&file).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    // Complete `privcheck ver` as bash would.
    let probe = format!(
        "source {}; COMP_WORDS=(privcheck ver); COMP_CWORD=1; _privcheck privcheck ver privcheck; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        file.display()
    );
    let o = std::process::Command::new("bash").arg("-c").arg(probe).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "verify", "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn man_page() {
    let page = run(&["man"]);
    assert!(page.starts_with(".ie") || page.contains(".TH privcheck 1"), "{page}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "man page lacks {section}");
    }
    insta::assert_snapshot!("man_page", page);
}
