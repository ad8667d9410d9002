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
    // Completion counts confirmed answers: the carried one is not.
    let carried = r.answers.iter().filter(|a| a.carried.as_ref().is_some_and(|c| !c.changed)).count();
    assert_eq!(carried, 1);
    let confirmed = p.total - p.unreviewed - carried;
    assert!(
        text.contains(&format!(
            "- **Completion:** {confirmed}/{} items answered and confirmed ({}%): {} pass, {} fail, {} not applicable, {} unreviewed, 1 carried over and not yet confirmed\n",
            p.total,
            confirmed * 100 / p.total,
            p.pass,
            p.fail,
            p.not_applicable,
            p.unreviewed
        )),
        "{text}"
    );
    // A void and incomplete file says so on stderr.
    assert!(
        stderr(&o).contains("privcheck: warning: privcheck-2026-Q4.toml: 1 of its 1 sign-offs is void"),
        "{}",
        output(&o)
    );
    assert!(stderr(&o).contains(&format!("privcheck: warning: privcheck-2026-Q4.toml: incomplete: {confirmed} of {} items confirmed (1 unreviewed, 1 carried over", p.total)), "{}", output(&o));
    assert!(text.contains("- **Verify:** "), "{text}");
    assert!(text.contains("- **Roles signed:** none "), "{text}");
    assert!(text.contains(&format!("- **Overdue remediations:** 1 (as of {})\n", today())), "{text}");
    assert!(text.contains("- **Sign-off:** void (the answers changed after it was made)\n"), "{text}");
    assert!(text.contains(&format!("| reviewer | {NAME} | {} | ", EMAIL.replace('@', "&#64;"))), "{text}");

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

