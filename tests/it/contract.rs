//! The on-disk contract, pinned with literal values: the item digest an answer records, the
//! content digest a sign-off records, the exact bytes an SSH signature covers, and the text
//! of a results file. Committed results files and their signatures depend on every byte of
//! these: a change voids every sign-off and makes every answer stale.
//!
//! CHANGING ANY OF THESE VALUES IS A SCHEMA CHANGE. Do not update a literal to make a test
//! pass: bump the version that names the encoding (`privcheck_results` in the content
//! digest, `privcheck_signoff` in the signed message, `schema` in the results file, or a
//! new item-digest prefix) and keep reading and verifying files of the old version; then
//! add the new version's values beside the old ones here.
//!
//! Last, a committed signed results file (tests/fixtures/contract/, see its README) that
//! `verify` must accept in every future release.

use crate::support::*;
use privcheck::model::checklist::{Checklist, ChecklistSet, Citation, Item, Origin, ScopeQuestion, Severity};
use privcheck::model::results::{Answer, Carried, ChecklistRef, Remediation, Results, SignOff, Status};
use privcheck::store::results_file::{from_toml, to_toml};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// An item with every field the digest covers set, text that needs escaping in JSON (a
/// quote, a backslash, a tab, a newline) and non-ASCII text.
fn item() -> Item {
    Item {
        id: "promises.kept".into(),
        checklist: "promises".into(),
        question: "Does the product keep the \"promise\" it makes — in every language?".into(),
        guidance: "Line one.\nLine two: ünïcode, a tab\tand a backslash \\.".into(),
        severity: Severity::High,
        scope: vec!["eea".into(), "minors".into()],
        legal: vec!["GDPR Art. 8".into()],
        cite: vec![
            Citation {
                document: "policy-2026-01-01.txt".into(),
                effective: "2026-01-01".into(),
                section: "A. PROMISES".into(),
                quote: "We keep “promises”.".into(),
            },
            Citation {
                document: "policy-2024-06.txt".into(),
                effective: "2024-06".into(),
                section: "1. INTRODUCTION".into(),
                quote: "We tell you first.".into(),
            },
        ],
        replaces: vec!["promises.old".into()],
    }
}

/// `sha256:` and the hex of the first `bytes` bytes of the SHA-256 of `preimage`.
fn sha256(preimage: &str, bytes: usize) -> String {
    let hash = Sha256::digest(preimage.as_bytes());
    format!("sha256:{}", hash[..bytes].iter().map(|b| format!("{b:02x}")).collect::<String>())
}

#[test]
fn item_digest_of_schema_1_is_pinned() {
    const DIGEST: &str = "sha256:68a8da77c1a7aebc";
    assert_eq!(item().digest_v1(), DIGEST);
    // What it is the digest of: the first 8 bytes of the SHA-256 of this JSON (id,
    // question, guidance, severity, scope and citations, in this order).
    let preimage = concat!(
        r#"{"id":"promises.kept","question":"Does the product keep the \"promise\" it makes — in every language?","#,
        r#""guidance":"Line one.\nLine two: ünïcode, a tab\tand a backslash \\.","severity":"high","#,
        r#""scope":["eea","minors"],"cite":[{"document":"policy-2026-01-01.txt","effective":"2026-01-01","#,
        r#""section":"A. PROMISES","quote":"We keep “promises”."},{"document":"policy-2024-06.txt","#,
        r#""effective":"2024-06","section":"1. INTRODUCTION","quote":"We tell you first."}]}"#,
    );
    assert_eq!(sha256(preimage, 8), DIGEST);
    // The item's checklist and its legal references are not part of it.
    let mut other = item();
    other.checklist = "elsewhere".into();
    other.legal.push("CCPA".into());
    assert_eq!(other.digest_v1(), DIGEST);
    assert_eq!(set().item_digest(&item(), 1), DIGEST, "schema 1 answers record it");
}

/// The item's set: its scope questions, whose text the schema 2 digest binds.
fn set() -> ChecklistSet {
    ChecklistSet {
        checklists: vec![Checklist {
            id: "promises".into(),
            title: "Promises".into(),
            description: "d".into(),
            version: 3,
            origin: Origin::BuiltIn("promises.toml".into()),
            items: vec![item()],
        }],
        scope: vec![
            ScopeQuestion {
                id: "eea".into(),
                question: "Does the product serve users in the EEA?".into(),
                help: "Answer yes for \"any\" EEA user.".into(),
                checklist: "promises".into(),
            },
            ScopeQuestion {
                id: "minors".into(),
                question: "Can minors use it?".into(),
                help: String::new(),
                checklist: "promises".into(),
            },
        ],
        ..ChecklistSet::default()
    }
}

