//! `privcheck report`: the real binary on results files built with the library.

use crate::support::teams::*;
use crate::support::*;
use privcheck::model::results::{Results, Status};
use privcheck::render::report::escape_markdown_block;
use privcheck::render::text::escape_markdown;

fn report(home: &std::path::Path, args: &[&str]) -> std::process::Output {
    privcheck(home).arg("report").args(args).output().unwrap()
}

fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

#[test]
fn single_file_report_says_everything_a_reviewer_needs() {
    let home = tempfile::tempdir().unwrap();
    let r = checkout_q4();
    write(home.path(), "privcheck-2026-Q4.toml", &r);
    let o = report(home.path(), &["privcheck-2026-Q4.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let text = stdout(&o);
    let set = set();
    let p = r.progress();

    assert!(text.starts_with("# Privacy review: Checkout, 2026-Q4\n"), "{text}");
    assert!(!text.contains("roll-up"), "one file: no roll-up\n{text}");
    assert!(text.contains("- **Period:** 2026-Q4 (2026-10-01 to 2026-12-31)\n"), "{text}");
    assert!(
        text.contains(&format!(
            "- **Completion:** {}/{} items answered ({}%): {} pass, {} fail, {} not applicable, {} unreviewed\n",
            p.answered(),
            p.total,
            p.answered() * 100 / p.total,
            p.pass,
            p.fail,
            p.not_applicable,
            p.unreviewed
        )),
        "{text}"
    );
    assert!(text.contains(&format!("- **Overdue remediations:** 1 (as of {})\n", today())), "{text}");
    assert!(text.contains("- **Sign-off:** void (the answers changed after it was made)\n"), "{text}");
    assert!(text.contains(&format!("| reviewer | {NAME} | {EMAIL} | ")), "{text}");

    // Progress per area: one row per checklist, counts from the file.
    assert!(text.contains("| area | answered | pass | fail | n/a |\n"), "{text}");
    for c in &set.checklists {
        let answers: Vec<_> = r.answers.iter().filter(|a| c.items.iter().any(|i| i.id == a.item)).collect();
        let count = |s: Status| answers.iter().filter(|a| a.status == s).count();
        let row = format!(
            "| {} | {}/{} | {} | {} | {} |\n",
            escape_markdown(&c.title),
            answers.len() - count(Status::Unreviewed) - answers.iter().filter(|a| a.to_confirm()).count(),
            c.items.len(),
            count(Status::Pass),
            count(Status::Fail),
            count(Status::NotApplicable)
        );
        assert!(text.contains(&row), "no row {row:?} in\n{text}");
    }

    // Every failure with its remediation; the overdue one says so, and only it.
    assert!(text.contains(&format!("## Failed items ({})\n", p.fail)), "{text}");
    for a in r.answers.iter().filter(|a| a.status == Status::Fail) {
        let rem = a.remediation.as_ref().unwrap();
        let due = rem.due.unwrap();
        let marker = if due < today() { " (**OVERDUE**)" } else { "" };
        let section = &text[text.find(&format!("\n### {}\n", a.item)).unwrap_or_else(|| panic!("no {}", a.item))..];
        assert!(
            section.contains(&format!(
                "- **Remediation:** owner {}, due {due}{marker}, ticket {}\n",
                escape_markdown(&rem.owner),
                escape_markdown(&rem.ticket)
            )),
            "{}: {section}",
            a.item
        );
    }
    assert_eq!(text.matches("**OVERDUE**").count(), 1, "{text}");
    assert!(text.contains(&format!("due {PAST} (**OVERDUE**)")), "{text}");

    // Not applicable items with their reasons.
    assert!(text.contains(&format!("## Not applicable ({})\n", p.not_applicable)), "{text}");
    for a in r.answers.iter().filter(|a| a.status == Status::NotApplicable) {
        assert!(text.contains(&format!("| {} | ", a.item)), "{}", a.item);
        assert!(text.contains(&escape_markdown(&a.reason)), "{}: {}", a.item, a.reason);
    }
    assert!(text.contains(&escape_markdown(REASON)), "{text}");

    // Unreviewed and carried items.
    let unreviewed = &r.answers[nth(&r, Status::Unreviewed, 0)];
    let q = set.item(&unreviewed.item).unwrap();
    assert!(text.contains(&format!("## Unreviewed ({})\n", p.unreviewed)), "{text}");
    assert!(text.contains(&format!("| {} | ", unreviewed.item)), "{text}");
    assert!(text.contains(&escape_markdown(&q.question)), "{text}");
    let carried = r.answers.iter().find(|a| a.carried.is_some()).unwrap();
    assert!(text.contains("## Carried over, not yet confirmed (1)\n"), "{text}");
    assert!(text.contains(&format!("| {} | ", carried.item)) && text.contains(" | pass | 2026-Q3 |\n"), "{text}");

    // The policy clauses behind the failures, quotes as block quotes.
    assert!(text.contains("## Policy clauses behind the failures\n"), "{text}");
    for a in r.answers.iter().filter(|a| a.status == Status::Fail) {
        for c in &set.item(&a.item).unwrap().cite {
            assert!(text.contains(&format!("\n> {}\n", escape_markdown_block(&c.quote))), "quote of {}", a.item);
            assert!(text.contains(&escape_markdown(&c.section)), "section of {}", a.item);
        }
    }
    assert!(assert_tables_intact(&text) >= 5, "{text}");
}

#[test]
fn a_directory_rolls_up_every_team_sorted_by_product_then_period() {
    let home = tempfile::tempdir().unwrap();
    let files = teams(home.path());
    let o = report(home.path(), &["teams"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let text = stdout(&o);
    assert!(text.starts_with("# Privacy reviews: roll-up\n"), "{text}");
    let rows: Vec<&str> =
        text.lines().skip_while(|l| !l.starts_with("| product |")).skip(2).take_while(|l| l.starts_with('|')).collect();
    let expected = |product: &str, period: &str, state: &str| {
        let (rel, r): &(String, Results) =
            files.iter().find(|(_, r)| r.product == product && r.period.to_string() == period).unwrap();
        let p = r.progress();
        let overdue = r
            .answers
            .iter()
            .filter(|a| {
                a.status == Status::Fail && a.remediation.as_ref().and_then(|r| r.due).is_some_and(|d| d < today())
            })
            .count();
        let to_confirm = r.answers.iter().filter(|a| a.carried.as_ref().is_some_and(|c| !c.changed)).count();
        format!(
            "| {product} | {period} | {}/{} ({}%) | {to_confirm} | {} | {overdue} | {state} | {rel} |",
            p.answered(),
            p.total,
            p.answered() * 100 / p.total,
            p.fail
        )
    };
    assert_eq!(
        rows,
        [
            expected("Accounts", "2026-Q4", "unsigned"),
            expected("Checkout", "2026-Q3", "unsigned"),
            expected("Checkout", "2026-Q4", "void"),
            expected("Search", "2026-Q4", "none"),
        ]
    );
    assert!(rows[2].contains(" | 1 | void | "), "Checkout Q4 has one overdue remediation: {}", rows[2]);
    let fails: usize = files.iter().map(|(_, r)| r.progress().fail).sum();
    assert!(
        text.contains(&format!(
            "4 results files as of {}: {fails} failed items, 1 overdue remediation; sign-off: 2 unsigned, 1 void, 1 none.\n",
            today()
        )),
        "{text}"
    );
    // Then each file's details, in the roll-up's order, a level down.
    let heads: Vec<&str> = text.lines().filter(|l| l.starts_with("## Privacy review: ")).collect();
    assert_eq!(
        heads,
        [
            "## Privacy review: Accounts, 2026-Q4",
            "## Privacy review: Checkout, 2026-Q3",
            "## Privacy review: Checkout, 2026-Q4",
            "## Privacy review: Search, 2026-Q4",
        ]
    );
    assert!(text.contains("\n### Failed items ("), "{text}");
    assert_tables_intact(&text);

    // Several files name a roll-up too, and a file given twice counts once.
    let o = report(
        home.path(),
        &[
            "teams/search/privcheck-2026-Q4.toml",
            "teams/accounts/privcheck-2026-Q4.toml",
            "teams/search/privcheck-2026-Q4.toml",
        ],
    );
    let text = stdout(&o);
    assert!(text.starts_with("# Privacy reviews: roll-up\n\n2 results files"), "{}", output(&o));
}

#[test]
fn hostile_text_neither_breaks_tables_nor_appears_raw() {
    let home = tempfile::tempdir().unwrap();
    let mut r = checkout_q4();
    r.product = HOSTILE.to_string();
    for status in [Status::Fail, Status::NotApplicable, Status::Pass] {
        let i = first(&r, status);
        r.answers[i].note = HOSTILE.to_string();
        r.answers[i].evidence = vec![HOSTILE.to_string()];
        r.answers[i].reason = if status == Status::NotApplicable { HOSTILE.to_string() } else { String::new() };
        if let Some(rem) = r.answers[i].remediation.as_mut() {
            rem.owner = HOSTILE.to_string();
            rem.ticket = HOSTILE.to_string();
        }
    }
    r.signoffs[0].name = HOSTILE.to_string();
    write(home.path(), "dir/evil.toml", &r);
    write(home.path(), "dir/plain.toml", &team("Plain", "2026-Q4"));
    for args in [&["dir/evil.toml"][..], &["dir"][..]] {
        let o = report(home.path(), args);
        assert_eq!(o.status.code(), Some(0), "{}", output(&o));
        let text = stdout(&o);
        assert!(text.contains(&escape_markdown(HOSTILE)), "the text is there, escaped:\n{text}");
        for raw in ["\x1b", "<script>", "`rm -rf`", "[x](http://e)", "*red*"] {
            assert!(!text.contains(raw), "{raw:?} appears raw in:\n{text}");
        }
        assert!(!text.lines().any(|l| l.starts_with("# injected")), "{text}");
        assert!(assert_tables_intact(&text) >= 5, "{text}");
    }
    // JSON keeps the text as written.
    let o = report(home.path(), &["dir/evil.toml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["files"][0]["product"], HOSTILE);
    assert!(!stdout(&o).contains('\x1b'));
}

#[test]
fn json_parses_and_carries_the_same_data() {
    let home = tempfile::tempdir().unwrap();
    let files = teams(home.path());
    let o = report(home.path(), &["teams", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["privcheck_report"], 1);
    assert_eq!(v["today"], today().to_string());
    let rollup = v["rollup"].as_array().unwrap();
    let keys: Vec<(String, String)> = rollup
        .iter()
        .map(|r| (r["product"].as_str().unwrap().to_string(), r["period"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        keys,
        [("Accounts", "2026-Q4"), ("Checkout", "2026-Q3"), ("Checkout", "2026-Q4"), ("Search", "2026-Q4")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let q4 = &files[3].1;
    assert_eq!(rollup[2]["fail"], q4.progress().fail);
    assert_eq!(rollup[2]["overdue"], 1);
    assert_eq!(rollup[2]["signoff"], "void");
    assert_eq!(rollup[3]["signoff"], "none");
    let f = &v["files"][2];
    assert_eq!(f["file"], "teams/zz-checkout/privcheck-2026-Q4.toml");
    assert_eq!(f["progress"]["unreviewed"], 1);
    assert_eq!(f["signoffs"][0]["state"], "void");
    assert_eq!(f["failed"].as_array().unwrap().len(), q4.progress().fail);
    assert_eq!(f["not_applicable"].as_array().unwrap().len(), q4.progress().not_applicable);
    assert_eq!(f["carried"][0]["carried"]["from"], "2026-Q3");
    let overdue: Vec<&serde_json::Value> =
        f["failed"].as_array().unwrap().iter().filter(|i| i["remediation"]["overdue"] == true).collect();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0]["remediation"]["due"], PAST);
    assert!(f["clauses"].as_array().unwrap().iter().all(|c| !c["quote"].as_str().unwrap().is_empty()));
}

#[test]
fn a_signature_not_checked_against_allowed_signers_is_reported_unverified_never_valid() {
    let home = tempfile::tempdir().unwrap();
    let (file, _key) = signed_file(home.path());
    let o = report(home.path(), &[file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert!(
        stdout(&o).contains("- **Sign-off:** unverified (signed, but the signer was not checked"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains("valid ("), "{}", stdout(&o));
    // Changing an answer voids it.
    let mut r = load(&file);
    r.answers[0].note.push_str(" edited");
    save(&file, &r);
    let o = report(home.path(), &[file.to_str().unwrap()]);
    assert!(stdout(&o).contains("- **Sign-off:** void"), "{}", stdout(&o));
}

#[test]
fn malformed_or_missing_files_exit_2_naming_file_line_and_column() {
    let home = tempfile::tempdir().unwrap();
    let bad = fixture("report/malformed.toml");
    let o = report(home.path(), &[bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains(&format!("{}:3:10: ", bad.display())), "{}", output(&o));
    assert!(stdout(&o).is_empty(), "nothing half-written: {}", output(&o));

    // In a directory: every *.toml must be a results file.
    teams(home.path());
    std::fs::copy(&bad, home.path().join("teams/search/notes.toml")).unwrap();
    let o = report(home.path(), &["teams"]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains("teams/search/notes.toml:3:10: "), "{}", output(&o));

    let o = report(home.path(), &["missing.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.toml: cannot read results file"), "{}", output(&o));

    std::fs::create_dir(home.path().join("empty")).unwrap();
    let o = report(home.path(), &["empty"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no *.toml results files"), "{}", output(&o));
}
