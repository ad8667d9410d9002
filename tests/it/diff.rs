//! `privcheck diff OLD NEW`: two results files compared item by item, run as a user runs it.

use crate::support::*;
use privcheck::model::checklist::ChecklistSet;
use privcheck::model::results::{Carried, Remediation, Results, SignOff, Status};
use std::path::{Path, PathBuf};
use std::process::Output;

/// A note that tries to break a Markdown table row and inject HTML.
const NASTY_NOTE: &str = "Fails | on `web` <script>alert(1)</script>\nsecond line **bold**";
const UNKNOWN_REMOVED: &str = "legacy.cookie-banner";
const UNKNOWN_ADDED: &str = "zz.future-item";

/// The items of the fixture pair, by what happens to them.
struct Ids {
    /// pass -> FAIL, remediation opened, note replaced by [`NASTY_NOTE`].
    opened: String,
    /// Carried from 2026-Q2 in the old file, confirmed in the new.
    confirmed: String,
    /// FAIL -> pass: remediation closed.
    closed: String,
    /// Evidence: one removed, one added.
    evidence: String,
    /// Not applicable in both, with another reason.
    reason: String,
    /// Newly carried (from 2026-Q3) in the new file.
    carried: String,
    /// Not answered in the old file at all: added.
    added: String,
    /// Answered against other item content in the new file.
    digest: String,
    /// FAIL in both, remediation owner, due date and ticket changed.
    changed: String,
}

impl Ids {
    /// The changed items in the order diff shows them: the set's order, then unknown by id.
    fn in_order(&self) -> Vec<String> {
        let mut v = vec![
            self.opened.clone(),
            self.confirmed.clone(),
            self.closed.clone(),
            self.evidence.clone(),
            self.reason.clone(),
            self.carried.clone(),
            self.added.clone(),
            self.digest.clone(),
            self.changed.clone(),
        ];
        let set = set();
        let rank = |id: &String| set.items().position(|i| &i.id == id).unwrap();
        v.sort_by_key(rank);
        v.push(UNKNOWN_REMOVED.to_string());
        v.push(UNKNOWN_ADDED.to_string());
        v
    }
}

fn signoff(r: &Results, name: &str, role: &str, signed: bool, at: i64) -> SignOff {
    SignOff {
        name: name.to_string(),
        email: format!("{}@example.com", name.split(' ').next().unwrap().to_lowercase()),
        role: role.to_string(),
        at: time(at),
        digest: r.content_digest(),
        key: signed.then(|| "SHA256:fakefingerprint".to_string()),
        signature: signed.then(|| "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n".to_string()),
    }
}