#[test]
fn item_digest_of_schema_2_is_pinned() {
    const DIGEST: &str = "sha256:baec6835b1df3625";
    assert_eq!(set().item_digest(&item(), 2), DIGEST);
    // The first 8 bytes of the SHA-256 of this JSON: a version, then what schema 1 bound,
    // with each scope question's text and help, and the legal duties.
    let preimage = concat!(
        r#"{"privcheck_item":2,"id":"promises.kept","question":"Does the product keep the \"promise\" it makes — in every language?","#,
        r#""guidance":"Line one.\nLine two: ünïcode, a tab\tand a backslash \\.","severity":"high","#,
        r#""scope":[{"id":"eea","question":"Does the product serve users in the EEA?","help":"Answer yes for \"any\" EEA user."},"#,
        r#"{"id":"minors","question":"Can minors use it?","help":""}],"legal":["GDPR Art. 8"],"#,
        r#""cite":[{"document":"policy-2026-01-01.txt","effective":"2026-01-01","#,
        r#""section":"A. PROMISES","quote":"We keep “promises”."},{"document":"policy-2024-06.txt","#,
        r#""effective":"2024-06","section":"1. INTRODUCTION","quote":"We tell you first."}]}"#,
    );
    assert_eq!(sha256(preimage, 8), DIGEST);
    let mut other = item();
    other.checklist = "elsewhere".into();
    assert_eq!(set().item_digest(&other, 2), DIGEST, "the item's area is not part of it");
}

