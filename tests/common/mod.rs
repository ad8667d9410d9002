//! Shared helpers for tests that run the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The privcheck binary, isolated from the user's config and git identity.
pub fn privcheck(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_privcheck"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("USER", "tester")
        .env("LANG", "C.UTF-8")
        .current_dir(home);
    c
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// The published policy texts, when the shared folder is beside the project.
pub fn policies_dir() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/policies");
    p.is_dir().then_some(p)
}

// ---------------------------------------------------------------------------
// Results files, identities and keys, for the results / verify / sign tests.
// ---------------------------------------------------------------------------

use privcheck::model::checklist::ChecklistSet;
use privcheck::model::results::{Remediation, Results, Status};

pub const PRODUCT: &str = "Checkout";
pub const PERIOD: &str = "2026-Q4";
pub const NAME: &str = "Ann Example";
pub const EMAIL: &str = "ann@example.com";

/// Text placed on the first answers of each kind by [`complete_results`], so tests can
/// find (and tamper with) them in the file.
pub const NOTE: &str = "Checked on staging; screenshots in the wiki.";
pub const EVIDENCE: &str = "https://wiki.example.com/privacy/evidence-1";
pub const OWNER: &str = "Bob Owner";
/// Far ahead, so that verify never finds the remediations overdue.
pub const DUE: &str = "2099-12-31";
pub const TICKET: &str = "PRIV-101";
pub const REASON: &str = "The product has no mobile app.";

/// The built-in checklist set.
pub fn set() -> ChecklistSet {
    privcheck::store::checklist_file::builtin()
}

/// A fixed time, `offset` seconds after 2026-09-21.
pub fn time(offset: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_790_000_000 + offset).unwrap()
}

/// A complete review of `set` (nothing signed off): every scope question answered (some
/// no, so their items are automatically not applicable), every other item answered in turn
/// pass, fail with a full remediation, or not applicable with a reason; notes (some on
/// several lines) and evidence on some.
pub fn complete_results(set: &ChecklistSet) -> Results {
    let mut r = Results::new(PRODUCT, PERIOD.parse().unwrap(), set);
    for q in &set.scope {
        let no = matches!(q.id.as_str(), "minors" | "translations");
        r.scope.insert(q.id.clone(), !no);
    }
    r.apply_scope(set, "privcheck", time(0));
    for (n, a) in r.answers.iter_mut().filter(|a| !a.auto).enumerate() {
        match n % 6 {
            2 => {
                a.status = Status::Fail;
                a.remediation = Some(Remediation {
                    owner: OWNER.to_string(),
                    due: Some(DUE.parse().unwrap()),
                    ticket: if n == 2 { TICKET.to_string() } else { format!("PRIV-{}", 100 + n) },
                });
                a.note = format!("Fails on the web sign-up path ({n}).\nMobile is fine.");
            }
            4 => {
                a.status = Status::NotApplicable;
                a.reason = if n == 4 { REASON.to_string() } else { format!("Not offered by the product ({n}).") };
            }
            _ => {
                a.status = Status::Pass;
                if n == 0 {
                    a.note = NOTE.to_string();
                    a.evidence = vec![EVIDENCE.to_string(), "src/signup/age_gate.rs".to_string()];
                } else if n % 3 == 0 {
                    a.evidence = vec![format!("https://tickets.example.com/PRIV-{n}")];
                }
            }
        }
        a.by = NAME.to_string();
        a.at = Some(time(60 * (n as i64 + 1)));
    }
    assert!(r.signoff_blockers(set).is_empty(), "complete_results is not complete: {:?}", r.signoff_blockers(set));
    r
}

/// Index of the first answer with `status` that a reviewer (not a scope answer) gave.
pub fn first(r: &Results, status: Status) -> usize {
    r.answers.iter().position(|a| a.status == status && !a.auto).unwrap()
}

pub fn save(path: &Path, r: &Results) {
    privcheck::store::results_file::save(path, r).unwrap();
}