/// What `privcheck verify` says of `file`, as the roll-up's verify column writes it.
fn verify_cell(home: &std::path::Path, file: &str) -> String {
    let o = verify(home, &[std::path::Path::new(file)], &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", output(&o)));
    let f = &v["files"][0];
    match f["result"].as_str().unwrap() {
        "ok" => "ok".to_string(),
        "findings" => format!("findings ({})", f["findings"].as_array().unwrap().len()),
        other => other.to_string(),
    }
}

/// The rows of the roll-up table of `text`.
fn rows(text: &str) -> Vec<&str> {
    text.lines().skip_while(|l| !l.starts_with("| product |")).skip(2).take_while(|l| l.starts_with('|')).collect()
}

#[test]
fn a_directory_rolls_up_every_team_sorted_by_product_then_period() {
    let home = tempfile::tempdir().unwrap();
    let files = teams(home.path());
    let o = report(home.path(), &["teams", "--all-periods"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let text = stdout(&o);
    assert!(text.starts_with("# Privacy reviews: roll-up\n"), "{text}");
    let rows = rows(&text);
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
        let confirmed = p.total - p.unreviewed - to_confirm;
        format!(
            "| {product} | {period} | {confirmed}/{} ({}%) | {to_confirm} | {} | {overdue} | {} | {state} | none | {rel} |",
            p.total,
            confirmed * 100 / p.total,
            p.fail,
            verify_cell(home.path(), rel)
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
    assert!(rows[2].contains(" | 1 | findings ("), "Checkout Q4 has one overdue remediation: {}", rows[2]);
    let fails: usize = files.iter().map(|(_, r)| r.progress().fail).sum();
    assert!(
        text.contains(&format!(
            "4 results files as of {}, every period: {fails} failed items, 1 overdue remediation; sign-off: 2 unsigned, 1 void, 1 none; verify: 4 findings.\n",
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
fn the_rollup_shows_the_latest_period_of_each_product_unless_asked() {
    let home = tempfile::tempdir().unwrap();
    teams(home.path());
    let o = report(home.path(), &["teams"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let text = stdout(&o);
    let periods: Vec<String> =
        rows(&text).iter().map(|r| r.split(" | ").take(2).collect::<Vec<_>>().join(" ")).collect();
    assert_eq!(periods, ["| Accounts 2026-Q4", "| Checkout 2026-Q4", "| Search 2026-Q4"]);
    assert!(text.contains("3 results files as of "), "{text}");
    assert!(
        text.contains(", the latest period of each product (1 older file not shown: `--all-periods` shows them): "),
        "{text}"
    );
    assert!(!text.contains("## Privacy review: Checkout, 2026-Q3"), "the details follow the table: {text}");
    // The totals are of the latest periods only.
    let fails = rows(&text).iter().map(|r| r.split(" | ").nth(4).unwrap().parse::<usize>().unwrap()).sum::<usize>();
    assert!(text.contains(&format!(": {fails} failed items, ")), "{text}");

    // One period, in either case.
    for p in ["2026-Q3", "2026-q3"] {
        let o = report(home.path(), &["teams", "--period", p, "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{}", output(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["periods"], "2026-Q3");
        assert_eq!(v["rollup"].as_array().unwrap().len(), 1);
        assert_eq!(v["rollup"][0]["product"], "Checkout");
        assert_eq!(v["not_shown"], 3);
        assert_eq!(v["files"].as_array().unwrap().len(), 1);
    }
    let o = report(home.path(), &["teams", "--period", "2026-Q5"]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains("is not a calendar quarter"), "{}", output(&o));
    let o = report(home.path(), &["teams", "--period", "2026-Q3", "--all-periods"]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
}

#[test]
fn a_rollup_survives_a_broken_file_a_stray_toml_file_and_another_checklist_set() {
    let home = tempfile::tempdir().unwrap();
    let files = teams(home.path());
    // A broken results file, a stray notes.toml, a team with its own checklists (named in its
    // .privcheck.toml), and a file answered against another set in a folder naming none.
    std::fs::create_dir_all(home.path().join("teams/broken")).unwrap();
    std::fs::copy(fixture("report/malformed.toml"), home.path().join("teams/broken/privcheck-2026-Q4.toml")).unwrap();
    std::fs::write(home.path().join("teams/search/notes.toml"), "title = \"Meeting notes\"\n[agenda]\nfirst = \"x\"\n")
        .unwrap();
    let custom = crate::support::fixed::ui_set();
    let mut own = complete_results(&custom);
    own.product = "Custom".into();
    write(home.path(), "teams/custom/privcheck-2026-Q4.toml", &own);
    std::fs::write(
        home.path().join("teams/custom/.privcheck.toml"),
        format!("checklists = {:?}\n", fixture("checklists-ui").display().to_string()),
    )
    .unwrap();
    let mut foreign = own.clone();
    foreign.product = "Foreign".into();
    write(home.path(), "teams/foreign/privcheck-2026-Q4.toml", &foreign);

    let o = report(home.path(), &["teams", "--all-periods"]);
    assert_eq!(o.status.code(), Some(2), "some files could not be read: {}", output(&o));
    let text = stdout(&o);
    let err = stderr(&o);
    // The broken file: listed with file, line and column, in the output and on stderr.
    assert!(err.contains("privcheck: teams/broken/privcheck-2026-Q4.toml:3:10: "), "{err}");
    assert!(err.contains("1 of 7 results files could not be read"), "{err}");
    assert!(
        text.contains("## Files that could not be read (1)\n\n- teams/broken/privcheck-2026-Q4.toml:3:10: "),
        "{text}"
    );
    assert!(text.contains("**1 file could not be read** (listed below)"), "{text}");
    // The stray files: skipped with a note.
    assert!(err.contains("privcheck: note: teams/search/notes.toml: skipped: not a results file"), "{err}");
    assert!(
        err.contains("privcheck: note: teams/custom/.privcheck.toml: skipped: the repository's privcheck settings"),
        "{err}"
    );
    assert!(text.contains("## Skipped: not results files (2)\n"), "{text}");
    // Every readable file is there: the four teams', the custom team's and the foreign one.
    let rows = rows(&text);
    let products: Vec<&str> = rows.iter().map(|r| r.split(" | ").next().unwrap().trim_start_matches("| ")).collect();
    assert_eq!(products, ["Accounts", "Checkout", "Checkout", "Custom", "Foreign", "Search"]);
    // The custom team is read with its own checklists: verify reads it too.
    let custom_row = rows[3];
    let total = custom.item_count();
    assert!(custom_row.contains(&format!(" | {total}/{total} (100%) | ")), "{custom_row}");
    assert!(!custom_row.contains("unreadable") && !custom_row.contains("another checklist set"), "{custom_row}");
    // The foreign file: its items by id; verify cannot read it against the built-in set.
    let foreign_row = rows[4];
    assert!(
        foreign_row.contains(" | unreadable | ") && foreign_row.contains("*(another checklist set)*"),
        "{foreign_row}"
    );
    assert!(
        foreign_row.contains(&format!(" | {}/{} (100%) | ", foreign.answers.len(), foreign.answers.len())),
        "{foreign_row}"
    );
    assert!(text.contains("- **Checklists:** answered against another checklist set"), "{text}");
    assert!(text.contains("- **Verify:** unreadable: teams/foreign/privcheck-2026-Q4.toml:"), "{text}");
    let builtin = set();
    let failed = foreign.answers.iter().find(|a| a.status == Status::Fail && builtin.item(&a.item).is_none());
    let failed = &failed.expect("the custom set has items of its own").item;
    assert!(
        text.contains(&format!(
            "\n#### {}\n\n- **Question:** *(not in the checklists in force)*\n",
            escape_markdown_block(failed)
        )),
        "{text}"
    );
    assert_tables_intact(&text);
    let _ = files;

    // JSON: the same, with the error's place.
    let o = report(home.path(), &["teams", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["unreadable"][0]["file"], "teams/broken/privcheck-2026-Q4.toml");
    assert_eq!((v["unreadable"][0]["line"].clone(), v["unreadable"][0]["column"].clone()), (3.into(), 10.into()));
    assert_eq!(v["skipped"].as_array().unwrap().len(), 2);
    let foreign_json = v["rollup"].as_array().unwrap().iter().find(|r| r["product"] == "Foreign").unwrap().clone();
    assert_eq!(foreign_json["verify"], "unreadable");
    assert_eq!(foreign_json["by_id"], true);
}

#[test]
fn roles_and_verified_only_for_signatures_checked_against_a_signer_list() {
    let home = tempfile::tempdir().unwrap();
    let (file, key) = signed_file(home.path());
    let rel = file.file_name().unwrap().to_str().unwrap().to_string();
    let dir = home.path().join("d");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(&file, dir.join(&rel)).unwrap();
    let row = |args: &[&str]| -> serde_json::Value {
        let o = report(home.path(), args);
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", output(&o)));
        v["rollup"][0].clone()
    };
    // No signer list: a stranger's signature is not valid, and no role counts.
    let r = row(&["d", "--format", "json"]);
    assert_eq!((r["signoff"].clone(), r["verified"].clone()), ("unverified".into(), false.into()), "{r}");
    assert_eq!(r["roles"], serde_json::json!([]));
    assert_eq!(r["verify"], "findings");
    // Checked against a signer list: valid, verified, the role counts, verify passes.
    let allowed = home.path().join("allowed");
    allowed_signers(&allowed, &[(EMAIL, &key)]);
    let r = row(&["d", "--format", "json", "--allowed-signers", allowed.to_str().unwrap()]);
    assert_eq!((r["signoff"].clone(), r["verified"].clone()), ("valid".into(), true.into()), "{r}");
    assert_eq!(r["roles"], serde_json::json!(["reviewer"]));
    assert_eq!((r["verify"].clone(), r["findings"].clone()), ("ok".into(), 0.into()), "{r}");
    // The same from the repository's .privcheck.toml (which the roll-up skips as a file).
    trust(&dir, &[(EMAIL, &key)]);
    let o = report(home.path(), &["d"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert!(rows(&stdout(&o))[0].contains(" | ok | valid | reviewer | d/"), "{}", stdout(&o));
    // Someone else's list: the signer is not allowed, nothing is valid.
    let other = keygen(home.path(), "other");
    allowed_signers(&allowed, &[(EMAIL, &other)]);
    let r = row(&["d", "--format", "json", "--allowed-signers", allowed.to_str().unwrap()]);
    assert_eq!((r["signoff"].clone(), r["verified"].clone()), ("invalid".into(), false.into()), "{r}");
    assert_eq!(r["roles"], serde_json::json!([]));
}

#[test]
fn overdue_by_owner_and_failures_by_item_across_teams() {
    let home = tempfile::tempdir().unwrap();
    let files = teams(home.path());
    let o = report(home.path(), &["teams"]);
    let text = stdout(&o);
    let q4 = &files[3].1;
    let overdue = &q4.answers[first(q4, Status::Fail)];
    let rem = overdue.remediation.as_ref().unwrap();
    let days = PAST.parse::<jiff::civil::Date>().unwrap().until(today()).unwrap().get_days();
    assert!(text.contains("## Overdue remediations by owner (1)\n\n| owner | due | days overdue | product | period | item | ticket |\n"), "{text}");
    assert!(
        text.contains(&format!(
            "| {} | {PAST} | {days} | Checkout | 2026-Q4 | {} | {} |\n",
            escape_markdown(&rem.owner),
            escape_markdown(&overdue.item),
            escape_markdown(&rem.ticket)
        )),
        "{text}"
    );
    // Every team fails the same items (complete_results): 3 of 3 products.
    let failed = &q4.answers[first(q4, Status::Fail)].item;
    assert!(text.contains("## Failures by item\n"), "{text}");
    assert!(text.contains(&format!("- 3 of 3 products fail {} (", escape_markdown(failed))), "{text}");
    assert!(text.contains("): Accounts, Checkout, Search\n"), "{text}");
    let o = report(home.path(), &["teams", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["overdue"][0]["owner"], rem.owner.as_str());
    assert_eq!(v["overdue"][0]["due"], PAST);
    assert_eq!(v["overdue"][0]["days_overdue"], days);
    assert_eq!(v["overdue"][0]["ticket"], rem.ticket.as_str());
    assert_eq!(v["overdue"][0]["file"], "teams/zz-checkout/privcheck-2026-Q4.toml");
    assert_eq!(v["failures"][0]["failing"], 3);
    assert_eq!(v["failures"][0]["of"], 3);
}

#[test]
fn csv_is_rfc_4180_and_safe_in_a_spreadsheet() {
    let home = tempfile::tempdir().unwrap();
    teams(home.path());
    write(home.path(), "teams/evil/privcheck-2026-Q4.toml", &team("=cmd|' /C calc'!A0, \"x\"\n@SUM(1)", "2026-Q4"));
    let o = report(home.path(), &["teams", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let text = stdout(&o);
    assert!(text.starts_with("product,period,answered,total,percent,to_confirm,fail,overdue,verify,findings,signoff,verified,roles,by_id,file,error\r\n"), "{text}");
    assert!(text.ends_with("\r\n"));
    assert!(text.contains("\r\n\"'=cmd|' /C calc'!A0, \"\"x\"\"\n@SUM(1)\",2026-Q4,"), "{text}");
    let p = team("Accounts", "2026-Q4").progress();
    let accounts = format!("\r\nAccounts,2026-Q4,{0},{0},100,0,{1},0,findings,", p.total, p.fail);
    assert!(text.contains(&accounts), "{text}");
    // Every record has every column, read back as a spreadsheet would.
    let records: Vec<Vec<String>> = parse_csv(&text);
    assert_eq!(records.len(), 5, "a header and the latest period of 4 products: {text}");
    assert!(records.iter().all(|r| r.len() == 16), "{records:?}");
    for r in &records[1..] {
        for cell in r {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?} would run as a formula");
        }
    }
}

/// A small RFC 4180 reader, independent of the writer's crate.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut cell)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "a bare CR");
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            (false, '\n') => panic!("a bare LF outside quotes"),
            (false, c) => cell.push(c),
        }
    }
    records
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
    let o = report(home.path(), &["teams", "--format", "json", "--all-periods"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["privcheck_report"], 2);
    assert_eq!(v["periods"], "all");
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

    // In a directory: listed, and the rest reported.
    teams(home.path());
    std::fs::copy(&bad, home.path().join("teams/search/notes.toml")).unwrap();
    let o = report(home.path(), &["teams"]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains("teams/search/notes.toml:3:10: "), "{}", output(&o));
    assert_eq!(rows(&stdout(&o)).len(), 3, "{}", output(&o));

    let o = report(home.path(), &["missing.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.toml: cannot read results file"), "{}", output(&o));

    std::fs::create_dir(home.path().join("empty")).unwrap();
    let o = report(home.path(), &["empty"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no *.toml results files"), "{}", output(&o));
}

#[test]
fn deny_makes_the_rollups_verify_column_count_a_warning_as_verify_does() {
    let home = tempfile::tempdir().unwrap();
    teams(home.path());
    let file = "teams/zz-checkout/privcheck-2026-Q4.toml";
    for deny in [&[][..], &["--deny", "overdue"][..]] {
        let o = report(home.path(), &[&["teams", "--all-periods", "--format", "json"][..], deny].concat());
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", output(&o)));
        let row = v["rollup"].as_array().unwrap().iter().find(|r| r["file"] == file).unwrap().clone();
        // The report's own verify of the file says the overdue finding's level as --deny makes it.
        let part = v["files"].as_array().unwrap().iter().find(|f| f["file"] == file).unwrap();
        let in_report = part["verify"]["findings"].as_array().unwrap().iter().find(|x| x["code"] == "overdue").unwrap();
        assert_eq!(in_report["level"], if deny.is_empty() { "warning" } else { "error" }, "{deny:?}");
        let o = verify(home.path(), &[std::path::Path::new(file)], &[&["--format", "json"][..], deny].concat());
        let f: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let f = &f["files"][0];
        let errors = f["findings"].as_array().unwrap().iter().filter(|x| x["level"] == "error").count();
        let overdue = f["findings"].as_array().unwrap().iter().find(|x| x["code"] == "overdue").unwrap();
        assert_eq!(overdue["level"], if deny.is_empty() { "warning" } else { "error" }, "{deny:?}");
        assert_eq!(row["verify"], f["result"], "{deny:?}: {row}");
        assert_eq!(row["findings"], f["findings"].as_array().unwrap().len(), "{deny:?}: {row}");
        assert!(errors > 0 || deny.is_empty());
    }
}
