//! `privcheck verify`, the CI gate, run as CI runs it: the real binary on real files.

use crate::support::*;

use privcheck::model::results::{SignOff, Status, format_timestamp};
use privcheck::store::results_file::to_toml;
use std::path::{Path, PathBuf};

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line with {needle:?}")) + 1
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// stdout and stderr together: where an input error is printed is not the point.
fn all(o: &std::process::Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

// ---------------------------------------------------------------------------
// Files that cannot be read: exit 2, FILE:LINE:COL.
// ---------------------------------------------------------------------------

#[test]
fn a_file_from_a_newer_privcheck_is_an_input_error_with_its_position() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("r.toml");
    let text = to_toml(&complete_results(&set())).replacen(
        "schema = 2\n",
        "schema = 3\nrecorded_with = \"privcheck 9.0\"\n",
        1,
    );
    write(&file, &text);
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    let want = format!("{}:{}:10: ", file.display(), line_of(&text, "schema = 3"));
    let out = all(&o);
    assert!(out.contains(&want), "no {want:?} in\n{out}");
    assert!(out.contains("newer privcheck (schema 3"), "{out}");
}

#[test]
fn an_unknown_item_id_is_an_input_error_with_its_position() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("r.toml");
    let r = complete_results(&set());
    let item = &r.answers[5].item;
    let text = to_toml(&r).replacen(&format!("item = \"{item}\""), "item = \"collection.no-such-item\"", 1);
    write(&file, &text);
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    let want = format!(
        "{}:{}:8: unknown item id \"collection.no-such-item\"",
        file.display(),
        line_of(&text, "collection.no-such-item")
    );
    assert!(all(&o).contains(&want), "no {want:?} in\n{}", output(&o));
}

#[test]
fn a_toml_syntax_error_is_an_input_error_with_its_position() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("r.toml");
    // An unterminated string on the product line.
    let text = to_toml(&complete_results(&set())).replacen("product = \"Checkout\"", "product = \"Checkout", 1);
    write(&file, &text);
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    let want = format!("{}:{}:", file.display(), line_of(&text, "product = "));
    let out = all(&o);
    let line = out.lines().find(|l| l.contains(&want)).unwrap_or_else(|| panic!("no {want:?} in\n{out}"));
    // FILE:LINE:COL: message, with a column.
    let col = line[line.find(&want).unwrap() + want.len()..].split(':').next().unwrap();
    assert!(col.parse::<usize>().is_ok_and(|c| c > 0), "no column in {line:?}");
}