/// Reads a results file with the library, against the built-in set.
pub fn load(path: &Path) -> Results {
    privcheck::store::results_file::read(path, &set()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A fresh ed25519 key without passphrase: returns the private key's path (`.pub` beside it).
pub fn keygen(dir: &Path, name: &str) -> PathBuf {
    let key = dir.join(name);
    let o = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&key)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("ssh-keygen (openssh-client) is needed by the tests");
    assert!(o.status.success(), "ssh-keygen: {}", stderr(&o));
    key
}

/// The public half of `key` as `TYPE BASE64` (no comment).
pub fn public_key(key: &Path) -> String {
    let text = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    text.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

/// The `SHA256:...` fingerprint of `key`, as ssh-keygen prints it.
pub fn fingerprint(key: &Path) -> String {
    let o =
        Command::new("ssh-keygen").args(["-l", "-E", "sha256", "-f"]).arg(key.with_extension("pub")).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o).split_whitespace().nth(1).unwrap().to_string()
}

/// Writes the privcheck config file in `home` (each field only when given).
pub fn write_config(home: &Path, name: Option<&str>, email: Option<&str>, key: Option<&Path>) {
    let dir = home.join(".config/privcheck");
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = String::new();
    if let Some(n) = name {
        text.push_str(&format!("name = {}\n", toml_str(n)));
    }
    if let Some(e) = email {
        text.push_str(&format!("email = {}\n", toml_str(e)));
    }
    if let Some(k) = key {
        text.push_str(&format!("signing_key = {}\n", toml_str(&k.display().to_string())));
    }
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

fn toml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap() // a JSON string of plain text is a TOML basic string
}

/// Gives `home` the identity of Ann with a fresh key in the config; returns the key.
pub fn signer(home: &Path) -> PathBuf {
    let key = keygen(home, "id_ann");
    write_config(home, Some(NAME), Some(EMAIL), Some(&key));
    key
}

/// Writes an allowed_signers file allowing each `(principal, key)` in git's and privcheck's
/// namespaces.
pub fn allowed_signers(path: &Path, entries: &[(&str, &Path)]) {
    let text: String =
        entries.iter().map(|(who, key)| format!("{who} namespaces=\"git,privcheck\" {}\n", public_key(key))).collect();
    std::fs::write(path, text).unwrap();
}

/// Signs `message` with `ssh-keygen -Y sign -n NAMESPACE` directly; returns the armored signature.
pub fn ssh_sign(key: &Path, namespace: &str, message: &[u8]) -> String {
    use std::io::Write;
    let mut child = Command::new("ssh-keygen")
        .args(["-Y", "sign", "-n", namespace, "-f"])
        .arg(key)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(message).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "ssh-keygen -Y sign: {}", stderr(&o));
    stdout(&o)
}

/// `privcheck sign FILE ARGS...` in `home`.
pub fn sign(home: &Path, file: &Path, args: &[&str]) -> Output {
    privcheck(home).arg("sign").arg(file).args(args).output().unwrap()
}

/// `privcheck verify FILES... ARGS...` in `home`.
pub fn verify(home: &Path, files: &[&Path], args: &[&str]) -> Output {
    privcheck(home).arg("verify").args(files).args(args).output().unwrap()
}

/// A complete results file signed off by Ann with a real key, through the binary:
/// returns the file (in `home`) and the key.
pub fn signed_file(home: &Path) -> (PathBuf, PathBuf) {
    let key = signer(home);
    let file = home.join("privcheck-2026-Q4.toml");
    save(&file, &complete_results(&set()));
    let o = sign(home, &file, &[]);
    assert_eq!(o.status.code(), Some(0), "sign: {}{}", stdout(&o), stderr(&o));
    (file, key)
}

/// Everything the binary printed, for messages.
pub fn output(o: &Output) -> String {
    format!("exit {:?}\n--- stdout\n{}--- stderr\n{}", o.status.code(), stdout(o), stderr(o))
}

/// A line diff of `old` and `new` (longest common subsequence): the indices of the lines
/// of `old` that were removed and of the lines of `new` that were added.
pub fn line_diff(old: &str, new: &str) -> (Vec<usize>, Vec<usize>) {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(j);
            j += 1;
        } else {
            removed.push(i);
            i += 1;
        }
    }
    (removed, added)
}

/// The 0-based line range of the `[[answers]]` block (with its sub-tables) answering `item`
/// in the text of a results file.
pub fn answer_block(text: &str, item: &str) -> std::ops::Range<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let at =
        lines.iter().position(|l| *l == format!("item = \"{item}\"")).unwrap_or_else(|| panic!("no answer {item}"));
    let start = (0..at).rev().find(|&i| lines[i] == "[[answers]]").unwrap();
    let end = (at + 1..lines.len()).find(|&i| lines[i].starts_with("[[")).unwrap_or(lines.len());
    start..end
}
