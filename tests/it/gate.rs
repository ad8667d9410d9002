//! The CI gate fails closed: every forgery and dodge of the security review (items 2, 3, 5,
//! 12–16) as a test, run as CI runs it — the real binary, real keys, a real git repository.

use crate::support::*;
use privcheck::model::results::{Results, SignOff};
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", dir.join(".gitconfig-none"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git is needed by the tests");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

/// A git repository in `home/repo` whose only signer list is git's own
/// `gpg.ssh.allowedSignersFile` (relative to the repository's top), listing `entries`.
fn repo_with_git_signers(home: &Path, entries: &[(&str, &Path)]) -> PathBuf {
    let repo = home.join("repo");
    std::fs::create_dir_all(repo.join("teams/checkout")).unwrap();
    git(&repo, &["init", "-q"]);
    allowed_signers(&repo.join(".allowed_signers"), entries);
    git(&repo, &["config", "gpg.ssh.allowedSignersFile", ".allowed_signers"]);
    repo
}

/// A sign-off of `r` as `role` by `who` with `key`, signed by ssh-keygen itself, at `at`
/// (a signer who controls their own clock can write any time here).
fn forge(r: &Results, key: &Path, who: (&str, &str), role: &str, at: jiff::Timestamp) -> SignOff {
    let mut s = SignOff {
        name: who.0.into(),
        email: who.1.into(),
        role: role.into(),
        at,
        digest: r.content_digest(),
        key: Some(fingerprint(key)),
        signature: None,
    };
    s.signature = Some(ssh_sign(key, "privcheck", &s.message(&r.product, r.period)));
    s
}

/// In the period (2026-Q4), after every answer of `complete_results`.
fn in_period() -> jiff::Timestamp {
    "2026-11-20T10:00:00Z".parse().unwrap()
}

const BOB: (&str, &str) = ("Bob Approver", "bob@example.com");
const ANN: (&str, &str) = (NAME, EMAIL);

#[test]
fn with_only_gits_allowed_signers_a_strangers_an_unsigned_and_a_self_approved_file_fail() {
    let home = tempfile::tempdir().unwrap();
    let ann = keygen(home.path(), "id_ann");
    let bob = keygen(home.path(), "id_bob");
    let eve = keygen(home.path(), "id_eve");
    let repo = repo_with_git_signers(home.path(), &[(EMAIL, &ann), ("bob@example.com", &bob)]);
    let dir = repo.join("teams/checkout");
    let good = complete_results(&set());

    // The real thing passes, from any directory (git's config is the file's repository's).
    let mut ok = good.clone();
    ok.signoffs.push(forge(&ok, &ann, ANN, "reviewer", in_period()));
    ok.signoffs.push(forge(&ok, &bob, BOB, "approver", in_period() + jiff::SignedDuration::from_hours(1)));
    let file = dir.join("privcheck-2026-Q4.toml");
    save(&file, &ok);
    let roles = ["--require-role", "reviewer", "--require-role", "approver"];
    let o = verify(home.path(), &[&file], &roles);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));

    let cases: Vec<(&str, Results, &str)> = vec![
        (
            "a stranger's key claiming Ann's name",
            {
                let mut r = good.clone();
                r.signoffs.push(forge(&r, &eve, ANN, "reviewer", in_period()));
                r
            },
            "is not allowed to sign as ann@example.com",
        ),
        (
            "an unsigned sign-off",
            {
                let mut r = good.clone();
                let mut s = forge(&r, &ann, ANN, "reviewer", in_period());
                s.signature = None;
                s.key = None;
                r.signoffs.push(s);
                r
            },
            "unsigned: it has no SSH signature",
        ),
        (
            "Ann approving her own review",
            {
                let mut r = good.clone();
                r.signoffs.push(forge(&r, &ann, ANN, "reviewer", in_period()));
                r.signoffs.push(forge(&r, &ann, ANN, "approver", in_period()));
                r
            },
            "separation-of-duties",
        ),
    ];
    for (what, r, says) in cases {
        save(&file, &r);
        for args in [&roles[..], &[]] {
            let o = verify(home.path(), &[&file], args);
            assert_eq!(o.status.code(), Some(1), "{what} {args:?}: {}", output(&o));
        }
        let o = verify(home.path(), &[&file], &["--format", "json"]);
        let text = stdout(&o);
        assert!(text.contains(says), "{what}: {text}");
    }
}

