//! The Markdown report: for a pull request, a code host, or a privacy office's wiki.
//!
//! Every text that comes from a results file or a checklist goes through [`md`] (or
//! [`escape_markdown_block`] where it starts a line), so a note with `|`, backticks, HTML,
//! a newline or a terminal escape neither breaks a table nor injects markup, and an
//! `@name` or `#123` in it notifies and links nobody. Multi-line notes and reasons keep
//! their lines.

use super::rollup::{Rollup, RollupRow};
use super::{FileReport, ItemView, Report, VerifyResult, escape_markdown_block, md};
use std::fmt::Write;

/// The report: for one file (and `rollup` false) its details; otherwise the roll-up first,
/// then each file's details in the roll-up's order.
pub fn write(report: &Report, rollup: bool) -> String {
    let mut out = String::new();
    match report.files.as_slice() {
        [only] if !rollup => file(&mut out, only, &report.rollup.today, 1),
        files => {
            out.push_str(&rollup_head(&report.rollup));
            for f in files {
                out.push_str(&rollup_section(f, &report.rollup.today));
            }
        }
    }
    out
}

/// The start of a roll-up (`write` with `rollup`): its title, table, the overdue list, the
/// failures by item and the files not read. The report is this, then [`rollup_section`] of
/// each file in the roll-up's order.
pub fn rollup_head(r: &Rollup) -> String {
    let mut out = String::new();
    write_rollup(&mut out, r);
    out
}

/// The report of one file alone (`write` of one file, without `rollup`).
pub fn single(f: &FileReport, today: &str) -> String {
    let mut out = String::new();
    file(&mut out, f, today, 1);
    out
}

