//! SSH keys made by ssh-keygen, reviewer identities in the config file, allowed_signers
//! files, and signatures made by ssh-keygen directly or by the binary.

use super::bin::{sign, stderr, stdout};
use super::results::{EMAIL, NAME, complete_results, save, set};
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Makes `dir` a repository root whose shared settings (`.privcheck.toml`) trust each
/// `(principal, key)`: the signer list `verify` and `report` use for files in `dir`.
pub fn trust(dir: &Path, entries: &[(&str, &Path)]) {
    allowed_signers(&dir.join("team.allowed_signers"), entries);
    std::fs::write(dir.join(".privcheck.toml"), "allowed_signers = \"team.allowed_signers\"\n").unwrap();
}