/// Last quarter's and this quarter's results, with every kind of change between them.
fn pair(set: &ChecklistSet) -> (Results, Results, Ids) {
    let mut old = complete_results(set);
    old.period = "2026-Q3".parse().unwrap();
    // The n-th answer a reviewer gave (not a scope answer): n % 6 == 2 fails, 4 is n/a.
    let reviewer: Vec<usize> = old.answers.iter().enumerate().filter(|(_, a)| !a.auto).map(|(i, _)| i).collect();
    let id = |n: usize| old.answers[reviewer[n]].item.clone();
    let ids = Ids {
        opened: id(0),
        confirmed: id(1),
        closed: id(2),
        evidence: id(3),
        reason: id(4),
        carried: id(5),
        added: id(6),
        digest: id(7),
        changed: id(8),
    };
    let q2: privcheck::model::period::Period = "2026-Q2".parse().unwrap();
    let idx = |r: &Results, id: &str| r.answers.iter().position(|a| a.item == id).unwrap();
    {
        let i = idx(&old, &ids.confirmed);
        old.answers[i].carried = Some(Carried { from: q2, status: Status::Pass, changed: false });
    }
    let mut new = old.clone();
    new.product = "Checkout Web".to_string();
    new.period = "2026-Q4".parse().unwrap();
    new.checklists[0].version += 1;
    new.scope.insert("eea".to_string(), false);
    new.scope.remove("translations");
    new.scope.insert("kiosk".to_string(), true);

    let a = idx(&new, &ids.opened);
    new.answers[a].status = Status::Fail;
    new.answers[a].note = NASTY_NOTE.to_string();
    new.answers[a].remediation = Some(Remediation {
        owner: "Dana Dev".into(),
        due: Some(jiff::civil::date(2027, 3, 31)),
        ticket: "PRIV-7".into(),
    });
    let a = idx(&new, &ids.confirmed);
    new.answers[a].carried = None;
    let a = idx(&new, &ids.closed);
    new.answers[a].status = Status::Pass;
    new.answers[a].remediation = None;
    let a = idx(&new, &ids.evidence);
    new.answers[a].evidence = vec!["https://tickets.example.com/PRIV-NEW".to_string()];
    let a = idx(&new, &ids.reason);
    new.answers[a].reason = "The app was retired in 2026-Q3.".to_string();
    let a = idx(&new, &ids.carried);
    new.answers[a].carried = Some(Carried { from: old.period, status: Status::Pass, changed: false });
    let a = idx(&new, &ids.digest);
    new.answers[a].digest = "sha256:0000000000000000".to_string();
    let a = idx(&new, &ids.changed);
    new.answers[a].remediation = Some(Remediation {
        owner: "Carol Owner".into(),
        due: Some(jiff::civil::date(2027, 1, 31)),
        ticket: "PRIV-999".into(),
    });
    new.answers.push(privcheck::model::results::Answer {
        item: UNKNOWN_ADDED.to_string(),
        digest: "sha256:1111111111111111".to_string(),
        status: Status::Pass,
        note: String::new(),
        evidence: vec![],
        remediation: None,
        reason: String::new(),
        by: NAME.to_string(),
        at: Some(time(9000)),
        auto: false,
        carried: None,
    });
    // In the old file: an answer to an item the set no longer has, none to `added`.
    let mut gone = old.answers[idx(&old, &ids.evidence)].clone();
    gone.item = UNKNOWN_REMOVED.to_string();
    old.answers.push(gone);
    let i = idx(&old, &ids.added);
    old.answers.remove(i);

    // Sign-offs: the old file signed by Ann and Cy (unverified: a diff does not check who signed); the new file keeps Ann's (now
    // void), drops Cy's and adds Bob's, unsigned.
    old.signoffs =
        vec![signoff(&old, NAME, "reviewer", true, 100), signoff(&old, "Cy Approver", "approver", true, 200)];
    new.signoffs = vec![old.signoffs[0].clone(), signoff(&new, "Bob Builder", "approver", false, 300)];
    (old, new, ids)
}

/// The pair saved in `home`: (old, new).
fn save_pair(home: &Path) -> (PathBuf, PathBuf, Ids) {
    let (old, new, ids) = pair(&set());
    let (o, n) = (home.join("privcheck-2026-Q3.toml"), home.join("privcheck-2026-Q4.toml"));
    save(&o, &old);
    save(&n, &new);
    (o, n, ids)
}

fn diff(home: &Path, old: &Path, new: &Path, args: &[&str]) -> Output {
    privcheck(home).arg("diff").arg(old).arg(new).args(args).output().unwrap()
}

fn question(id: &str) -> String {
    set().item(id).unwrap().question.clone()
}