/// One file's part of a roll-up.
pub fn rollup_section(f: &FileReport, today: &str) -> String {
    let mut out = String::from("\n---\n\n");
    file(&mut out, f, today, 2);
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `text`'s lines, each escaped, joined for a table cell (`<br>` between lines).
fn cell_lines(text: &str) -> String {
    let lines: Vec<String> = text.trim().lines().map(|l| md(l.trim())).collect();
    lines.join("<br>")
}

/// `text`'s lines, each escaped as the start of a line, for the rest of a list item
/// (`- **Note:** ...`): a hard line break (`\`) between lines, a paragraph for a blank
/// line, each continued line indented into the item.
fn item_lines(text: &str) -> String {
    let mut paragraphs: Vec<Vec<String>> = vec![Vec::new()];
    for line in text.trim().lines() {
        let l = escape_markdown_block(line);
        if l.is_empty() {
            if paragraphs.last().is_some_and(|p| !p.is_empty()) {
                paragraphs.push(Vec::new());
            }
        } else {
            paragraphs.last_mut().expect("never empty").push(l);
        }
    }
    let paragraphs: Vec<String> = paragraphs.iter().filter(|p| !p.is_empty()).map(|p| p.join("\\\n  ")).collect();
    paragraphs.join("\n\n  ")
}

fn counted<T: Copy + Ord>(values: impl Iterator<Item = T>) -> Vec<(T, usize)> {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(s, _)| *s == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    counts.sort();
    counts
}

fn roles(roles: &[String]) -> String {
    if roles.is_empty() { "none".to_string() } else { roles.iter().map(|r| md(r)).collect::<Vec<_>>().join(", ") }
}

fn verify_cell(r: &RollupRow) -> String {
    match r.verify {
        VerifyResult::Findings => format!("findings ({})", r.findings),
        v => v.as_str().to_string(),
    }
}

fn write_rollup(out: &mut String, r: &Rollup) {
    let rollup = &r.rollup;
    let fails: usize = rollup.iter().map(|r| r.fail).sum();
    let overdue: usize = rollup.iter().map(|r| r.overdue).sum();
    let states: Vec<String> =
        counted(rollup.iter().map(|r| r.signoff)).iter().map(|(s, n)| format!("{n} {}", s.as_str())).collect();
    let verify: Vec<String> =
        counted(rollup.iter().map(|r| r.verify)).iter().map(|(s, n)| format!("{n} {}", s.as_str())).collect();
    let none = || "none".to_string();
    let _ = writeln!(out, "# Privacy reviews: roll-up\n");
    let which = match r.periods.as_str() {
        "latest" => "the latest period of each product".to_string(),
        "all" => "every period".to_string(),
        p => format!("period {p}"),
    };
    let hidden = match r.not_shown {
        0 => String::new(),
        n if r.periods == "latest" => {
            format!(" ({} not shown: `--all-periods` shows them)", plural(n, "older file", "older files"))
        }
        n => format!(" ({} of other periods not shown)", plural(n, "file", "files")),
    };
    let _ = writeln!(
        out,
        "{} as of {}, {which}{hidden}: {}, {}; sign-off: {}; verify: {}.\n",
        plural(rollup.len(), "results file", "results files"),
        r.today,
        plural(fails, "failed item", "failed items"),
        plural(overdue, "overdue remediation", "overdue remediations"),
        if states.is_empty() { none() } else { states.join(", ") },
        if verify.is_empty() { none() } else { verify.join(", ") },
    );
    if !r.unreadable.is_empty() {
        let _ = writeln!(
            out,
            "**{} could not be read** (listed below): the roll-up is of the rest.\n",
            plural(r.unreadable.len(), "file", "files")
        );
    }
    if !rollup.is_empty() {
        let _ = writeln!(
            out,
            "| product | period | completion | to confirm | fail | overdue | verify | sign-off | roles signed | file |"
        );
        let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---|---|---|---|");
        for row in rollup {
            let by_id = if row.by_id { " *(another checklist set)*" } else { "" };
            let _ = writeln!(
                out,
                "| {} | {} | {}/{} ({}%) | {} | {} | {} | {} | {} | {} | {}{by_id} |",
                md(&row.product),
                row.period,
                row.answered,
                row.total,
                row.percent,
                row.to_confirm,
                row.fail,
                row.overdue,
                verify_cell(row),
                row.signoff.as_str(),
                roles(&row.roles),
                md(&row.file)
            );
        }
        let _ = writeln!(
            out,
            "\nCompletion counts confirmed answers: a carried answer counts once confirmed. Roles signed: the roles with a valid sign-off, its signature checked against a signer list.\n"
        );
    }
    if !r.overdue.is_empty() {
        let _ = writeln!(out, "## Overdue remediations by owner ({})\n", r.overdue.len());
        let _ = writeln!(out, "| owner | due | days overdue | product | period | item | ticket |");
        let _ = writeln!(out, "|---|---|---:|---|---|---|---|");
        for o in &r.overdue {
            let or = |s: &str| if s.trim().is_empty() { "(none)".to_string() } else { md(s) };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                or(&o.owner),
                o.due,
                o.days_overdue,
                md(&o.product),
                o.period,
                md(&o.item),
                or(&o.ticket)
            );
        }
        out.push('\n');
    }
    if !r.failures.is_empty() {
        let _ = writeln!(out, "## Failures by item\n");
        for f in &r.failures {
            let question = if f.question.trim().is_empty() { String::new() } else { format!(" ({})", md(&f.question)) };
            let products: Vec<String> = f.products.iter().map(|p| md(p)).collect();
            let _ = writeln!(
                out,
                "- {} of {} fail {}{question}: {}",
                f.failing,
                plural(f.of, "product", "products"),
                md(&f.item),
                products.join(", ")
            );
        }
        out.push('\n');
    }
    if !r.unreadable.is_empty() {
        let _ = writeln!(out, "## Files that could not be read ({})\n", r.unreadable.len());
        for u in &r.unreadable {
            let _ = writeln!(out, "- {}", md(&u.describe()));
        }
        out.push('\n');
    }
    if !r.skipped.is_empty() {
        let _ = writeln!(out, "## Skipped: not results files ({})\n", r.skipped.len());
        for s in &r.skipped {
            let _ = writeln!(out, "- {}: {}", md(&s.file), md(&s.reason));
        }
        out.push('\n');
    }
}