#[test]
fn verify_goes_on_past_unreadable_files_and_reports_the_others() {
    let home = tempfile::tempdir().unwrap();
    let (good, key) = signed_file(home.path());
    trust(home.path(), &[(EMAIL, &key)]);
    let missing = home.path().join("missing.toml");
    let broken = home.path().join("broken.toml");
    write(&broken, &read(&good).replacen("period = \"2026-Q4\"", "period = ", 1));
    let incomplete = home.path().join("incomplete.toml");
    let mut r = complete_results(&set());
    r.answers[0].status = Status::Unreviewed;
    save(&incomplete, &r);

    let files = [&missing as &Path, &broken, &incomplete, &good];
    let o = verify(home.path(), &files, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    let out = all(&o);
    assert!(out.contains(&format!("{}: cannot read", missing.display())), "{out}");
    assert!(out.contains(&format!("{}:{}:", broken.display(), line_of(&read(&broken), "period = "))), "{out}");
    let item = &r.answers[0].item;
    assert!(stdout(&o).contains(&format!("{}: {item}: not reviewed\n", incomplete.display())), "{out}");
    assert!(stdout(&o).contains("4 files checked: 1 ok, 1 with findings (2 findings), 2 unreadable"), "{out}");

    let o = verify(home.path(), &files, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("verify --format json prints JSON");
    let results: Vec<&str> = json["files"].as_array().unwrap().iter().map(|f| f["result"].as_str().unwrap()).collect();
    assert_eq!(results, ["error", "error", "findings", "ok"]);
    assert_eq!((json["checked"].as_u64(), json["errors"].as_u64(), json["ok"].as_u64()), (Some(4), Some(2), Some(1)));
}

// ---------------------------------------------------------------------------
// Findings: exit 1, one line each; a complete signed file: exit 0.
// ---------------------------------------------------------------------------

/// A results file with one of each gap verify must report, and what it must say.
fn incomplete_file(dir: &Path) -> (PathBuf, Vec<String>) {
    let set = set();
    let mut r = complete_results(&set);
    let (p, f, n) = (first(&r, Status::Pass), first(&r, Status::Fail), first(&r, Status::NotApplicable));
    r.answers[p].status = Status::Unreviewed;
    r.answers[f].remediation = None;
    r.answers[n].reason.clear();
    r.scope.remove("eea");
    let file = dir.join("incomplete.toml");
    save(&file, &r);
    let name = file.display().to_string();
    let expected = vec![
        format!("{name}: scope.eea: scope question not answered"),
        format!("{name}: {}: not reviewed", r.answers[p].item),
        format!("{name}: {}: fail without a remediation (owner, due date, ticket)", r.answers[f].item),
        format!("{name}: {}: not applicable without a reason", r.answers[n].item),
        format!("{name}: signoff: not signed off"),
    ];
    (file, expected)
}

#[test]
fn an_incomplete_file_gets_one_line_per_problem_and_a_summary() {
    let home = tempfile::tempdir().unwrap();
    let (file, expected) = incomplete_file(home.path());
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let out = stdout(&o);
    let mut lines: Vec<&str> = out.lines().collect();
    let summary = lines.pop().unwrap();
    let mut want: Vec<&str> = expected.iter().map(String::as_str).collect();
    lines.sort();
    want.sort();
    assert_eq!(lines, want, "{}", output(&o));
    assert_eq!(summary, "1 file checked: 0 ok, 1 with findings (5 findings), 0 unreadable");
}

#[test]
fn json_output_carries_the_same_findings() {
    let home = tempfile::tempdir().unwrap();
    let (file, expected) = incomplete_file(home.path());
    let o = verify(home.path(), &[&file], &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("verify --format json prints JSON");
    let f = &json["files"][0];
    assert_eq!(f["file"], file.display().to_string());
    assert_eq!(f["result"], "findings");
    let mut got: Vec<String> = f["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| format!("{}: {}: {}", file.display(), x["subject"].as_str().unwrap(), x["message"].as_str().unwrap()))
        .collect();
    let mut want = expected.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(json["findings"], 5);
    assert_eq!(json["with_findings"], 1);
}

#[test]
fn a_complete_signed_file_passes() {
    let home = tempfile::tempdir().unwrap();
    let (file, key) = signed_file(home.path());
    let allowed = home.path().join("allowed_signers");
    allowed_signers(&allowed, &[(EMAIL, &key)]);
    let o = verify(home.path(), &[&file], &["--allowed-signers", allowed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert_eq!(stdout(&o), "1 file checked: 1 ok, 0 with findings (0 findings), 0 unreadable\n");
    // The same signer list from the repository's shared settings.
    trust(home.path(), &[(EMAIL, &key)]);
    let o = verify(home.path(), &[&file], &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["files"][0]["result"], "ok");
    assert_eq!(json["files"][0]["findings"].as_array().map(Vec::len), Some(0));
}

#[test]
fn require_role_fails_until_an_approver_signs() {
    let ann = tempfile::tempdir().unwrap();
    let (file, ann_key) = signed_file(ann.path());
    trust(ann.path(), &[(EMAIL, &ann_key)]);
    let allowed = ann.path().join("allowed_signers");
    let require = ["--require-role", "approver"];
    let o = verify(ann.path(), &[&file], &require);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    assert_eq!(
        stdout(&o).lines().next(),
        Some(format!("{}: signoff: no valid sign-off with role \"approver\"", file.display()).as_str())
    );

    // Bob, on his own machine, approves.
    let bob = tempfile::tempdir().unwrap();
    let bob_key = keygen(bob.path(), "id_bob");
    write_config(bob.path(), Some("Bob Approver"), Some("bob@example.com"), Some(&bob_key));
    let o = sign(bob.path(), &file, &["--role", "approver"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    trust(ann.path(), &[(EMAIL, &ann_key), ("bob@example.com", &bob_key)]);
    let o = verify(ann.path(), &[&file], &require);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    // With both roles required, and both signers checked.
    allowed_signers(&allowed, &[(EMAIL, &ann_key), ("bob@example.com", &bob_key)]);
    let o = verify(
        ann.path(),
        &[&file],
        &["--require-role", "approver", "--require-role", "reviewer", "--allowed-signers", allowed.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    // An approver whose signature is not allowed does not count.
    allowed_signers(&allowed, &[(EMAIL, &ann_key)]);
    let o =
        verify(ann.path(), &[&file], &["--require-role", "approver", "--allowed-signers", allowed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    assert!(stdout(&o).contains("signoff: no valid sign-off with role \"approver\""), "{}", output(&o));
    assert!(
        stdout(&o).contains("signoff[2] (approver Bob Approver <bob@example.com>): bad signature"),
        "{}",
        output(&o)
    );
}

// ---------------------------------------------------------------------------
// Tampering with a signed file.
// ---------------------------------------------------------------------------

/// `text` with the first `from` after `marker` replaced by `to`; panics when absent, so an
/// edit can never silently do nothing.
fn edit_after(text: &str, marker: &str, from: &str, to: &str) -> String {
    let start = text.find(marker).unwrap_or_else(|| panic!("no {marker:?}"));
    let at = start + text[start..].find(from).unwrap_or_else(|| panic!("no {from:?} after {marker:?}"));
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

/// Does verify's output name sign-off 1 as void or badly signed?
fn names_broken_signoff(out: &str, file: &Path) -> bool {
    let prefix = format!("{}: signoff[1] (", file.display());
    out.lines().any(|l| l.starts_with(&prefix) && (l.contains("): void: ") || l.contains("): bad signature: ")))
}

#[test]
fn any_hand_edit_of_a_signed_file_breaks_its_signoff() {
    let home = tempfile::tempdir().unwrap();
    let (file, key) = signed_file(home.path());
    trust(home.path(), &[(EMAIL, &key)]);
    let text = read(&file);
    let r = load(&file);
    let s = &r.signoffs[0];
    let first_digest = &r.answers[0].digest;
    let later = format_timestamp(jiff::Timestamp::from_second(s.at.as_second() + 1).unwrap());
    let mut flipped_digest = s.digest.clone();
    let last = flipped_digest.pop().unwrap();
    flipped_digest.push(if last == '0' { '1' } else { '0' });
    let answers = "[[answers]]";
    let signoff = "[[signoffs]]";
    let edits: Vec<(&str, String)> = vec![
        ("a status", edit_after(&text, answers, "status = \"pass\"", "status = \"fail\"")),
        ("a note", edit_after(&text, answers, NOTE, "Checked on production.")),
        ("an evidence entry", edit_after(&text, answers, EVIDENCE, "https://wiki.example.com/privacy/evidence-2")),
        ("evidence added", edit_after(&text, answers, "evidence = [\n", "evidence = [\n    \"forged.png\",\n")),
        ("a remediation owner", edit_after(&text, answers, &format!("owner = \"{OWNER}\""), "owner = \"Nobody\"")),
        ("a remediation due date", edit_after(&text, answers, &format!("due = \"{DUE}\""), "due = \"2098-06-30\"")),
        ("a remediation ticket", edit_after(&text, answers, &format!("ticket = \"{TICKET}\""), "ticket = \"X-1\"")),
        ("a not_applicable reason", edit_after(&text, answers, REASON, "Whatever.")),
        ("a scope answer", edit_after(&text, "[scope]", "eea = true", "eea = false")),
        ("the product", edit_after(&text, "schema", "product = \"Checkout\"", "product = \"Checkout EU\"")),
        ("the period", edit_after(&text, "schema", "period = \"2026-Q4\"", "period = \"2026-Q3\"")),
        (
            "an item digest",
            edit_after(&text, answers, &format!("digest = \"{first_digest}\""), "digest = \"sha256:0123456789abcdef\""),
        ),
        ("a checklist version", edit_after(&text, "id = \"minors\"", "version = 1", "version = 2")),
        ("who answered", edit_after(&text, answers, &format!("by = \"{NAME}\""), "by = \"Eve\"")),
        ("when answered", edit_after(&text, answers, "at = \"2026-09-21T", "at = \"2026-09-22T")),
        ("an automatic answer made manual", edit_after(&text, answers, "auto = true\n", "")),
        ("the sign-off's name", edit_after(&text, signoff, &format!("name = \"{NAME}\""), "name = \"Eve Example\"")),
        ("the sign-off's email", edit_after(&text, signoff, EMAIL, "eve@example.com")),
        ("the sign-off's role", edit_after(&text, signoff, "role = \"reviewer\"", "role = \"approver\"")),
        ("the sign-off's time", edit_after(&text, signoff, &format_timestamp(s.at), &later)),
        ("the sign-off's digest", edit_after(&text, signoff, &s.digest, &flipped_digest)),
    ];

    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(0), "the untouched file: {}", output(&o));
    for (what, edited) in edits {
        assert_ne!(edited, text, "{what}: edit did nothing");
        write(&file, &edited);
        let o = verify(home.path(), &[&file], &[]);
        assert_eq!(o.status.code(), Some(1), "{what}: {}", output(&o));
        assert!(names_broken_signoff(&stdout(&o), &file), "{what}: sign-off not named void or bad:\n{}", output(&o));
    }

    // The sign-off naming another key than the one that signed.
    let other = keygen(home.path(), "id_other");
    write(&file, &edit_after(&text, signoff, s.key.as_deref().unwrap(), &fingerprint(&other)));
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    assert!(stdout(&o).contains(": signoff[1] ("), "{}", output(&o));
    assert!(stdout(&o).contains("but the sign-off names key"), "{}", output(&o));
}

#[test]
fn allowed_signers_rejects_foreign_keys_namespaces_moved_and_truncated_signatures() {
    let home = tempfile::tempdir().unwrap();
    let (file, key) = signed_file(home.path());
    let original = load(&file);
    let allowed = home.path().join("allowed_signers");
    allowed_signers(&allowed, &[(EMAIL, &key)]);
    let check = |what: &str, want: &str| {
        let o = verify(home.path(), &[&file], &["--allowed-signers", allowed.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{what}: {}", output(&o));
        let label = format!("{}: signoff[1] (reviewer {NAME} <{EMAIL}>): bad signature: ", file.display());
        assert!(
            stdout(&o).lines().any(|l| l.starts_with(&label) && l.contains(want)),
            "{what}: no {label:?}...{want:?} in\n{}",
            output(&o)
        );
    };
    let o = verify(home.path(), &[&file], &["--allowed-signers", allowed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));

    // A valid signature by a key the allowed_signers file does not list for the signer.
    let stranger = keygen(home.path(), "id_stranger");
    allowed_signers(&allowed, &[(EMAIL, &stranger)]);
    check("a key not in the file", "is not allowed to sign as ann@example.com");
    allowed_signers(&allowed, &[("someone@example.com", &key)]);
    check("a key listed for someone else", "is not allowed to sign as ann@example.com");
    allowed_signers(&allowed, &[(EMAIL, &key)]);

    // The same message signed by the same key, for git's namespace.
    let mut r = original.clone();
    let message = r.signoffs[0].message(&r.product, r.period);
    r.signoffs[0].signature = Some(ssh_sign(&key, "git", &message));
    save(&file, &r);
    check("a signature for namespace git", "namespace \"git\"");
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(1), "namespace git, without allowed signers: {}", output(&o));

    // A signature by the same key, moved from another results file.
    let elsewhere = home.path().join("other-product.toml");
    let mut other = complete_results(&set());
    other.product = "Payments".into();
    save(&elsewhere, &other);
    let o = sign(home.path(), &elsewhere, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let mut r = original.clone();
    r.signoffs[0].signature = load(&elsewhere).signoffs[0].signature.clone();
    save(&file, &r);
    check("a signature moved from another file", "does not match the data");

    // A truncated signature.
    let mut r = original.clone();
    let sig = r.signoffs[0].signature.clone().unwrap();
    r.signoffs[0].signature = Some(sig[..sig.len() / 2].to_string());
    save(&file, &r);
    check("a truncated signature", "malformed");
    let lines: Vec<&str> = sig.lines().collect();
    r.signoffs[0].signature = Some(format!("{}\n{}\n", lines[..lines.len() - 2].join("\n"), lines[lines.len() - 1]));
    save(&file, &r);
    check("a signature missing a line", "");
}

// ---------------------------------------------------------------------------
// Changes after sign-off.
// ---------------------------------------------------------------------------

#[test]
fn a_change_after_signoff_voids_it_and_the_file_still_reads() {
    let home = tempfile::tempdir().unwrap();
    let (file, key) = signed_file(home.path());
    trust(home.path(), &[(EMAIL, &key)]);
    let mut r = load(&file);
    let i = first(&r, Status::Pass);
    r.answers[i].note.push_str(" Rechecked after the release.");
    save(&file, &r);
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let label = format!("{}: signoff[1] (reviewer {NAME} <{EMAIL}>): void: ", file.display());
    assert!(stdout(&o).lines().any(|l| l.starts_with(&label)), "{}", output(&o));
    // Only the sign-off is wrong: the answers themselves are fine.
    assert_eq!(stdout(&o).lines().count(), 2, "{}", output(&o));
    let o = verify(home.path(), &[&file], &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["files"][0]["result"], "findings");
    assert!(json["files"][0]["findings"][0]["message"].as_str().unwrap().starts_with("void"), "{json}");

    // Signing again supersedes the void sign-off: the file passes again.
    let o = sign(home.path(), &file, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert_eq!(load(&file).signoffs.len(), 1);
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
}

// ---------------------------------------------------------------------------
// Hostile text.
// ---------------------------------------------------------------------------

const ESC: u8 = 0x1b;
const RLO: &str = "\u{202E}";

fn assert_no_raw_hazards(what: &str, bytes: &[u8]) {
    assert!(!bytes.contains(&ESC), "{what}: raw ESC in output:\n{}", String::from_utf8_lossy(bytes));
    assert!(!String::from_utf8_lossy(bytes).contains(RLO), "{what}: raw U+202E in output");
}

#[test]
fn hostile_text_is_printed_escaped() {
    let home = tempfile::tempdir().unwrap();
    let set = set();
    let mut r = complete_results(&set);
    r.product = format!("Evil\u{1b}[2J\u{1b}]0;pwned\u{7}{RLO}Corp");
    let i = first(&r, Status::Pass);
    r.answers[i].note = format!("fine \u{1b}[31mreally{RLO} fine");
    // An answer given against other content: verify reports the digest the file names.
    r.answers[i].digest = format!("sha256:\u{1b}[5m{RLO}0000");
    let digest = r.content_digest();
    r.signoffs.push(SignOff {
        name: format!("Mallory\u{1b}[8m{RLO}"),
        email: "mallory@example.com\u{1b}[0m".into(),
        role: format!("reviewer{RLO}"),
        at: time(0),
        digest: format!("{digest}\u{1b}[1A"),
        key: None,
        signature: None,
    });
    // Even the file's name.
    let file = home.path().join(format!("evil\u{1b}[2J{RLO}.toml"));
    save(&file, &r);

    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    assert_no_raw_hazards("verify", &o.stdout);
    assert_no_raw_hazards("verify (stderr)", &o.stderr);
    let out = stdout(&o);
    assert!(out.contains("evil\\u{1b}[2J\\u{202e}.toml: "), "{out}");
    assert!(out.contains("signoff[1] (reviewer\\u{202e} Mallory\\u{1b}[8m\\u{202e} <"), "{out}");
    assert!(out.contains("stale: answered against item content sha256:\\u{1b}[5m\\u{202e}0000"), "{out}");

    // JSON escapes the controls and carries the text exactly.
    let o = verify(home.path(), &[&file], &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    assert!(!o.stdout.contains(&ESC), "raw ESC in JSON output");
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["files"][0]["file"], file.display().to_string());

    // An unreadable file whose error quotes hostile text.
    let text =
        read(&file).replacen(&format!("item = \"{}\"", r.answers[3].item), "item = \"gone\\u001b[2J\\u202e\"", 1);
    std::fs::write(&file, text).unwrap();
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert_no_raw_hazards("verify of a broken file", &o.stdout);
    assert_no_raw_hazards("verify of a broken file (stderr)", &o.stderr);
    assert!(all(&o).contains("unknown item id"), "{}", output(&o));
}

#[test]
fn an_unknown_scope_question_is_an_input_error_with_its_position() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("r.toml");
    let text = to_toml(&complete_results(&set())).replacen("eea = true", "eea = true\nmars = false", 1);
    write(&file, &text);
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    let want = format!("{}:{}:1: unknown scope question \"mars\"", file.display(), line_of(&text, "mars = false"));
    assert!(all(&o).contains(&want), "no {want:?} in\n{}", output(&o));
}

#[test]
fn a_hostile_allowed_signers_file_is_reported_escaped() {
    let home = tempfile::tempdir().unwrap();
    let (file, key) = signed_file(home.path());
    let allowed = home.path().join("allowed_signers");
    std::fs::write(&allowed, format!("{EMAIL} evil\u{1b}[2J{RLO}=\"x\" {}\n", public_key(&key))).unwrap();
    let o = verify(home.path(), &[&file], &["--allowed-signers", allowed.to_str().unwrap()]);
    // The line is skipped (as ssh-keygen skips it), and the refusal names it.
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    let want = format!("{}:1: unknown option \"evil\\u{{1b}}[2J\\u{{202e}}\"", allowed.display());
    assert!(stdout(&o).contains(&want), "no {want:?} in\n{}", output(&o));
    assert_no_raw_hazards("verify (stdout)", &o.stdout);
    assert_no_raw_hazards("verify (stderr)", &o.stderr);
}

#[test]
fn many_files_are_checked_on_every_core_and_reported_in_the_order_given() {
    let home = tempfile::tempdir().unwrap();
    let good = complete_results(&set());
    let mut incomplete = good.clone();
    incomplete.answers[0].status = Status::Unreviewed;
    // Named in an order that is not the files' names: the output follows the arguments.
    let mut files = Vec::new();
    for i in (0..37).rev() {
        let f = home.path().join(format!("r{i:02}.toml"));
        match i % 3 {
            0 => save(&f, &good),
            1 => save(&f, &incomplete),
            _ => write(&f, "schema = 2\nperiod = \n"),
        }
        files.push(f);
    }
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let o = verify(home.path(), &paths, &["--format", "json", "--skip-signatures"]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // Each file as (name, result, findings): the complete file has no sign-off (one
    // finding), the incomplete one an unreviewed item too.
    let got: Vec<(String, String, usize)> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let n = f["findings"].as_array().map_or(0, Vec::len);
            (f["file"].as_str().unwrap().to_string(), f["result"].as_str().unwrap().to_string(), n)
        })
        .collect();
    let base = got.iter().find(|g| g.0.ends_with("r00.toml")).unwrap().2;
    let want: Vec<(String, String, usize)> = (0..37)
        .rev()
        .map(|i| {
            let (result, n) = [("findings", base), ("findings", base + 1), ("error", 0)][i % 3];
            (home.path().join(format!("r{i:02}.toml")).display().to_string(), result.to_string(), n)
        })
        .collect();
    assert_eq!(got, want);
}

// ---------------------------------------------------------------------------
// Overdue is a warning unless denied; --as-of; warnings at entry (issue 15).
// ---------------------------------------------------------------------------

/// A complete 2026-Q3 review whose first failure's remediation is due `due`, signed off by
/// Ann through the binary (which warns when the date is past) and trusted by the
/// repository's `.privcheck.toml`. Returns the file and what `sign` printed on stderr.
fn signed_q3_due(home: &Path, due: &str) -> (PathBuf, String) {
    let key = signer(home);
    let mut r = complete_results(&set());
    r.period = "2026-Q3".parse().unwrap();
    let f = first(&r, Status::Fail);
    r.answers[f].remediation.as_mut().unwrap().due = Some(due.parse().unwrap());
    let file = home.join("privcheck-2026-Q3.toml");
    save(&file, &r);
    let o = sign(home, &file, &["--as-of", "2026-12-01"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    std::fs::create_dir_all(home.join(".git")).unwrap();
    trust(home, &[(EMAIL, &key)]);
    (file, stderr(&o))
}

#[test]
fn an_old_signed_file_with_a_past_due_date_passes_with_a_warning_and_fails_when_denied() {
    let home = tempfile::tempdir().unwrap();
    let (file, signed) = signed_q3_due(home.path(), "2020-01-01");
    let item = load(&file).answers.iter().find(|a| a.is_overdue("2020-01-02".parse().unwrap())).unwrap().item.clone();
    assert!(
        signed.contains(&format!(
            "privcheck: warning: {}: {item}: remediation due 2020-01-01, already past on 2026-12-01 (owner {OWNER}",
            file.display()
        )),
        "sign warns at entry, and signs: {signed}"
    );
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(0), "a warning does not fail the gate: {}", output(&o));
    let out = stdout(&o);
    assert!(
        out.contains(&format!(
            "{}: {item}: warning: remediation overdue since 2020-01-01 (owner {OWNER}",
            file.display()
        )),
        "{out}"
    );
    assert!(out.contains("[overdue]") && out.contains("1 ok, 0 with findings") && out.contains("1 warning"), "{out}");
    for deny in [&["--deny", "overdue"][..], &["--deny", "warnings"], &["--deny", "stale", "--deny", "overdue"]] {
        let o = verify(home.path(), &[&file], deny);
        assert_eq!(o.status.code(), Some(1), "{deny:?}: {}", output(&o));
        assert!(stdout(&o).contains("remediation overdue since 2020-01-01"), "{deny:?}: {}", output(&o));
    }
    let o = verify(home.path(), &[&file], &["--deny", "stale"]);
    assert_eq!(o.status.code(), Some(0), "denying another code changes nothing: {}", output(&o));
    let o = verify(home.path(), &[&file], &["--deny", "late"]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains("\"late\" is not a finding code"), "{}", output(&o));

    // JSON: code and level, a denied warning an error.
    let json = |args: &[&str]| -> serde_json::Value {
        let o = verify(home.path(), &[&file], &[&["--format", "json"], args].concat());
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let j = json(&[]);
    let f = &j["files"][0];
    assert_eq!((f["result"].as_str(), j["warnings"].as_u64(), j["findings"].as_u64()), (Some("ok"), Some(1), Some(0)));
    assert_eq!(
        (f["findings"][0]["code"].as_str(), f["findings"][0]["level"].as_str()),
        (Some("overdue"), Some("warning"))
    );
    let j = json(&["--deny", "overdue"]);
    assert_eq!(j["files"][0]["findings"][0]["level"], "error", "{j}");
    assert_eq!(j["files"][0]["result"], "findings");

    // The repository's settings deny it too; the command line adds to them.
    let settings = home.path().join(".privcheck.toml");
    let text = read(&settings);
    std::fs::write(&settings, format!("{text}deny = [\"overdue\"]\n")).unwrap();
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", output(&o));
    std::fs::write(&settings, format!("{text}deny = [\"overdu\"]\n")).unwrap();
    let o = verify(home.path(), &[&file], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains(".privcheck.toml:2:9: deny: \"overdu\" is not a finding code"), "{}", output(&o));
}

#[test]
fn as_of_judges_due_dates_on_a_day_or_at_the_end_of_the_files_period() {
    let home = tempfile::tempdir().unwrap();
    // Due after 2026-Q3 ended: overdue today, not as of the period's end.
    let (file, signed) = signed_q3_due(home.path(), "2026-10-15");
    assert!(signed.contains("remediation due 2026-10-15, already past on 2026-12-01"), "{signed}");
    for (as_of, warned) in
        [("end", false), ("2026-09-30", false), ("2026-10-15", false), ("2026-10-16", true), ("2027-06-01", true)]
    {
        let o = verify(home.path(), &[&file], &["--as-of", as_of, "--deny", "overdue"]);
        assert_eq!(o.status.code(), Some(if warned { 1 } else { 0 }), "--as-of {as_of}: {}", output(&o));
    }
    let o = verify(home.path(), &[&file], &["--deny", "overdue"]);
    assert_eq!(o.status.code(), Some(1), "today (the default) is after the due date: {}", output(&o));
    let o = verify(home.path(), &[&file], &["--as-of", "2026-13-01"]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains("not a date like 2026-12-31, nor `end`"), "{}", output(&o));

    // The report judges the same way.
    let report = |as_of: &str| {
        let o =
            privcheck(home.path()).args(["report", "--format", "json", "--as-of", as_of]).arg(&file).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", output(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let j = report("end");
    assert_eq!(j["today"], "2026-09-30", "{j}");
    assert_eq!(j["files"][0]["overdue"], 0, "{j}");
    let j = report("2026-11-01");
    assert_eq!(j["files"][0]["overdue"], 1, "{j}");
}

#[test]
fn the_readme_documents_every_finding_code() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = privcheck::model::verify::markdown_table();
    assert!(readme.contains(&table), "README.md's table of finding codes is not CODES; paste this:\n{table}");
}