#[test]
fn human_output_shows_every_kind_of_change() {
    let home = tempfile::tempdir().unwrap();
    let (old, new, ids) = save_pair(home.path());
    let o = diff(home.path(), &old, &new, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let out = stdout(&o);
    assert!(!out.contains('\x1b'), "colour on a pipe:\n{out}");
    assert!(stderr(&o).is_empty(), "{}", output(&o));

    let has = |s: &str| assert!(out.contains(s), "missing {s:?} in:\n{out}");
    has(&format!("old: {} (Checkout, 2026-Q3), sign-off unverified\n", old.display()));
    has(&format!("new: {} (Checkout Web, 2026-Q4), sign-off void\n", new.display()));
    has("product: \"Checkout\" -> \"Checkout Web\"\n");
    has("period: 2026-Q3 -> 2026-Q4\n");
    let c = &set().checklists[0];
    has(&format!("checklist {}: v{} -> v{}\n", c.id, c.version, c.version + 1));
    has("  eea (");
    has("): yes -> no\n");
    has("  kiosk: added, yes\n");
    has("): removed (was no)\n"); // translations
    // Statuses, each item's question (truncated) under its id.
    has(&format!("{}: pass -> FAIL\n", ids.opened));
    let q = question(&ids.opened);
    let shown = if q.chars().count() > 72 { q.chars().take(30).collect::<String>() } else { q.clone() };
    has(&format!("{}: pass -> FAIL\n  {shown}", ids.opened));
    has("  note:\n");
    has(&format!("    - {NOTE}\n"));
    has("    + Fails | on `web` <script>alert(1)</script>\n    + second line **bold**\n");
    has("  remediation opened: owner Dana Dev, due 2027-03-31, ticket PRIV-7\n");
    has(&format!("{}: FAIL -> pass\n", ids.closed));
    has(&format!("  remediation closed: was owner {OWNER}, due {DUE}, ticket {TICKET}\n"));
    has(&format!("{}: FAIL (status unchanged)\n", ids.changed));
    has(&format!(
        "  remediation changed: owner {OWNER} -> Carol Owner, due {DUE} -> 2027-01-31, ticket PRIV-108 -> PRIV-999\n"
    ));
    has("  evidence added: https://tickets.example.com/PRIV-NEW\n");
    has("  evidence removed: https://tickets.example.com/PRIV-3\n");
    has(&format!("  reason: \"{REASON}\" -> \"The app was retired in 2026-Q3.\"\n"));
    has(&format!("{}: pass (status unchanged)\n", ids.confirmed));
    has("  confirmed, was carried from 2026-Q2 (pass)\n");
    has("  carried from 2026-Q3 (pass), to be confirmed\n");
    has(&format!("{}: added (pass)\n", ids.added));
    has(&format!("{UNKNOWN_REMOVED}: removed (was pass)\n  (not in the active checklists)\n"));
    has(&format!("{UNKNOWN_ADDED}: added (pass)\n"));
    has("  answered against other item content: sha256:");
    // Sign-offs.
    has("sign-offs:\n");
    has(&format!("  {NAME} <ann@example.com> (reviewer, 2026-09-21T14:15:00Z): unverified -> void\n"));
    has("  removed: Cy Approver <cy@example.com> (approver, 2026-09-21T14:16:40Z), was unverified\n");
    has("  added: Bob Builder <bob@example.com> (approver, 2026-09-21T14:18:20Z), unsigned\n");
    has("\n20 differences: items: 8 changed, 2 added, 1 removed; status changes: 2;");

    // One block per item, in the set's order, then unknown items by id.
    let positions: Vec<usize> = ids
        .in_order()
        .iter()
        .map(|id| out.find(&format!("\n{id}: ")).unwrap_or_else(|| panic!("no block for {id}:\n{out}")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "items out of order:\n{out}");
    // Items that did not change are not shown.
    let quiet = load_unchecked(&new).answers.iter().filter(|a| a.auto).map(|a| a.item.clone()).next().unwrap();
    assert!(!out.contains(&format!("\n{quiet}: ")), "{out}");
}

/// A results file read without the checklist set (the diff's own way).
fn load_unchecked(path: &Path) -> Results {
    privcheck::store::results_file::from_toml(&read(path), "f").unwrap()
}

#[test]
fn markdown_output_is_a_safe_pull_request_comment() {
    let home = tempfile::tempdir().unwrap();
    let (old, new, ids) = save_pair(home.path());
    let o = diff(home.path(), &old, &new, &["--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let out = stdout(&o);
    assert!(out.starts_with("## privcheck diff\n"), "{out}");
    assert!(out.contains("\n**20 differences: items: 8 changed, 2 added, 1 removed;"), "{out}");
    // Nothing the files say becomes HTML.
    assert!(!out.contains("<script"), "{out}");
    assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{out}");
    assert!(!out.contains("<ann@"), "{out}");

    // The table: one row per changed item, four cell borders each, in order.
    let lines: Vec<&str> = out.lines().collect();
    let head = lines.iter().position(|l| *l == "| Item | Status | Changes |").expect("table header");
    assert_eq!(lines[head + 1], "|---|---|---|");
    let rows: Vec<&str> = lines[head + 2..].iter().take_while(|l| l.starts_with('|')).copied().collect();
    assert_eq!(rows.len(), ids.in_order().len(), "{out}");
    assert_eq!(lines[head + 2 + rows.len()], "", "the table does not end cleanly:\n{out}");
    for (row, id) in rows.iter().zip(ids.in_order()) {
        let borders = row.char_indices().filter(|(i, c)| *c == '|' && (*i == 0 || &row[i - 1..*i] != "\\")).count();
        assert_eq!(borders, 4, "a cell broke out of its row: {row}");
        assert!(row.starts_with(&format!("| **{}**", id.replace('_', "\\_"))), "{row} is not {id}");
    }
    let opened = rows.iter().find(|r| r.contains(&format!("**{}**", ids.opened))).unwrap();
    assert!(opened.contains("| pass → FAIL |"), "{opened}");
    assert!(
        opened.contains(
            "note: Fails \\| on \\`web\\` &lt;script&gt;alert(1)&lt;/script&gt; second line \\*\\*bold\\*\\*"
        ),
        "{opened}"
    );
    assert!(opened.contains("remediation opened"), "{opened}");
    let closed = rows.iter().find(|r| r.contains(&format!("**{}**", ids.closed))).unwrap();
    assert!(closed.contains("| FAIL → pass |") && closed.contains("remediation closed"), "{closed}");

    // The sections.
    for h in [
        "### Changed items",
        "### Notes",
        "### Evidence",
        "### Remediations",
        "### Not-applicable reasons",
        "### Carried answers",
        "### Other item changes",
        "### Scope",
        "### Product, period and checklists",
        "### Sign-offs",
    ] {
        assert!(out.lines().any(|l| l == h), "no {h}:\n{out}");
    }
    assert!(out.contains("  - \\+ Fails \\| on \\`web\\` &lt;script&gt;alert(1)&lt;/script&gt;\n"), "{out}");
    assert!(out.contains("  - \\+ second line \\*\\*bold\\*\\*\n"), "{out}");
    assert!(out.contains("- Product: Checkout → Checkout Web\n"), "{out}");
    assert!(out.contains("- Period: 2026-Q3 → 2026-Q4\n"), "{out}");
    assert!(out.contains(": yes → no\n"), "{out}");
    assert!(out.contains("- **kiosk**: added, yes\n"), "{out}");
    assert!(out.contains("- **eea** ("), "{out}");
    assert!(
        out.contains(
            "- Now void: Ann Example &lt;ann@example.com&gt; (reviewer, 2026-09-21T14:15:00Z), was unverified\n"
        ),
        "{out}"
    );
    assert!(out.contains("- Removed: Cy Approver &lt;cy@example.com&gt;"), "{out}");
    assert!(
        out.contains("- Added: Bob Builder &lt;bob@example.com&gt; (approver, 2026-09-21T14:18:20Z), unsigned\n"),
        "{out}"
    );
    assert!(out.contains("- Old: Ann Example"), "{out}");
}

#[test]
fn json_output_is_one_document_with_stable_fields() {
    let home = tempfile::tempdir().unwrap();
    let (old, new, ids) = save_pair(home.path());
    let o = diff(home.path(), &old, &new, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON document");
    assert_eq!(v["privcheck_diff"], 1, "the JSON carries its format version");
    assert_eq!(v["old_file"], old.display().to_string());
    assert_eq!(v["new_file"], new.display().to_string());
    assert_eq!(v["old"]["signoff"], "unverified");
    assert_eq!(v["new"]["signoff"], "void");
    assert_eq!(v["new"]["signoffs"][1]["state"], "unsigned");
    assert_eq!(v["product"]["old"], "Checkout");
    assert_eq!(v["product"]["new"], "Checkout Web");
    assert_eq!(v["period"]["old"], "2026-Q3");
    assert_eq!(v["period"]["new"], "2026-Q4");
    assert_eq!(v["same_content"], false);
    assert_eq!(v["checklists"][0]["change"], "changed");
    assert_eq!(v["checklists"][0]["new_version"], set().checklists[0].version + 1);

    let scope: Vec<(String, String)> = v["scope"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["scope"].as_str().unwrap().to_string(), s["change"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        scope,
        [("eea".into(), "changed".into()), ("kiosk".into(), "added".into()), ("translations".into(), "removed".into())]
    );
    assert!(v["scope"][0]["question"].is_string());
    assert!(v["scope"][1]["question"].is_null());

    let items = v["items"].as_array().unwrap();
    let order: Vec<&str> = items.iter().map(|i| i["item"].as_str().unwrap()).collect();
    assert_eq!(order, ids.in_order());
    let item = |id: &str| items.iter().find(|i| i["item"] == id).unwrap();
    let a = item(&ids.opened);
    assert_eq!(a["change"], "changed");
    assert_eq!((a["old_status"].as_str(), a["new_status"].as_str()), (Some("pass"), Some("fail")));
    assert_eq!(a["status_changed"], true);
    assert_eq!(a["question"], question(&ids.opened));
    assert_eq!(a["note"]["new"], NASTY_NOTE);
    assert_eq!(a["note"]["lines"][0]["op"], "removed");
    assert_eq!(a["remediation"]["change"], "opened");
    assert_eq!(a["remediation"]["new"]["owner"], "Dana Dev");
    assert_eq!(a["remediation"]["new"]["due"], "2027-03-31");
    assert_eq!(item(&ids.closed)["remediation"]["change"], "closed");
    let c = item(&ids.changed);
    assert_eq!(c["remediation"]["change"], "changed");
    assert_eq!(c["remediation"]["fields"], serde_json::json!(["owner", "due", "ticket"]));
    assert_eq!(c["status_changed"], false);
    assert_eq!(item(&ids.evidence)["evidence"]["added"], serde_json::json!(["https://tickets.example.com/PRIV-NEW"]));
    assert_eq!(item(&ids.evidence)["evidence"]["removed"], serde_json::json!(["https://tickets.example.com/PRIV-3"]));
    assert_eq!(item(&ids.reason)["reason"]["new"], "The app was retired in 2026-Q3.");
    assert_eq!(item(&ids.confirmed)["carried"]["change"], "confirmed");
    assert_eq!(item(&ids.confirmed)["carried"]["old"]["from"], "2026-Q2");
    assert_eq!(item(&ids.carried)["carried"]["change"], "carried");
    assert_eq!(item(&ids.digest)["digest"]["new"], "sha256:0000000000000000");
    let added = item(&ids.added);
    assert_eq!((added["change"].as_str(), added["old_status"].is_null()), (Some("added"), true));
    let removed = item(UNKNOWN_REMOVED);
    assert_eq!((removed["change"].as_str(), removed["new_status"].is_null()), (Some("removed"), true));
    assert!(removed["question"].is_null());
    assert_eq!(item(UNKNOWN_ADDED)["change"], "added");

    let signoffs: Vec<(&str, &str)> = v["signoffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["change"].as_str().unwrap()))
        .collect();
    assert_eq!(signoffs, [(NAME, "changed"), ("Cy Approver", "removed"), ("Bob Builder", "added")]);
    assert!(v["signoffs"][0].get("signature").is_none(), "signatures are not copied out");

    let s = &v["summary"];
    assert_eq!(s["differences"], 20);
    assert_eq!(
        (s["items_changed"].as_u64(), s["items_added"].as_u64(), s["items_removed"].as_u64()),
        (Some(8), Some(2), Some(1))
    );
    assert_eq!(s["status_changes"], 2);
    assert_eq!(
        (s["remediations_opened"].as_u64(), s["remediations_closed"].as_u64(), s["remediations_changed"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(s["scope_changes"], 3);
}

#[test]
fn identical_files_have_no_differences() {
    let home = tempfile::tempdir().unwrap();
    let (old, _, _) = save_pair(home.path());
    let copy = home.path().join("copy.toml");
    std::fs::copy(&old, &copy).unwrap();
    let o = diff(home.path(), &old, &copy, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert!(stdout(&o).ends_with("\nno differences\n"), "{}", stdout(&o));
    assert!(stdout(&o).contains("sign-off unverified"), "{}", stdout(&o));
    let o = diff(home.path(), &old, &copy, &["--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).ends_with("\nNo differences.\n"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("| Item |"));
    let o = diff(home.path(), &old, &copy, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["summary"]["differences"], 0);
    assert_eq!(v["same_content"], true);
    assert_eq!(v["items"], serde_json::json!([]));
}

#[test]
fn a_re_recorded_answer_is_no_difference_but_says_the_files_differ() {
    let home = tempfile::tempdir().unwrap();
    let (old, _, _) = save_pair(home.path());
    let mut r = load_unchecked(&old);
    r.signoffs.clear();
    save(&old, &r);
    r.answers[0].at = Some(time(99_999));
    let later = home.path().join("later.toml");
    save(&later, &r);
    let o = diff(home.path(), &old, &later, &[]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("no differences (the files differ only in who answered, when"), "{}", stdout(&o));
}

/// Every `YYYY-MM-DD` in `text` (the date of a timestamp too).
fn dates(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let shape =
        |w: &[u8]| w.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    (0..b.len().saturating_sub(9)).filter(|&i| shape(&b[i..i + 10])).map(|i| &text[i..i + 10]).collect()
}

/// The same files give the same bytes, whatever the clock, the time zone and the locale of
/// the run. Two runs a day apart in local time (UTC+14 and UTC-12: their local dates always
/// differ) print the same bytes, and every date printed is one the files hold, so nothing
/// printed comes from the clock. Two processes also differ in everything random (hash
/// seeds), without waiting for the clock to change.
#[test]
fn output_is_deterministic() {
    let home = tempfile::tempdir().unwrap();
    let (old, new, _) = save_pair(home.path());
    let inputs = format!("{}{}", read(&old), read(&new));
    let today = jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()).date().to_string();
    assert!(!inputs.contains(&today), "the fixture pair holds today's date: the check below proves nothing");
    for format in ["human", "markdown", "json"] {
        let run = |tz: &str, lang: &str| {
            let o = privcheck(home.path())
                .env("TZ", tz)
                .env("LANG", lang)
                .arg("diff")
                .arg(&old)
                .arg(&new)
                .args(["--format", format])
                .output()
                .unwrap();
            assert_eq!(o.status.code(), Some(0), "{format} TZ={tz}: {}", output(&o));
            stdout(&o)
        };
        let (east, west) = (run("Etc/GMT-14", "C.UTF-8"), run("Etc/GMT+12", "C"));
        assert_eq!(east, west, "{format} output differs between runs in UTC+14 and UTC-12");
        let printed = dates(&east);
        assert!(!printed.is_empty(), "{format}: no dates printed, the check below proves nothing");
        for d in printed {
            assert!(inputs.contains(d), "{format} prints {d}, a date the files do not hold:\n{east}");
        }
    }
}

#[test]
fn a_malformed_file_is_located_and_exits_2() {
    let home = tempfile::tempdir().unwrap();
    let (old, _, _) = save_pair(home.path());
    let bad = fixture("diff/malformed.toml");
    let o = diff(home.path(), &old, &bad, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stdout(&o).is_empty(), "{}", output(&o));
    let err = stderr(&o);
    assert!(err.contains(&format!("{}:16:10: unknown variant `passed`", bad.display())), "{err}");

    // Damaged in place: the line and column of the damage.
    let text = read(&old).replacen("period = \"2026-Q3\"", "period = \"2026-Q7\"", 1);
    let broken = home.path().join("broken.toml");
    std::fs::write(&broken, &text).unwrap();
    let line = text.lines().position(|l| l.starts_with("period =")).unwrap() + 1;
    let o = diff(home.path(), &broken, &old, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains(&format!("{}:{line}:10: ", broken.display())), "{}", output(&o));
    assert!(stdout(&o).is_empty());
}

#[test]
fn an_unreadable_file_exits_2_naming_it() {
    let home = tempfile::tempdir().unwrap();
    let (old, _, _) = save_pair(home.path());
    let missing = home.path().join("nope.toml");
    let o = diff(home.path(), &old, &missing, &["--format", "markdown"]);
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains(&format!("{}: cannot read results file", missing.display())), "{}", output(&o));
}

#[test]
fn files_answered_against_another_checklist_set_still_compare() {
    // Answered against a team's own checklists: the built-in set knows none of the items.
    let home = tempfile::tempdir().unwrap();
    let team = privcheck::store::checklist_file::load(
        &privcheck::store::checklist_file::read_sources(&[fixture("checklists-good")]).unwrap(),
    )
    .unwrap();
    let mut old = Results::new("Shop", "2026-Q3".parse().unwrap(), &team);
    old.answers[0].status = Status::Pass;
    let mut new = old.clone();
    new.answers[0].status = Status::NotApplicable;
    new.answers[0].reason = "No such promise.".into();
    let (o, n) = (home.path().join("a.toml"), home.path().join("b.toml"));
    save(&o, &old);
    save(&n, &new);
    let out = diff(home.path(), &o, &n, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", output(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("{}: pass -> n/a\n  (not in the active checklists)\n", old.answers[0].item)),
        "{text}"
    );
    // With the team's set active, the question is shown.
    let out = privcheck(home.path())
        .arg("--checklists")
        .arg(fixture("checklists-good"))
        .arg("diff")
        .arg(&o)
        .arg(&n)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", output(&out));
    let q = &team.item(&old.answers[0].item).unwrap().question;
    assert!(
        stdout(&out).contains(&format!("{}: pass -> n/a\n  {}", old.answers[0].item, &q[..q.len().min(40)])),
        "{}",
        stdout(&out)
    );
}

#[test]
fn colour_on_a_terminal_unless_no_color() {
    let home = tempfile::tempdir().unwrap();
    let (old, new, ids) = save_pair(home.path());
    let (old, new) = (old.display().to_string(), new.display().to_string());
    let args = ["diff", old.as_str(), new.as_str()];
    let mut t = pty::Term::start(home.path(), home.path(), &args, &[], 200, 200);
    t.wait_for("differences");
    assert!(t.wait_exit().success());
    let bytes = String::from_utf8_lossy(&t.bytes.lock().unwrap()).into_owned();
    assert!(bytes.contains("\x1b[1m\x1b[31mFAIL\x1b[0m"), "no colour on a terminal: {bytes:?}");
    assert!(t.screen().contains(&format!("{}: pass -> FAIL", ids.opened)), "{}", t.screen());

    let mut t = pty::Term::start(home.path(), home.path(), &args, &[("NO_COLOR", "1")], 200, 200);
    t.wait_for("differences");
    assert!(t.wait_exit().success());
    let bytes = String::from_utf8_lossy(&t.bytes.lock().unwrap()).into_owned();
    assert!(!bytes.contains("\x1b["), "colour despite NO_COLOR: {bytes:?}");
    assert!(bytes.contains("pass -> FAIL"), "{bytes:?}");
}

#[test]
fn color_flag_overrides_the_terminal_and_no_color() {
    let home = tempfile::tempdir().unwrap();
    let (old, new, ids) = save_pair(home.path());
    // Not a terminal: plain by default, coloured with --color always.
    let plain = diff(home.path(), &old, &new, &[]);
    assert!(!stdout(&plain).contains('\x1b'), "{}", stdout(&plain));
    let always = diff(home.path(), &old, &new, &["--color", "always"]);
    assert!(stdout(&always).contains("\x1b[1m\x1b[31mFAIL\x1b[0m"), "{:?}", stdout(&always));
    // The words are the same either way.
    assert_eq!(anstream::adapter::strip_str(&stdout(&always)).to_string(), stdout(&plain));
    // On a terminal, --color never wins.
    let (old, new) = (old.display().to_string(), new.display().to_string());
    let args = ["diff", "--color", "never", old.as_str(), new.as_str()];
    let mut t = pty::Term::start(home.path(), home.path(), &args, &[], 200, 200);
    t.wait_for("differences");
    assert!(t.wait_exit().success());
    let bytes = String::from_utf8_lossy(&t.bytes.lock().unwrap()).into_owned();
    assert!(!bytes.contains("\x1b["), "colour despite --color never: {bytes:?}");
    assert!(bytes.contains(&format!("{}: pass -> FAIL", ids.opened)), "{bytes:?}");
    // A bad value is a usage error.
    let bad = diff(home.path(), Path::new(&old), Path::new(&new), &["--color", "sometimes"]);
    assert_eq!(bad.status.code(), Some(2));
}