fn at(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

/// A small results value with every field of an answer set one way or the other.
fn results() -> Results {
    let answer = |item: &str, digest: &str, status: Status| Answer {
        digest: digest.into(),
        status,
        by: "Ann Example".into(),
        at: Some(at("2026-11-02T09:30:00Z")),
        ..Answer::blank(item)
    };
    let failed = Answer {
        note: "Two lines:\nü and \"quotes\".".into(),
        evidence: vec!["https://wiki.example.com/evidence-1".into(), "docs/a b.pdf".into()],
        remediation: Some(Remediation {
            owner: "Bob Owner".into(),
            due: Some("2099-12-31".parse().unwrap()),
            ticket: "PRIV-1".into(),
        }),
        carried: Some(Carried { from: "2026-Q3".parse().unwrap(), status: Status::Pass, changed: true }),
        ..answer("promises.kept", "sha256:0123456789abcdef", Status::Fail)
    };
    let auto = Answer {
        reason: "Out of scope: \"Does the product serve users in the EEA?\" answered no.".into(),
        by: "privcheck (scope)".into(),
        at: Some(at("2026-11-02T09:00:00Z")),
        auto: true,
        ..answer("promises.eea", "sha256:fedcba9876543210", Status::NotApplicable)
    };
    let incomplete = Answer {
        remediation: Some(Remediation { owner: String::new(), due: None, ticket: String::new() }),
        carried: Some(Carried { from: "2026-Q2".parse().unwrap(), status: Status::NotApplicable, changed: false }),
        ..answer("rights.access", "sha256:00112233445566ff", Status::Fail)
    };
    let todo = Answer { digest: "sha256:aaaaaaaaaaaaaaaa".into(), ..Answer::blank("rights.erasure") };
    Results {
        schema: 1,
        policy: None,
        product: "Checkout \"EU\" — Zahlung".into(),
        period: "2026-Q4".parse().unwrap(),
        checklists: vec![
            ChecklistRef { id: "promises".into(), version: 3 },
            ChecklistRef { id: "rights".into(), version: 1 },
        ],
        scope: [("eea".to_string(), false), ("web".to_string(), true)].into(),
        answers: vec![failed, auto, incomplete, todo],
        signoffs: Vec::new(),
    }
}

fn signoff(digest: &str) -> SignOff {
    SignOff {
        name: "Ann Example".into(),
        email: "ann@example.com".into(),
        role: "reviewer".into(),
        at: at("2026-11-20T16:45:00Z"),
        digest: digest.into(),
        key: Some("SHA256:k3yFingerprintAbc".into()),
        signature: Some("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n".into()),
    }
}

/// The JSON whose SHA-256 is the schema 1 content digest of [`results`].
fn content_preimage_v1() -> String {
    concat!(
        r#"{"privcheck_results":1,"product":"Checkout \"EU\" — Zahlung","period":"2026-Q4","#,
        r#""checklists":[{"id":"promises","version":3},{"id":"rights","version":1}],"scope":{"eea":false,"web":true},"answers":["#,
        r#"{"item":"promises.kept","digest":"sha256:0123456789abcdef","status":"fail","note":"Two lines:\nü and \"quotes\".","#,
        r#""evidence":["https://wiki.example.com/evidence-1","docs/a b.pdf"],"remediation":["Bob Owner","2099-12-31","PRIV-1"],"#,
        r#""reason":"","by":"Ann Example","at":"2026-11-02T09:30:00Z","auto":false,"carried":["2026-Q3","pass",true]},"#,
        r#"{"item":"promises.eea","digest":"sha256:fedcba9876543210","status":"not_applicable","note":"","evidence":[],"#,
        r#""remediation":null,"reason":"Out of scope: \"Does the product serve users in the EEA?\" answered no.","#,
        r#""by":"privcheck (scope)","at":"2026-11-02T09:00:00Z","auto":true,"carried":null},"#,
        r#"{"item":"rights.access","digest":"sha256:00112233445566ff","status":"fail","note":"","evidence":[],"#,
        r#""remediation":["",null,""],"reason":"","by":"Ann Example","at":"2026-11-02T09:30:00Z","auto":false,"#,
        r#""carried":["2026-Q2","not_applicable",false]},"#,
        r#"{"item":"rights.erasure","digest":"sha256:aaaaaaaaaaaaaaaa","status":"unreviewed","note":"","evidence":[],"#,
        r#""remediation":null,"reason":"","by":"","at":null,"auto":false,"carried":null}]}"#,
    )
    .to_string()
}

#[test]
fn results_content_digest_of_schema_1_is_pinned() {
    const DIGEST: &str = "sha256:0b54ce0823916883914c92f82d81f94c9a1ecad69537b82cbe4319e2f854ee8e";
    let r = results();
    assert_eq!(r.content_digest(), DIGEST);
    // What it is the digest of: the SHA-256 of this JSON.
    let preimage = content_preimage_v1();
    assert_eq!(sha256(&preimage, 32), DIGEST);
    // Sign-offs are not part of it.
    let mut signed = r.clone();
    signed.signoffs.push(signoff(DIGEST));
    assert_eq!(signed.content_digest(), DIGEST);
}

#[test]
fn results_content_digest_of_schema_2_is_pinned() {
    const DIGEST: &str = "sha256:f6e05c45105f529f27362b314c8dba2ece4521f88e158da42eac7e6d371c4fab";
    let mut r = results();
    r.schema = 2;
    r.policy = Some("policy-2026-01-01.txt".into());
    assert_eq!(r.content_digest(), DIGEST);
    // The schema 1 preimage with the version 2 and the policy version in force after the period.
    let v1 = results().content_digest();
    assert_ne!(v1, DIGEST);
    let mut none = r.clone();
    none.policy = None;
    assert_ne!(none.content_digest(), DIGEST, "the policy version is bound");
    assert_ne!(none.content_digest(), v1, "schema 2 without a policy is not schema 1");
    let preimage_head = r#"{"privcheck_results":2,"product":"Checkout \"EU\" — Zahlung","period":"2026-Q4","policy":"policy-2026-01-01.txt","checklists":"#;
    let v1_preimage = content_preimage_v1();
    let preimage = v1_preimage.replacen(
        r#"{"privcheck_results":1,"product":"Checkout \"EU\" — Zahlung","period":"2026-Q4","checklists":"#,
        preimage_head,
        1,
    );
    assert_ne!(preimage, v1_preimage);
    assert_eq!(sha256(&preimage, 32), DIGEST);
}

#[test]
fn signoff_message_is_pinned() {
    let r = results();
    let s = signoff(&r.content_digest());
    let message = s.message(&r.product, r.period);
    // One JSON object, keys in this order, and a newline.
    let expected = concat!(
        r#"{"privcheck_signoff":1,"product":"Checkout \"EU\" — Zahlung","period":"2026-Q4","name":"Ann Example","#,
        r#""email":"ann@example.com","role":"reviewer","at":"2026-11-20T16:45:00Z","#,
        r#""digest":"sha256:0b54ce0823916883914c92f82d81f94c9a1ecad69537b82cbe4319e2f854ee8e"}"#,
        "\n"
    );
    assert_eq!(String::from_utf8(message).unwrap(), expected);
}

#[test]
fn results_file_text_is_pinned() {
    let mut r = results();
    r.signoffs.push(signoff(&r.content_digest()));
    let text = to_toml(&r);
    let expected = r##"# privcheck results: answers to the privacy-policy checklists. Edit with `privcheck review`.
schema = 1
product = 'Checkout "EU" — Zahlung'
period = "2026-Q4"

[scope]
eea = false
web = true

[[checklists]]
id = "promises"
version = 3

[[checklists]]
id = "rights"
version = 1

[[answers]]
item = "promises.kept"
digest = "sha256:0123456789abcdef"
status = "fail"
by = "Ann Example"
at = "2026-11-02T09:30:00Z"
note = """
Two lines:
ü and "quotes"."""
evidence = [
    "https://wiki.example.com/evidence-1",
    "docs/a b.pdf",
]

[answers.remediation]
owner = "Bob Owner"
due = "2099-12-31"
ticket = "PRIV-1"

[answers.carried]
from = "2026-Q3"
status = "pass"
changed = true

[[answers]]
item = "promises.eea"
digest = "sha256:fedcba9876543210"
status = "not_applicable"
by = "privcheck (scope)"
at = "2026-11-02T09:00:00Z"
auto = true
reason = 'Out of scope: "Does the product serve users in the EEA?" answered no.'

[[answers]]
item = "rights.access"
digest = "sha256:00112233445566ff"
status = "fail"
by = "Ann Example"
at = "2026-11-02T09:30:00Z"

[answers.remediation]
owner = ""
ticket = ""

[answers.carried]
from = "2026-Q2"
status = "not_applicable"

[[answers]]
item = "rights.erasure"
digest = "sha256:aaaaaaaaaaaaaaaa"
status = "unreviewed"

[[signoffs]]
role = "reviewer"
name = "Ann Example"
email = "ann@example.com"
at = "2026-11-20T16:45:00Z"
digest = "sha256:0b54ce0823916883914c92f82d81f94c9a1ecad69537b82cbe4319e2f854ee8e"
key = "SHA256:k3yFingerprintAbc"
signature = """
-----BEGIN SSH SIGNATURE-----
U1NIU0lH
-----END SSH SIGNATURE-----
"""
"##;
    assert_eq!(text, expected);
    assert_eq!(from_toml(expected, "r.toml").unwrap(), r, "the pinned text reads back to the same value");

    // Schema 2: the same, with its number and the policy version in force after the period.
    let mut v2 = r.clone();
    v2.schema = 2;
    v2.policy = Some("policy-2026-01-01.txt".into());
    let expected_v2 = expected.replacen("schema = 1\n", "schema = 2\n", 1).replacen(
        "period = \"2026-Q4\"\n",
        "period = \"2026-Q4\"\npolicy = \"policy-2026-01-01.txt\"\n",
        1,
    );
    assert_eq!(to_toml(&v2), expected_v2);
    assert_eq!(from_toml(&expected_v2, "r.toml").unwrap(), v2);
}

// ---------------------------------------------------------------------------
// A file signed by this release, verified by every later one.
// ---------------------------------------------------------------------------

/// The committed signed fixture: a complete review of `checklists/`, signed as reviewer and
/// as approver by two people with the test keys in `keys/`.
fn contract_file() -> (PathBuf, Results) {
    let file = fixture("contract/privcheck-2026-Q4.toml");
    let text = read(&file);
    let r = from_toml(&text, "privcheck-2026-Q4.toml").unwrap_or_else(|e| panic!("{e}"));
    (file, r)
}

#[test]
fn the_committed_signed_file_verifies() {
    let (file, _) = contract_file();
    let dir = fixture("contract");
    let home = tempfile::tempdir().unwrap();
    let o = privcheck(home.path())
        .arg("--checklists")
        .arg(dir.join("checklists"))
        .arg("verify")
        .arg("--allowed-signers")
        .arg(dir.join("allowed_signers"))
        .args(["--require-role", "reviewer", "--require-role", "approver"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "verify must accept this file in every future release:\n{}", output(&o));
}

#[test]
fn the_committed_signed_file_is_canonical() {
    // What this release writes for what it reads, byte for byte: the fixture is a file
    // privcheck wrote, not a hand-made approximation.
    let (file, r) = contract_file();
    assert_eq!(to_toml(&r), read(&file));
}

#[test]
fn the_committed_signed_file_stays_plausible() {
    // What a stricter verify may demand of a sign-off, so that it never rejects this file:
    // two people, each with their own key, signing after every answer, within the period.
    let (_, r) = contract_file();
    let roles: Vec<&str> = r.signoffs.iter().map(|s| s.role.as_str()).collect();
    assert_eq!(roles, ["reviewer", "approver"]);
    let (a, b) = (&r.signoffs[0], &r.signoffs[1]);
    assert!(a.name != b.name && a.email != b.email && a.key != b.key, "one person signed both roles");
    assert!(r.signoffs.iter().all(|s| s.signature.is_some() && s.digest == r.content_digest()));
    let last_answer = r.answers.iter().filter_map(|x| x.at).max().unwrap();
    for s in &r.signoffs {
        assert!(s.at > last_answer, "{} signed before the last answer", s.role);
        let day = jiff::tz::Offset::UTC.to_datetime(s.at).date();
        let within = privcheck::model::period::Period::containing(day) == r.period;
        assert!(within, "{} signed on {day}, outside {}", s.role, r.period);
    }
    assert!(a.at < b.at, "the approver signed before the reviewer");
    let today = jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()).date();
    for a in &r.answers {
        if let Some(due) = a.remediation.as_ref().and_then(|m| m.due) {
            assert!(due > today, "{}: remediation due {due}, overdue now", a.item);
        }
    }
}
