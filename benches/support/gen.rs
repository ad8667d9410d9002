//! Generated inputs for the benchmarks (`benches/core.rs`, `examples/term_bench.rs`):
//! checklist sets of any size, valid per `checklists/README.md`, and complete results
//! for them. Deterministic: the same sizes give the same bytes.
#![allow(dead_code)]

use privcheck::model::checklist::{ChecklistSet, Origin};
use privcheck::model::period::Period;
use privcheck::model::results::{Remediation, Results, SignOff, Status};
use privcheck::store::checklist_file::{self, SourceFile};
use std::path::{Path, PathBuf};

/// Items per generated checklist file: 100 items is one file, 10,000 are 100 files.
pub const PER_FILE: usize = 100;

/// The scope question the first generated file declares; every tenth item needs it.
pub const SCOPE: &str = "region";

/// The text of generated checklist file number `file` with `items` items: an area of
/// realistic size (question, four lines of guidance, a severity, a legal duty, one
/// citation), about 900 bytes an item.
pub fn checklist_text(file: usize, items: usize) -> String {
    let mut t = format!(
        "id = \"area-{file:03}\"\ntitle = \"Generated area {file}\"\n\
         description = \"\"\"\nObligations of generated area {file}: a benchmark input of\n\
         realistic size, not a real checklist.\"\"\"\nversion = 1\n"
    );
    if file == 0 {
        t.push_str(&format!(
            "\n[[scope]]\nid = \"{SCOPE}\"\nquestion = \"Does the product serve users in the generated region?\"\n\
             help = \"Answer yes if anyone in the region can reach the product.\"\n"
        ));
    }
    let severities = ["low", "medium", "high", "critical"];
    for k in 0..items {
        t.push_str(&format!(
            "\n[[items]]\nid = \"area-{file:03}.control-{k:03}\"\n\
             question = \"Does control {k} of area {file} hold on every surface of the product (web, mobile, support), as the policy promises?\"\n\
             guidance = \"\"\"\n\
             Check the control on each sign-up path, in the mobile apps and in the support\n\
             tools; compare what the product does with what clause {k} of the policy says.\n\
             Evidence: a link to the test, the ticket or the configuration that shows it,\n\
             and the date it was checked. Area {file}, control {k}.\"\"\"\n\
             severity = \"{}\"\n",
            severities[k % 4]
        ));
        if k % 10 == 9 {
            t.push_str(&format!("scope = [\"{SCOPE}\"]\n"));
        }
        t.push_str(&format!(
            "legal = [\"GDPR Art. {}\"]\n\n[[items.cite]]\ndocument = \"policy-2020-02-27.txt\"\n\
             effective = \"2020-02-27\"\nsection = \"{}. GENERATED SECTION\"\n\
             quote = \"We keep the promise numbered {k} of area {file} on every service we offer, and we tell you when that changes.\"\n",
            5 + k % 40,
            (b'A' + (k % 26) as u8) as char,
        ));
    }
    t
}

/// The file names and texts of a generated set of `items` items (`PER_FILE` to a file).
pub fn checklist_files(items: usize) -> Vec<(String, String)> {
    let files = items.div_ceil(PER_FILE).max(1);
    (0..files)
        .map(|f| {
            let n = PER_FILE.min(items - f * PER_FILE);
            (format!("area-{f:03}.toml"), checklist_text(f, n))
        })
        .collect()
}

/// A generated set of `items` items, loaded as `--checklists` would.
pub fn set(items: usize) -> ChecklistSet {
    let sources: Vec<SourceFile> = checklist_files(items)
        .into_iter()
        .map(|(name, text)| SourceFile { origin: Origin::Path(PathBuf::from(name)), text })
        .collect();
    checklist_file::load(&sources).unwrap_or_else(|d| panic!("generated checklists do not load: {}", d[0]))
}

/// Writes a generated set of `items` items into `dir` (created); for `--checklists DIR`.
pub fn write_checklists(dir: &Path, items: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in checklist_files(items) {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

pub fn period() -> Period {
    "2026-Q4".parse().unwrap()
}

fn time(offset: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_790_000_000 + offset).unwrap()
}

/// A complete review of `set` by `product`: every scope question answered (the generated
/// region and the built-in `minors` and `translations` no, so their items are not
/// applicable automatically), every other item pass, fail with a full remediation, or not
/// applicable with a reason, in turn; notes and evidence on some; and an unsigned sign-off
/// that matches the content.
pub fn complete_results(set: &ChecklistSet, product: &str) -> Results {
    let mut r = Results::new(product, period(), set);
    for q in &set.scope {
        let no = matches!(q.id.as_str(), SCOPE | "minors" | "translations");
        r.scope.insert(q.id.clone(), !no);
    }
    r.apply_scope(set, "privcheck (scope)", time(0));
    for (n, a) in r.answers.iter_mut().filter(|a| !a.auto).enumerate() {
        match n % 6 {
            2 => {
                a.status = Status::Fail;
                a.remediation = Some(Remediation {
                    owner: "Bob Owner".into(),
                    due: Some(jiff::civil::date(2099, 12, 31)),
                    ticket: format!("PRIV-{}", 100 + n),
                });
                a.note = format!("Fails on the web sign-up path ({n}).\nMobile is fine.");
            }
            4 => {
                a.status = Status::NotApplicable;
                a.reason = format!("Not offered by the product ({n}).");
            }
            _ => {
                a.status = Status::Pass;
                if n % 3 == 0 {
                    a.evidence = vec![format!("https://tickets.example.com/PRIV-{n}")];
                }
            }
        }
        a.by = "Ann Example".into();
        a.at = Some(time(60 * (n as i64 + 1)));
    }
    sign_unsigned(&mut r);
    r
}

/// Adds an unsigned sign-off that matches the content.
pub fn sign_unsigned(r: &mut Results) {
    r.signoffs.push(SignOff {
        name: "Ann Example".into(),
        email: "ann@example.com".into(),
        role: "reviewer".into(),
        at: time(1_000_000),
        digest: r.content_digest(),
        key: None,
        signature: None,
    });
}