fn file(out: &mut String, f: &FileReport, today: &str, level: usize) {
    let h = "#".repeat(level);
    let h2 = "#".repeat(level + 1);
    let h3 = "#".repeat(level + 2);
    let p = &f.progress;
    let _ = writeln!(out, "{h} Privacy review: {}, {}\n", md(&f.product), f.period);
    let _ = writeln!(out, "- **Product:** {}", md(&f.product));
    let _ = writeln!(out, "- **Period:** {} ({} to {})", f.period, f.start, f.end);
    let _ = writeln!(out, "- **File:** {}", md(&f.file));
    if f.by_id {
        let _ = writeln!(
            out,
            "- **Checklists:** answered against another checklist set than the one in force: its items are listed by id"
        );
    }
    let _ = writeln!(
        out,
        "- **Completion:** {}/{} items answered and confirmed ({}%): {} pass, {} fail, {} not applicable, {} unreviewed, {} carried over and not yet confirmed",
        p.answered(),
        p.total,
        p.percent(),
        p.pass,
        p.fail,
        p.not_applicable,
        p.unreviewed,
        p.to_confirm
    );
    let _ = writeln!(out, "- **Overdue remediations:** {} (as of {today})", f.overdue);
    match &f.policy {
        Some(p) => {
            let gaps = plural(f.policy_gaps.len(), "policy gap", "policy gaps");
            let _ = writeln!(out, "- **Policy version in force:** {} ({gaps})", md(p));
        }
        None => {
            let _ = writeln!(out, "- **Policy version in force:** not recorded (policy gaps not listed)");
        }
    }
    let _ = writeln!(out, "- **Sign-off:** {}", f.signoff.explain());
    let _ = writeln!(out, "- **Roles signed:** {} (valid sign-offs, checked against a signer list)", roles(&f.roles));
    match f.verify.result {
        VerifyResult::Ok => {
            let _ = writeln!(out, "- **Verify:** ok");
        }
        VerifyResult::NotChecked => {}
        VerifyResult::Unreadable => {
            let _ = writeln!(out, "- **Verify:** unreadable: {}", md(f.verify.error.as_deref().unwrap_or("")));
        }
        VerifyResult::Findings => {
            let _ = writeln!(out, "- **Verify:** {}:", plural(f.verify.findings.len(), "finding", "findings"));
            for x in &f.verify.findings {
                let _ = writeln!(out, "  - {} ({}): {}", md(&x.subject), x.code, md(&x.message));
            }
        }
    }
    out.push('\n');

    let _ = writeln!(out, "{h2} Sign-offs\n");
    if f.signoffs.is_empty() {
        let _ = writeln!(out, "Not signed off.\n");
    } else {
        let _ = writeln!(out, "| role | name | email | signed at | key | state |");
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for s in &f.signoffs {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                md(&s.role),
                md(&s.name),
                md(&s.email),
                s.at,
                s.key.as_deref().map_or_else(|| "(none)".to_string(), md),
                s.state.explain()
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "{h2} Progress by area\n");
    let _ = writeln!(out, "| area | answered | pass | fail | n/a |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for a in &f.areas {
        let c = &a.counts;
        let _ = writeln!(
            out,
            "| {} | {}/{} | {} | {} | {} |",
            md(&a.title),
            c.answered(),
            c.total,
            c.pass,
            c.fail,
            c.not_applicable
        );
    }
    let _ = writeln!(
        out,
        "| **Total** | {}/{} | {} | {} | {} |\n",
        p.answered(),
        p.total,
        p.pass,
        p.fail,
        p.not_applicable
    );

    if !f.failed.is_empty() {
        let _ = writeln!(out, "{h2} Failed items ({})\n", f.failed.len());
        for v in &f.failed {
            failed_item(out, v, &h3);
        }
    }

    if let (Some(p), false) = (&f.policy, f.policy_gaps.is_empty()) {
        let _ = writeln!(out, "{h2} Policy gaps ({})\n", f.policy_gaps.len());
        let _ = writeln!(
            out,
            "The version in force, {}, is silent on these points: each is tested against the legal duty, \
             and the gap in the policy is a finding.\n",
            md(p)
        );
        let _ = writeln!(out, "| item | area | status | question |");
        let _ = writeln!(out, "|---|---|---|---|");
        for v in &f.policy_gaps {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                md(&v.item),
                md(&v.area_title),
                v.status.label(),
                md(&v.question)
            );
        }
        out.push('\n');
    }

    if !f.not_applicable.is_empty() {
        let _ = writeln!(out, "{h2} Not applicable ({})\n", f.not_applicable.len());
        let _ = writeln!(out, "| item | area | reason |");
        let _ = writeln!(out, "|---|---|---|");
        for v in &f.not_applicable {
            let reason =
                if v.reason.trim().is_empty() { "*(no reason given)*".to_string() } else { cell_lines(&v.reason) };
            let auto = if v.automatic { " *(set by a scope answer)*" } else { "" };
            let _ = writeln!(out, "| {} | {} | {reason}{auto} |", md(&v.item), md(&v.area_title));
        }
        out.push('\n');
    }

    if !f.unreviewed.is_empty() {
        let _ = writeln!(out, "{h2} Unreviewed ({})\n", f.unreviewed.len());
        let _ = writeln!(out, "| item | area | question |");
        let _ = writeln!(out, "|---|---|---|");
        for v in &f.unreviewed {
            let changed = match &v.carried {
                Some(c) if c.changed => {
                    format!(" *(changed since {}, answered {} there: answer it again)*", c.from, c.status.label())
                }
                _ => String::new(),
            };
            let _ = writeln!(out, "| {} | {} | {}{changed} |", md(&v.item), md(&v.area_title), md(&v.question));
        }
        out.push('\n');
    }

    if !f.carried.is_empty() {
        let _ = writeln!(out, "{h2} Carried over, not yet confirmed ({})\n", f.carried.len());
        let _ = writeln!(out, "| item | area | status | carried from |");
        let _ = writeln!(out, "|---|---|---|---|");
        for v in &f.carried {
            let from = v.carried.as_ref().map_or(String::new(), |c| c.from.clone());
            let _ = writeln!(out, "| {} | {} | {} | {from} |", md(&v.item), md(&v.area_title), v.status.label());
        }
        out.push('\n');
    }

    if !f.clauses.is_empty() {
        let _ = writeln!(out, "{h2} Policy clauses behind the failures\n");
        for c in &f.clauses {
            let _ = writeln!(
                out,
                "{h3} {}, effective {}: {}\n",
                escape_markdown_block(&c.document),
                md(&c.effective),
                md(&c.section)
            );
            let items: Vec<String> = c.items.iter().map(|i| md(i)).collect();
            let _ = writeln!(out, "Cited by: {}\n", items.join(", "));
            let _ = writeln!(out, "> {}\n", escape_markdown_block(&c.quote));
        }
    }
}