#[test]
fn no_signer_list_means_no_valid_signoff() {
    let home = tempfile::tempdir().unwrap();
    let (file, _) = signed_file(home.path());
    let o = verify(home.path(), &[&file], &["--require-role", "reviewer"]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let out = stdout(&o);
    assert!(out.contains("signature not checked: no allowed signers"), "{out}");
    assert!(out.contains("--allowed-signers FILE"), "it says how to give one: {out}");
    assert!(out.contains("no valid sign-off with role \"reviewer\""), "{out}");
    let o = verify(home.path(), &[&file], &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &json["files"][0]["findings"][0];
    assert_eq!((f["code"].as_str(), f["level"].as_str()), (Some("signature-unchecked"), Some("error")), "{json}");
    assert_eq!(json["privcheck_verify"], 1);
    assert_eq!(json["signatures_checked"], true);
    // --skip-signatures: digests only, said on every line and in the JSON.
    let o = verify(home.path(), &[&file], &["--skip-signatures", "--require-role", "reviewer"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert!(stdout(&o).contains("signatures not checked"), "{}", output(&o));
    let o = verify(home.path(), &[&file], &["--skip-signatures", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["signatures_checked"], false);
    // It cannot be combined with a signer list.
    let o = verify(home.path(), &[&file], &["--skip-signatures", "--allowed-signers", "x"]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
}

#[test]
fn role_signers_limit_a_role_to_its_own_list() {
    let home = tempfile::tempdir().unwrap();
    let ann = keygen(home.path(), "id_ann");
    let bob = keygen(home.path(), "id_bob");
    let mut r = complete_results(&set());
    r.signoffs.push(forge(&r, &ann, ANN, "reviewer", in_period()));
    r.signoffs.push(forge(&r, &bob, BOB, "approver", in_period()));
    let file = home.path().join("r.toml");
    save(&file, &r);
    let everyone = home.path().join("everyone");
    allowed_signers(&everyone, &[(EMAIL, &ann), ("bob@example.com", &bob)]);
    let office = home.path().join("privacy-office");
    allowed_signers(&office, &[("carol@example.com", &keygen(home.path(), "id_carol"))]);
    let roles = ["--require-role", "reviewer", "--require-role", "approver"];
    let general = ["--allowed-signers", everyone.to_str().unwrap()];
    let o = verify(home.path(), &[&file], &[&general[..], &roles].concat());
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    // Bob is in the general list, but approvers must be in the privacy office's.
    let only_office = format!("approver={}", office.display());
    let o = verify(home.path(), &[&file], &[&general[..], &roles, &["--role-signers", &only_office]].concat());
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    assert!(stdout(&o).contains("approver Bob Approver"), "{}", output(&o));
    assert!(stdout(&o).contains("--role-signers approver="), "names the list: {}", output(&o));
    assert!(stdout(&o).contains("no valid sign-off with role \"approver\""), "{}", output(&o));
    // The same from the repository's settings.
    allowed_signers(&home.path().join("team"), &[(EMAIL, &ann), ("bob@example.com", &bob)]);
    std::fs::copy(&office, home.path().join("office")).unwrap();
    std::fs::write(
        home.path().join(".privcheck.toml"),
        "allowed_signers = \"team\"\nrequire_roles = [\"reviewer\", \"approver\"]\n[role_signers]\napprover = \"office\"\n",
    )
    .unwrap();
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    assert!(stdout(&o).contains("no valid sign-off with role \"approver\""), "{}", output(&o));
    // A bad ROLE=FILE is a usage error.
    let o = verify(home.path(), &[&file], &["--role-signers", "approver"]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
}

#[test]
fn dates_a_signer_chose_are_checked() {
    let home = tempfile::tempdir().unwrap();
    let ann = keygen(home.path(), "id_ann");
    let allowed = home.path().join("allowed");
    allowed_signers(&allowed, &[(EMAIL, &ann)]);
    let list = ["--allowed-signers", allowed.to_str().unwrap()];
    let file = home.path().join("r.toml");
    let base = complete_results(&set());
    let last_answer = base.answers.iter().filter_map(|a| a.at).max().unwrap();
    let cases = [
        ("dated in the future", jiff::Timestamp::now() + jiff::SignedDuration::from_hours(48), "signoff-future"),
        ("dated before its answers", last_answer - jiff::SignedDuration::from_secs(1), "signoff-before-answers"),
        ("dated before its period", "2026-09-01T00:00:00Z".parse().unwrap(), "signoff-before-period"),
    ];
    for (what, at, code) in cases {
        let mut r = base.clone();
        r.signoffs.push(forge(&r, &ann, ANN, "reviewer", at));
        save(&file, &r);
        let o = verify(home.path(), &[&file], &[&list[..], &["--format", "json"]].concat());
        assert_eq!(o.status.code(), Some(1), "{what}: {}", output(&o));
        assert!(stdout(&o).contains(code), "{what}: {}", output(&o));
    }
    // A few minutes of clock skew are fine.
    let mut r = base.clone();
    r.signoffs.push(forge(&r, &ann, ANN, "reviewer", jiff::Timestamp::now() + jiff::SignedDuration::from_mins(2)));
    save(&file, &r);
    let o = verify(home.path(), &[&file], &list);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
}

#[test]
fn an_expired_key_counts_at_the_signoff_time_unless_key_validity_is_now() {
    let home = tempfile::tempdir().unwrap();
    let ann = keygen(home.path(), "id_ann");
    let mut r = complete_results(&set());
    r.signoffs.push(forge(&r, &ann, ANN, "reviewer", in_period()));
    let file = home.path().join("r.toml");
    save(&file, &r);
    // Valid in November 2026 only.
    let allowed = home.path().join("allowed");
    std::fs::write(
        &allowed,
        format!("{EMAIL} valid-after=\"20261101Z\",valid-before=\"20261130Z\" {}\n", public_key(&ann)),
    )
    .unwrap();
    let list = ["--allowed-signers", allowed.to_str().unwrap()];
    let o = verify(home.path(), &[&file], &list);
    assert_eq!(o.status.code(), Some(0), "signed while the key was valid: {}", output(&o));
    let o = verify(home.path(), &[&file], &[&list[..], &["--key-validity", "now"]].concat());
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    assert!(stdout(&o).contains("valid-before"), "{}", output(&o));
}

#[test]
fn roles_are_words_and_signing_again_replaces_ones_own_signoff() {
    let home = tempfile::tempdir().unwrap();
    let (file, key) = signed_file(home.path());
    for bad in ["", "x\u{1b}[6n", "Reviewer", "two words"] {
        let o = sign(home.path(), &file, &["--no-sign", "--role", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", output(&o));
        assert!(stderr(&o).contains("is not a role"), "{bad:?}: {}", output(&o));
        assert!(!stderr(&o).contains('\u{1b}'), "escaped: {}", output(&o));
    }
    assert_eq!(load(&file).signoffs.len(), 1);
    // Signing again as the same role replaces the earlier sign-off; another role adds one.
    let o = sign(home.path(), &file, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert_eq!(load(&file).signoffs.len(), 1);
    // A role the repository does not know is a finding.
    let mut r = load(&file);
    let at = r.signoffs[0].at;
    r.signoffs.push(forge(&r, &key, ("Ann", "ann2@example.com"), "auditor", at));
    save(&file, &r);
    let allowed = home.path().join("allowed");
    allowed_signers(&allowed, &[(EMAIL, &key), ("ann2@example.com", &key)]);
    let o = verify(home.path(), &[&file], &["--allowed-signers", allowed.to_str().unwrap()]);
    assert!(stdout(&o).contains("role \"auditor\" is not one of this repository's roles"), "{}", output(&o));
    // ... unless the repository adds it.
    std::fs::write(home.path().join(".privcheck.toml"), "roles = [\"auditor\"]\n").unwrap();
    let o = verify(home.path(), &[&file], &["--allowed-signers", allowed.to_str().unwrap()]);
    assert!(!stdout(&o).contains("not one of this repository's roles"), "{}", output(&o));
}

#[test]
fn rewording_a_scope_question_or_dropping_legal_duties_makes_answers_stale() {
    // Security review item 5: answers made against a copy of the checklists whose `eea`
    // question reads "Is the product operated from Antarctica?", or whose legal duties are
    // gone, then signed: verify against the real set must find them stale.
    let home = tempfile::tempdir().unwrap();
    let key = keygen(home.path(), "id_ann");
    trust(home.path(), &[(EMAIL, &key)]);
    let real = set();
    let eea_items = real.items().filter(|i| i.scope.iter().any(|s| s == "eea")).count();
    let with_legal = real.items().filter(|i| !i.legal.is_empty()).count();
    assert!(eea_items > 0 && with_legal > 0);
    let mut reworded = real.clone();
    let q = reworded.scope.iter_mut().find(|q| q.id == "eea").unwrap();
    q.question = "Is the product operated from Antarctica?".into();
    let mut stripped = real.clone();
    for c in &mut stripped.checklists {
        for i in &mut c.items {
            i.legal.clear();
        }
    }
    let file = home.path().join("privcheck-2026-Q4.toml");
    for (what, forged, affected) in
        [("reworded eea question", reworded, eea_items), ("no legal duties", stripped, with_legal)]
    {
        let mut r = complete_results(&forged);
        r.signoffs.push(forge(&r, &key, ANN, "reviewer", in_period()));
        save(&file, &r);
        let o = verify(home.path(), &[&file], &[]);
        assert_eq!(o.status.code(), Some(1), "{what}: {}", output(&o));
        let stale = stdout(&o).lines().filter(|l| l.contains("stale: answered against item content")).count();
        assert_eq!(stale, affected, "{what}: {}", output(&o));
    }
}

#[test]
fn a_signoff_checks_out_with_ssh_keygen_and_the_digest_with_python() {
    // The README's "Checking a sign-off without privcheck", as written there.
    let home = tempfile::tempdir().unwrap();
    let (file, key) = signed_file(home.path());
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("### Checking a sign-off without privcheck").nth(1).expect("the README section");
    let script: String = section
        .split("```sh\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a ```sh block in the section")
        .to_string();
    let python: String = section
        .split("```python\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a ```python block in the section")
        .to_string();
    allowed_signers(&home.path().join("allowed_signers"), &[(EMAIL, &key)]);
    std::fs::write(home.path().join("digest.py"), python).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_privcheck")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    let o = Command::new("bash")
        .arg("-euo")
        .arg("pipefail")
        .arg("-c")
        .arg(&script)
        .current_dir(home.path())
        .env("PATH", path)
        .env("HOME", home.path())
        .env("FILE", &file)
        .env("PRINCIPAL", EMAIL)
        .output()
        .unwrap();
    assert!(o.status.success(), "the README recipe failed:\n{script}\n{}", output(&o));
    let out = stdout(&o);
    assert!(out.contains("Good \"privcheck\" signature for ann@example.com"), "{out}{}", stderr(&o));
    let r = load(&file);
    assert!(out.contains(&r.signoffs[0].digest), "the recomputed digest is the signed one: {out}");
}

#[test]
fn p521_keys_sign_and_verify_end_to_end() {
    let home = tempfile::tempdir().unwrap();
    let key = home.path().join("id_p521");
    let o =
        Command::new("ssh-keygen").args(["-q", "-t", "ecdsa", "-b", "521", "-N", "", "-f"]).arg(&key).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    write_config(home.path(), Some(NAME), Some(EMAIL), Some(&key));
    let file = home.path().join("privcheck-2026-Q4.toml");
    save(&file, &complete_results(&set()));
    let o = sign(home.path(), &file, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    trust(home.path(), &[(EMAIL, &key)]);
    let o = verify(home.path(), &[&file], &["--require-role", "reviewer"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
}

#[test]
fn an_ssh_certificate_signs_and_a_cert_authority_line_verifies_it() {
    let home = tempfile::tempdir().unwrap();
    let ca = keygen(home.path(), "ca");
    let user = keygen(home.path(), "id_ann");
    let o = Command::new("ssh-keygen")
        .args(["-q", "-s"])
        .arg(&ca)
        .args(["-I", "ann", "-n", EMAIL, "-V", "20260101:20300101"])
        .arg(user.with_extension("pub"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let cert = home.path().join("id_ann-cert.pub");
    assert!(cert.is_file());
    write_config(home.path(), Some(NAME), Some(EMAIL), Some(&cert));
    let file = home.path().join("privcheck-2026-Q4.toml");
    save(&file, &complete_results(&set()));
    let o = sign(home.path(), &file, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    std::fs::write(home.path().join("cas"), format!("*@example.com cert-authority {}\n", public_key(&ca))).unwrap();
    let o = verify(home.path(), &[&file], &["--allowed-signers", "cas", "--require-role", "reviewer"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    // Another CA does not vouch for it.
    let other = keygen(home.path(), "other-ca");
    std::fs::write(home.path().join("cas"), format!("*@example.com cert-authority {}\n", public_key(&other))).unwrap();
    let o = verify(home.path(), &[&file], &["--allowed-signers", "cas"]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
}

#[test]
fn message_and_signature_print_exactly_what_was_signed() {
    let home = tempfile::tempdir().unwrap();
    let (file, _) = signed_file(home.path());
    let r = load(&file);
    let s = &r.signoffs[0];
    let o = verify(home.path(), &[&file], &["--message", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert_eq!(o.stdout, s.message(&r.product, r.period));
    let o = verify(home.path(), &[&file], &["--signature", "1"]);
    assert_eq!(stdout(&o), s.signature.clone().unwrap());
    let o = verify(home.path(), &[&file], &["--signature", "2"]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains("has no sign-off 2 (it has 1"), "{}", output(&o));
}

#[test]
fn the_repository_settings_name_the_checklists_and_the_gate_is_one_command() {
    let home = tempfile::tempdir().unwrap();
    let key = keygen(home.path(), "id_ann");
    let lists = fixture("checklists-good");
    let team = privcheck::store::checklist_file::load(
        &privcheck::store::checklist_file::read_sources(std::slice::from_ref(&lists)).unwrap(),
    )
    .unwrap();
    let mut r = complete_results(&team);
    r.signoffs.push(forge(&r, &key, ANN, "reviewer", in_period()));
    let file = home.path().join("privcheck-2026-Q4.toml");
    save(&file, &r);
    allowed_signers(&home.path().join("allowed"), &[(EMAIL, &key)]);
    std::fs::write(
        home.path().join(".privcheck.toml"),
        format!(
            "allowed_signers = \"allowed\"\nchecklists = {:?}\nrequire_roles = [\"reviewer\"]\n",
            lists.display().to_string()
        ),
    )
    .unwrap();
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    // A broken settings file is an input error with its position.
    std::fs::write(home.path().join(".privcheck.toml"), "allowed_signers = \n").unwrap();
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains(".privcheck.toml:1:"), "{}", output(&o));
}
