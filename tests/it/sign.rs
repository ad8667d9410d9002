//! `privcheck sign`: sign-offs made by the real binary with real keys, checked by OpenSSH,
//! and the cases where it must refuse.

use crate::support::*;

use privcheck::model::results::{SignOff, Status};
use privcheck::store::lock;
use std::path::Path;
use std::process::{Command, Stdio};

/// `ssh-keygen -Y verify` of `signature` over `message` for `principal` in `namespace`.
fn keygen_verify(
    dir: &Path,
    allowed: &Path,
    principal: &str,
    namespace: &str,
    signature: &str,
    message: &[u8],
) -> bool {
    let (sig, msg) = (dir.join("message.sig"), dir.join("message"));
    std::fs::write(&sig, signature).unwrap();
    std::fs::write(&msg, message).unwrap();
    let o = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(allowed)
        .args(["-I", principal, "-n", namespace, "-s"])
        .arg(&sig)
        .stdin(std::fs::File::open(&msg).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    o.status.success()
}

#[test]
fn a_signature_made_by_privcheck_verifies_with_ssh_keygen() {
    let home = tempfile::tempdir().unwrap();
    let (file, key) = signed_file(home.path());
    let r = load(&file);
    let s = &r.signoffs[0];
    assert_eq!((s.name.as_str(), s.email.as_str(), s.role.as_str()), (NAME, EMAIL, "reviewer"));
    assert_eq!(s.key.as_deref(), Some(fingerprint(&key).as_str()), "the sign-off names the key as ssh-keygen -l does");
    let signature = s.signature.as_deref().expect("signed");
    let message = s.message(&r.product, r.period);
    let allowed = home.path().join("allowed_signers");
    allowed_signers(&allowed, &[(EMAIL, &key)]);
    assert!(keygen_verify(home.path(), &allowed, EMAIL, "privcheck", signature, &message));
    // The checks are real: another namespace, another principal, other bytes all fail.
    assert!(!keygen_verify(home.path(), &allowed, EMAIL, "git", signature, &message));
    assert!(!keygen_verify(home.path(), &allowed, "bob@example.com", "privcheck", signature, &message));
    let mut other = message.clone();
    other[10] ^= 1;
    assert!(!keygen_verify(home.path(), &allowed, EMAIL, "privcheck", signature, &other));
}

#[test]
fn a_signature_made_by_ssh_keygen_verifies_with_privcheck() {
    let home = tempfile::tempdir().unwrap();
    let key = keygen(home.path(), "id_ann");
    let file = home.path().join("r.toml");
    let mut r = complete_results(&set());
    let mut s = SignOff {
        name: NAME.into(),
        email: EMAIL.into(),
        role: "reviewer".into(),
        // In the period (2026-Q4), after the answers.
        at: time(20 * 86_400),
        digest: r.content_digest(),
        key: Some(fingerprint(&key)),
        signature: None,
    };
    s.signature = Some(ssh_sign(&key, "privcheck", &s.message(&r.product, r.period)));
    r.signoffs.push(s);
    save(&file, &r);
    let allowed = home.path().join("allowed_signers");
    allowed_signers(&allowed, &[(EMAIL, &key)]);
    let o = verify(home.path(), &[&file], &["--allowed-signers", allowed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    // And without a key fingerprint in the sign-off.
    r.signoffs[0].key = None;
    save(&file, &r);
    let o = verify(home.path(), &[&file], &["--allowed-signers", allowed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
}

#[test]
fn sign_is_refused_listing_every_gap() {
    let home = tempfile::tempdir().unwrap();
    signer(home.path());
    let mut r = complete_results(&set());
    let (p, f, n) = (first(&r, Status::Pass), first(&r, Status::Fail), first(&r, Status::NotApplicable));
    r.answers[p].status = Status::Unreviewed;
    r.answers[f].remediation = None;
    r.answers[n].reason = "   ".into();
    // A second fail whose remediation has an owner but no due date.
    let f2 = r.answers.iter().rposition(|a| a.status == Status::Fail).unwrap();
    r.answers[f2].remediation.as_mut().unwrap().due = None;
    r.scope.remove("california");
    let file = home.path().join("r.toml");
    save(&file, &r);
    let before = read(&file);

    let o = sign(home.path(), &file, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let out = stdout(&o);
    let mut lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.remove(0), "cannot sign off: 5 problems remain:", "{out}");
    let mut want = vec![
        "  scope.california: scope question not answered".to_string(),
        format!("  {}: not reviewed", r.answers[p].item),
        format!("  {}: fail without a remediation (owner, due date, ticket)", r.answers[f].item),
        format!("  {}: not applicable without a reason", r.answers[n].item),
        format!("  {}: remediation has no due date", r.answers[f2].item),
    ];
    lines.sort();
    want.sort();
    assert_eq!(lines, want, "{out}");
    assert_eq!(read(&file), before, "a refused sign-off changed the file");
    assert!(!lock::lock_path(&file).exists(), "the lock file was left behind");
}

#[test]
fn without_a_key_the_signoff_is_recorded_unsigned_and_says_so() {
    let home = tempfile::tempdir().unwrap();
    // Name and email, but no key anywhere: no signing_key, no ~/.ssh, no git config.
    write_config(home.path(), Some(NAME), Some(EMAIL), None);
    let file = home.path().join("r.toml");
    save(&file, &complete_results(&set()));
    let o = sign(home.path(), &file, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert!(stdout(&o).contains("UNSIGNED"), "{}", output(&o));
    let r = load(&file);
    assert_eq!(r.signoffs.len(), 1);
    assert_eq!((&r.signoffs[0].key, &r.signoffs[0].signature), (&None, &None));
    assert!(!read(&file).contains("signature"), "{}", read(&file));

    // An unsigned sign-off never counts: nothing shows who made it. With --skip-signatures
    // (digests only, a local look) it passes, and every line says signatures were not checked.
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let want = format!("{}: signoff[1] (reviewer {NAME} <{EMAIL}>): unsigned", file.display());
    assert!(stdout(&o).lines().any(|l| l.starts_with(&want)), "{}", output(&o));
    let o = verify(home.path(), &[&file], &["--skip-signatures"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert!(stdout(&o).lines().all(|l| l.contains("signatures not checked")), "{}", output(&o));
    let someone = keygen(home.path(), "id_someone");
    let allowed = home.path().join("allowed_signers");
    allowed_signers(&allowed, &[(EMAIL, &someone)]);
    let o = verify(home.path(), &[&file], &["--allowed-signers", allowed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let want = format!("{}: signoff[1] (reviewer {NAME} <{EMAIL}>): unsigned", file.display());
    assert!(stdout(&o).lines().any(|l| l.starts_with(&want)), "{}", output(&o));
}

#[test]
fn the_default_key_and_git_identity_are_found_and_no_sign_is_honoured() {
    let home = tempfile::tempdir().unwrap();
    // Identity from git's global config only; the key from ~/.ssh/id_ed25519.
    std::fs::write(home.path().join(".gitconfig"), format!("[user]\n\tname = {NAME}\n\temail = {EMAIL}\n")).unwrap();
    std::fs::create_dir(home.path().join(".ssh")).unwrap();
    let key = keygen(&home.path().join(".ssh"), "id_ed25519");
    let file = home.path().join("r.toml");
    save(&file, &complete_results(&set()));
    let o = sign(home.path(), &file, &["--no-sign"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert!(stdout(&o).contains("UNSIGNED"), "{}", output(&o));
    let o = sign(home.path(), &file, &["--role", "approver"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert!(stdout(&o).contains(&format!("signed with {}", fingerprint(&key))), "{}", output(&o));
    let r = load(&file);
    assert_eq!(r.signoffs.len(), 2);
    assert_eq!((r.signoffs[1].name.as_str(), r.signoffs[1].email.as_str()), (NAME, EMAIL));
    assert!(r.signoffs[0].signature.is_none() && r.signoffs[1].signature.is_some());
}

#[test]
fn without_an_email_sign_says_to_set_one() {
    let home = tempfile::tempdir().unwrap(); // empty: no config, no git identity, no key
    let file = home.path().join("r.toml");
    save(&file, &complete_results(&set()));
    let before = read(&file);
    let o = sign(home.path(), &file, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    let err = stderr(&o);
    assert!(err.contains("email") && err.contains("set"), "{}", output(&o));
    assert_eq!(read(&file), before);
    assert!(!lock::lock_path(&file).exists(), "the lock file was left behind");
}

#[test]
fn sign_on_a_locked_file_names_the_holder() {
    let home = tempfile::tempdir().unwrap();
    signer(home.path());
    let file = home.path().join("r.toml");
    save(&file, &complete_results(&set()));
    let before = read(&file);
    let held = match lock::acquire(&file, &lock::Holder::this_process(jiff::Timestamp::UNIX_EPOCH)).unwrap() {
        lock::Acquired::Held { lock, .. } => lock,
        lock::Acquired::Busy(who) => panic!("fresh file already locked by {who}"),
    };
    let o = sign(home.path(), &file, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap().trim().to_string();
    let holder = format!("{user} on {host} (pid {}, since ", std::process::id());
    assert!(stderr(&o).contains(&holder), "no {holder:?} in\n{}", output(&o));
    assert!(stderr(&o).contains(&file.display().to_string()), "{}", output(&o));
    assert_eq!(read(&file), before);
    drop(held);
    let o = sign(home.path(), &file, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
}

#[test]
fn a_stale_lock_file_does_not_block_sign() {
    let home = tempfile::tempdir().unwrap();
    signer(home.path());
    let file = home.path().join("r.toml");
    save(&file, &complete_results(&set()));
    // Left by a process that died: the file is there, nobody holds the lock.
    std::fs::write(lock::lock_path(&file), "user=ann\nhost=h1\npid=999999\nsince=2026-01-01T00:00:00Z\n").unwrap();
    let o = sign(home.path(), &file, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert_eq!(load(&file).signoffs.len(), 1);
    assert!(!lock::lock_path(&file).exists(), "the lock file was left behind");
}

#[test]
fn a_hostile_lock_holder_is_named_escaped() {
    let home = tempfile::tempdir().unwrap();
    signer(home.path());
    let file = home.path().join("r.toml");
    save(&file, &complete_results(&set()));
    // Another process holds the lock; what it wrote in the lock file is shown to the user.
    let path = lock::lock_path(&file);
    std::fs::write(&path, "user=mallory\u{1b}]0;pwned\u{7}\u{1b}[2J\nhost=h\u{202E}1\npid=42\nsince=x\n").unwrap();
    let held = std::fs::File::open(&path).unwrap();
    held.try_lock().unwrap();
    let o = sign(home.path(), &file, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains("pid 42"), "{}", output(&o));
    assert!(!o.stderr.contains(&0x1b) && !o.stderr.contains(&0x07), "raw control characters:\n{}", output(&o));
    assert!(!stderr(&o).contains('\u{202E}'), "raw U+202E:\n{}", output(&o));
    held.unlock().unwrap();
}

#[test]
fn a_refusal_quoting_hostile_text_is_printed_escaped() {
    let home = tempfile::tempdir().unwrap();
    signer(home.path());
    let mut r = complete_results(&set());
    // A stale answer: the refusal quotes the digest the file names.
    r.answers[0].digest = "sha256:\u{1b}[2J\u{202E}00".into();
    let file = home.path().join("r.toml");
    save(&file, &r);
    let o = sign(home.path(), &file, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    assert!(
        stdout(&o).contains(&format!(
            "  {}: stale: answered against item content sha256:\\u{{1b}}[2J\\u{{202e}}00",
            r.answers[0].item
        )),
        "{}",
        output(&o)
    );
    assert!(!o.stdout.contains(&0x1b) && !stdout(&o).contains('\u{202E}'), "raw control characters:\n{}", output(&o));
}