fn failed_item(out: &mut String, v: &ItemView, h3: &str) {
    let _ = writeln!(out, "{h3} {}\n", escape_markdown_block(&v.item));
    if v.question.is_empty() {
        let _ = writeln!(out, "- **Question:** *(not in the checklists in force)*");
    } else {
        let _ = writeln!(out, "- **Question:** {}", md(&v.question));
    }
    let severity = v.severity.map_or_else(|| "unknown".to_string(), |s| s.to_string());
    let _ = writeln!(out, "- **Area:** {}; **severity:** {severity}", md(&v.area_title));
    match &v.remediation {
        None => {
            let _ = writeln!(out, "- **Remediation:** none recorded");
        }
        Some(r) => {
            let or = |s: &str, none: &str| if s.trim().is_empty() { none.to_string() } else { md(s) };
            let due = match &r.due {
                None => "no due date".to_string(),
                Some(d) if r.overdue => format!("due {d} (**OVERDUE**)"),
                Some(d) => format!("due {d}"),
            };
            let _ = writeln!(
                out,
                "- **Remediation:** owner {}, {due}, ticket {}",
                or(&r.owner, "(none)"),
                or(&r.ticket, "(none)")
            );
        }
    }
    if !v.note.trim().is_empty() {
        let _ = writeln!(out, "- **Note:** {}", item_lines(&v.note));
    }
    if !v.evidence.is_empty() {
        let evidence: Vec<String> = v.evidence.iter().map(|e| md(e)).collect();
        let _ = writeln!(out, "- **Evidence:** {}", evidence.join("; "));
    }
    if !v.by.is_empty() || v.at.is_some() {
        let when = v.at.as_deref().map(|t| format!(", {t}")).unwrap_or_default();
        let _ = writeln!(out, "- **Answered by:** {}{when}", md(&v.by));
    }
    if let Some(c) = v.carried.as_ref().filter(|c| !c.changed) {
        let _ = writeln!(out, "- **Carried from {}**, not yet confirmed", c.from);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::super::tests::{results, today};
    use super::super::{Report, build};
    use super::*;

    fn single() -> String {
        let (s, r) = results();
        write(&Report::new(vec![build("privcheck-2026-Q4.toml", &r, &s, &[], today())], today()), false)
    }

    #[test]
    fn single_file_report() {
        let expected = "\
# Privacy review: Checkout, 2026-Q4

- **Product:** Checkout
- **Period:** 2026-Q4 (2026-10-01 to 2026-12-31)
- **File:** privcheck-2026-Q4.toml
- **Completion:** 3/5 items answered and confirmed (60%): 1 pass, 2 fail, 1 not applicable, 1 unreviewed, 1 carried over and not yet confirmed
- **Overdue remediations:** 1 (as of 2026-11-25)
- **Policy version in force:** not recorded (policy gaps not listed)
- **Sign-off:** unsigned (no SSH signature)
- **Roles signed:** none (valid sign-offs, checked against a signer list)

## Sign-offs

| role | name | email | signed at | key | state |
|---|---|---|---|---|---|
| reviewer | Ann | ann&#64;example.com | 2026-09-21T14:15:00Z | (none) | unsigned (no SSH signature) |

## Progress by area

| area | answered | pass | fail | n/a |
|---|---:|---:|---:|---:|
| Minors | 3/3 | 0 | 2 | 1 |
| Security | 0/2 | 1 | 0 | 0 |
| **Total** | 3/5 | 1 | 2 | 1 |

## Failed items (2)

### minors.age-gate

- **Question:** Is age-gate done?
- **Area:** Minors; **severity:** high
- **Remediation:** owner Bob, due 2020-01-01 (**OVERDUE**), ticket PRIV-1
- **Note:** Fails on web.
- **Evidence:** https://tickets.example.com/PRIV-1
- **Answered by:** Ann, 2026-09-21T14:13:30Z

### minors.parental

- **Question:** Is parental done?
- **Area:** Minors; **severity:** high
- **Remediation:** owner Bob, due 2026-12-31, ticket (none)
- **Note:** Fails on web.
- **Evidence:** https://tickets.example.com/PRIV-1
- **Answered by:** Ann, 2026-09-21T14:13:40Z

## Not applicable (1)

| item | area | reason |
|---|---|---|
| minors.app | Minors | Out of scope: \"Apps?\" answered no. *(set by a scope answer)* |

## Unreviewed (1)

| item | area | question |
|---|---|---|
| security.access | Security | Is access done? |

## Carried over, not yet confirmed (1)

| item | area | status | carried from |
|---|---|---|---|
| security.encryption | Security | pass | 2026-Q3 |

## Policy clauses behind the failures

### policy-2020.txt, effective 2020-02-27: F. MINORS

Cited by: minors.age-gate, minors.parental

> not targeted to minors

";
        assert_eq!(single(), expected);
    }

    #[test]
    fn the_policy_gaps_of_the_version_in_force_are_listed() {
        let (mut s, mut r) = results();
        // security.access cites another version than the one in force: a gap; minors.app
        // is a gap too but out of scope, so not listed.
        s.checklists[1].items[1].cite[0].document = "policy-2019.txt".into();
        s.checklists[0].items[2].cite[0].document = "policy-2019.txt".into();
        s.checklists[0].items[2].scope = vec!["apps".into()];
        r.policy = Some("policy-2020.txt".into());
        r.scope.insert("apps".into(), false);
        let f = build("r.toml", &r, &s, &[], today());
        let gaps: Vec<&str> = f.policy_gaps.iter().map(|v| v.item.as_str()).collect();
        assert_eq!(gaps, ["security.access"]);
        let text = write(&Report::new(vec![f], today()), false);
        assert!(text.contains("- **Policy version in force:** policy-2020.txt (1 policy gap)\n"), "{text}");
        assert!(
            text.contains(
                "## Policy gaps (1)\n\nThe version in force, policy-2020.txt, is silent on these points: each is \
                 tested against the legal duty, and the gap in the policy is a finding.\n\n\
                 | item | area | status | question |\n|---|---|---|---|\n\
                 | security.access | Security | unreviewed | Is access done? |\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn rollup_comes_first_with_one_row_per_file() {
        let (s, r) = results();
        let mut other = r.clone();
        other.product = "Accounts | <b>".into();
        other.signoffs.clear();
        let report = Report::new(
            vec![build("x/c.toml", &r, &s, &[], today()), build("x/a.toml", &other, &s, &[], today())],
            today(),
        );
        let text = write(&report, true);
        let head: Vec<&str> = text.lines().take(7).collect();
        assert_eq!(
            head,
            [
                "# Privacy reviews: roll-up",
                "",
                "2 results files as of 2026-11-25, every period: 4 failed items, 2 overdue remediations; sign-off: 1 unsigned, 1 none; verify: 2 not checked.",
                "",
                "| product | period | completion | to confirm | fail | overdue | verify | sign-off | roles signed | file |",
                "|---|---|---:|---:|---:|---:|---|---|---|---|",
                "| Accounts \\| &lt;b&gt; | 2026-Q4 | 3/5 (60%) | 1 | 2 | 1 | not checked | none | none | x/a.toml |",
            ]
        );
        assert!(text.contains("\n---\n\n## Privacy review: Accounts \\| &lt;b&gt;, 2026-Q4\n"), "{text}");
        assert!(text.contains("\n### Failed items (2)\n\n#### minors.age-gate\n"), "{text}");
        let a = text.find("## Privacy review: Accounts").unwrap();
        let c = text.find("## Privacy review: Checkout").unwrap();
        assert!(a < c);
    }

    #[test]
    fn hostile_text_is_escaped_everywhere() {
        let (s, mut r) = results();
        let evil = "a|b `code` <script>alert(1)</script>\n# heading\x1b[31m *x* [l](http://e)";
        r.product = evil.into();
        r.answers[0].note = evil.into();
        r.answers[0].evidence = vec![evil.into()];
        r.answers[0].remediation.as_mut().unwrap().owner = evil.into();
        r.answers[2].reason = evil.into();
        r.signoffs[0].name = evil.into();
        let text = write(&Report::new(vec![build(evil, &r, &s, &[], today())], today()), true);
        assert!(!text.contains('\x1b') && !text.contains("<script>") && !text.contains("`code`"), "{text}");
        assert!(!text.contains("\n# heading"), "{text}");
        assert_tables_intact(&text);
    }

    #[test]
    fn multi_line_notes_keep_their_lines() {
        let (s, mut r) = results();
        r.answers[0].note = "First line.\n# not a heading\n\n- not a list\n    not code".into();
        r.answers[2].reason = "One.\nTwo | three".into();
        let text = write(&Report::new(vec![build("r.toml", &r, &s, &[], today())], today()), false);
        assert!(
            text.contains("- **Note:** First line.\\\n  \\# not a heading\n\n  \\- not a list\\\n  not code\n"),
            "{text}"
        );
        assert!(text.contains("| One.<br>Two \\| three *(set by a scope answer)* |"), "{text}");
        assert_tables_intact(&text);
    }

    #[test]
    fn mentions_and_references_notify_nobody() {
        let (s, mut r) = results();
        r.product = "Team @alice #12 org/repo#34 GH-56 !78".into();
        r.answers[0].note = "ask @bob about #9\n@carol".into();
        r.answers[0].remediation.as_mut().unwrap().owner = "@dave".into();
        r.answers[0].remediation.as_mut().unwrap().ticket = "#1234".into();
        r.answers[2].reason = "see !5".into();
        let report = Report::new(vec![build("r.toml", &r, &s, &[], today())], today());
        for text in [write(&report, false), write(&report, true)] {
            assert!(!text.contains('@'), "{text}");
            // (The entities themselves are `&#` and digits: look at the text without them.)
            let plain = ["&#64;", "&#35;", "&#33;", "&#45;"].iter().fold(text.clone(), |t, e| t.replace(e, " "));
            let digit_after =
                |c: char| plain.match_indices(c).any(|(i, _)| plain[i + 1..].starts_with(|d: char| d.is_ascii_digit()));
            assert!(!digit_after('#') && !digit_after('!'), "{text}");
            assert!(!text.contains("GH-5"), "{text}");
            assert!(text.contains("Team &#64;alice &#35;12 org/repo&#35;34 GH&#45;56 &#33;78"), "{text}");
            assert!(text.contains("ask &#64;bob about &#35;9\\\n  &#64;carol"), "{text}");
            assert!(text.contains("owner &#64;dave"), "{text}");
            assert_tables_intact(&text);
        }
    }

    /// Every row of every table has as many unescaped `|` as the table's header.
    pub(crate) fn assert_tables_intact(text: &str) {
        let mut header: Option<usize> = None;
        let mut tables = 0;
        for line in text.lines() {
            if !line.starts_with('|') {
                header = None;
                continue;
            }
            let n = unescaped_pipes(line);
            match header {
                None => {
                    header = Some(n);
                    tables += 1;
                }
                Some(h) => assert_eq!(n, h, "a table row has {n} cell separators, its header {h}: {line}"),
            }
        }
        assert!(tables > 0, "no table in:\n{text}");
    }

    /// The `|` not escaped by a backslash.
    pub(crate) fn unescaped_pipes(line: &str) -> usize {
        let mut n = 0;
        let mut backslashes = 0;
        for c in line.chars() {
            if c == '|' && backslashes % 2 == 0 {
                n += 1;
            }
            backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        }
        n
    }
}
