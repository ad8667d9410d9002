//! The forms of `privcheck diff`: human (for a terminal or a log, coloured only when asked),
//! Markdown (for a pull-request comment) and JSON. Every piece of text from a file is
//! escaped for where it goes.

use crate::model::diff::{
    CarriedChange, CarriedKind, ChecklistChange, Diff, ItemDiff, LineOp, NoteChange, NoteLine, Presence,
    RemediationChange, RemediationKind, ScopeChange, Side, SignOffInfo, Summary,
};
use crate::model::results::Remediation;
use crate::render::color::Paint;
use crate::render::text::{escape_controls, escape_markdown};
use serde::Serialize;

/// The version of the JSON structure (`privcheck_diff` in the output).
pub const JSON_VERSION: u32 = 1;

/// How many characters of a question are shown.
const QUESTION_WIDTH: usize = 72;
/// How many characters of a note are shown in the Markdown table.
const NOTE_WIDTH: usize = 80;

/// The two files' names as given.
pub struct Files {
    pub old: String,
    pub new: String,
}

// ---------------------------------------------------------------------------------------
// Shared wording.
// ---------------------------------------------------------------------------------------

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// At most `max` characters of `s`, whitespace runs (line breaks too) made single spaces.
fn truncate(s: &str, max: usize, ellipsis: &str) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let keep = max.saturating_sub(ellipsis.chars().count());
    let mut t: String = flat.chars().take(keep).collect();
    t.truncate(t.trim_end().len());
    t.push_str(ellipsis);
    t
}

fn remediation_text(r: &Remediation) -> String {
    let mut parts = vec![format!("owner {}", if r.owner.is_empty() { "(none)" } else { &r.owner })];
    parts.push(match r.due {
        Some(d) => format!("due {d}"),
        None => "no due date".to_string(),
    });
    if !r.ticket.is_empty() {
        parts.push(format!("ticket {}", r.ticket));
    }
    parts.join(", ")
}

/// "owner ann -> bob, due 2026-12-31 -> 2027-01-31" (raw text: escape it).
fn remediation_fields(c: &RemediationChange, arrow: &str) -> String {
    let (Some(o), Some(n)) = (&c.old, &c.new) else { return String::new() };
    let show = |s: &str| if s.is_empty() { "(none)".to_string() } else { s.to_string() };
    let due = |d: Option<jiff::civil::Date>| d.map_or("(none)".to_string(), |d| d.to_string());
    c.fields
        .iter()
        .map(|f| match *f {
            "owner" => format!("owner {} {arrow} {}", show(&o.owner), show(&n.owner)),
            "due" => format!("due {} {arrow} {}", due(o.due), due(n.due)),
            _ => format!("ticket {} {arrow} {}", show(&o.ticket), show(&n.ticket)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What happened to the remediation, in words (raw text: escape it).
fn remediation_line(c: &RemediationChange, arrow: &str) -> String {
    let kind = c.change.as_str();
    match c.change {
        RemediationKind::Opened => format!("{kind}: {}", c.new.as_ref().map(remediation_text).unwrap_or_default()),
        RemediationKind::Closed | RemediationKind::Dropped => {
            format!("{kind}: was {}", c.old.as_ref().map(remediation_text).unwrap_or_default())
        }
        RemediationKind::Changed => format!("{kind}: {}", remediation_fields(c, arrow)),
    }
}

/// What happened to the carried mark, in words (raw text: escape it).
fn carried_line(c: &CarriedChange, arrow: &str) -> String {
    let from = |c: &crate::model::results::Carried| {
        let changed = if c.changed { ", item changed since" } else { "" };
        format!("from {} ({}{changed})", c.from, c.status.as_str())
    };
    match (c.change, &c.old, &c.new) {
        (CarriedKind::Carried, _, Some(n)) => format!("carried {}, to be confirmed", from(n)),
        (CarriedKind::Confirmed, Some(o), _) => format!("confirmed, was carried {}", from(o)),
        (CarriedKind::AnsweredAgain, Some(o), _) => format!("answered again, was carried {}", from(o)),
        (_, Some(o), Some(n)) => format!("carried {} {arrow} {}", from(o), from(n)),
        _ => c.change.as_str().to_string(),
    }
}

fn auto_line(a: bool) -> &'static str {
    if a { "now set by the scope answers" } else { "now a reviewer's answer (was set by the scope answers)" }
}

fn signoff_who(s: &SignOffInfo) -> String {
    format!("{} <{}> ({}, {})", s.name, s.email, s.role, s.at)
}

/// Non-zero counts, as "items: 3 changed, 1 added; status changes: 2; ...".
fn summary_text(s: &Summary) -> String {
    let mut groups: Vec<String> = Vec::new();
    let mut group = |name: &str, parts: &[(usize, &str)]| {
        let p: Vec<String> = parts.iter().filter(|(n, _)| *n > 0).map(|(n, w)| format!("{n}{w}")).collect();
        if !p.is_empty() {
            groups.push(format!("{name}: {}", p.join(", ")));
        }
    };
    group("items", &[(s.items_changed, " changed"), (s.items_added, " added"), (s.items_removed, " removed")]);
    group("status changes", &[(s.status_changes, "")]);
    group("notes", &[(s.notes_changed, " changed")]);
    group("evidence", &[(s.evidence_added, " added"), (s.evidence_removed, " removed")]);
    group(
        "remediations",
        &[
            (s.remediations_opened, " opened"),
            (s.remediations_closed, " closed"),
            (s.remediations_changed, " changed"),
            (s.remediations_dropped, " dropped"),
        ],
    );
    group("reasons", &[(s.reasons_changed, " changed")]);
    group("carried marks", &[(s.carried_changes, " changed")]);
    group("scope answers", &[(s.scope_changes, " changed")]);
    group("checklists", &[(s.checklist_changes, " changed")]);
    group(
        "sign-offs",
        &[(s.signoffs_added, " added"), (s.signoffs_removed, " removed"), (s.signoffs_changed, " changed")],
    );
    let n = s.differences;
    let head = format!("{n} difference{}", if n == 1 { "" } else { "s" });
    if groups.is_empty() { head } else { format!("{head}: {}", groups.join("; ")) }
}

/// The lines of a note diff worth showing: every change with one unchanged line around it;
/// `None` stands for unchanged lines left out.
fn compact(lines: &[NoteLine]) -> Vec<Option<&NoteLine>> {
    let changed = |i: usize| lines.get(i).is_some_and(|l| l.op != LineOp::Same);
    let mut out = Vec::new();
    let mut skipping = false;
    for (i, l) in lines.iter().enumerate() {
        let keep = l.op != LineOp::Same || changed(i + 1) || (i > 0 && changed(i - 1));
        if keep {
            out.push(Some(l));
            skipping = false;
        } else if !skipping {
            out.push(None);
            skipping = true;
        }
    }
    out
}

fn is_one_line(s: &str) -> bool {
    !s.contains('\n')
}

// ---------------------------------------------------------------------------------------
// Human: for a terminal or a log.
// ---------------------------------------------------------------------------------------

/// The human form: a header, then one block per item, then a summary.
pub fn human(d: &Diff, files: &Files, color: bool) -> String {
    let p = Paint { on: color };
    let e = escape_controls;
    let mut o = String::new();
    let side = |name: &str, file: &str, s: &Side| {
        format!("{name}: {} ({}, {}), sign-off {}\n", e(file), e(&s.product), s.period, p.signoff(s.signoff))
    };
    o += &side("old", &files.old, &d.old);
    o += &side("new", &files.new, &d.new);
    if d.is_empty() {
        o += "\nno differences";
        if !d.same_content {
            o += " (the files differ only in who answered, when, or the order of answers)";
        }
        o += "\n";
        return o;
    }

    let mut top = String::new();
    if let Some(c) = &d.product {
        top += &format!("product: \"{}\" -> \"{}\"\n", e(&c.old), e(&c.new));
    }
    if let Some(c) = &d.period {
        top += &format!("period: {} -> {}\n", c.old, c.new);
    }
    for c in &d.checklists {
        top += &format!("checklist {}: {}\n", e(&c.checklist), checklist_change(c, "->"));
    }
    if !d.scope.is_empty() {
        top += "scope:\n";
        for s in &d.scope {
            top += &format!("  {}: {}\n", scope_subject(s), scope_change(s, "->"));
        }
    }
    if !top.is_empty() {
        o += "\n";
        o += &top;
    }

    for i in &d.items {
        o += "\n";
        o += &human_item(i, p);
    }

    if !d.signoffs.is_empty() {
        o += "\nsign-offs:\n";
        for c in &d.signoffs {
            let who = e(&signoff_who(&c.signoff));
            o += &match (c.change, c.old_state, c.new_state) {
                (Presence::Added, _, Some(n)) => format!("  added: {who}, {}\n", p.signoff(n)),
                (Presence::Removed, Some(s), _) => format!("  removed: {who}, was {}\n", p.signoff(s)),
                (_, Some(s), Some(n)) => format!("  {who}: {} -> {}\n", p.signoff(s), p.signoff(n)),
                _ => format!("  {who}\n"),
            };
        }
    }
    o += &format!("\n{}\n", summary_text(&d.summary));
    o
}

fn checklist_change(c: &ChecklistChange, arrow: &str) -> String {
    let v = |n: Option<u32>| n.map_or(String::new(), |n| format!("v{n}"));
    match c.change {
        Presence::Added => format!("added ({})", v(c.new_version)),
        Presence::Removed => format!("removed (was {})", v(c.old_version)),
        Presence::Changed => format!("{} {arrow} {}", v(c.old_version), v(c.new_version)),
    }
}

/// "eea (Does the product serve...)", escaped for a terminal.
fn scope_subject(s: &ScopeChange) -> String {
    match &s.question {
        Some(q) => format!("{} ({})", escape_controls(&s.scope), escape_controls(&truncate(q, QUESTION_WIDTH, "..."))),
        None => escape_controls(&s.scope),
    }
}

fn scope_change(s: &ScopeChange, arrow: &str) -> String {
    match (s.old, s.new) {
        (None, Some(n)) => format!("added, {}", yes_no(n)),
        (Some(o), None) => format!("removed (was {})", yes_no(o)),
        (Some(o), Some(n)) => format!("{} {arrow} {}", yes_no(o), yes_no(n)),
        (None, None) => String::new(),
    }
}

/// The item's status, or its change, with colour when `p` is on.
fn status_part(i: &ItemDiff, p: Paint, arrow: &str) -> String {
    match (i.change, i.old_status, i.new_status) {
        (Presence::Added, _, Some(n)) => format!("added ({})", p.status(n)),
        (Presence::Removed, Some(o), _) => format!("removed (was {})", p.status(o)),
        (_, Some(o), Some(n)) if o != n => format!("{} {arrow} {}", p.status(o), p.status(n)),
        (_, _, Some(n)) => format!("{} (status unchanged)", p.status(n)),
        _ => String::new(),
    }
}

fn human_item(i: &ItemDiff, p: Paint) -> String {
    let e = escape_controls;
    let mut o = format!("{}: {}\n", p.bold(&e(&i.item)), status_part(i, p, "->"));
    match &i.question {
        Some(q) => o += &format!("  {}\n", p.dim(&e(&truncate(q, QUESTION_WIDTH, "...")))),
        None => o += &format!("  {}\n", p.dim("(not in the active checklists)")),
    }
    if let Some(n) = &i.note {
        o += &human_note(n, p);
    }
    for x in &i.evidence.added {
        o += &format!("  evidence added: {}\n", e(x));
    }
    for x in &i.evidence.removed {
        o += &format!("  evidence removed: {}\n", e(x));
    }
    if let Some(r) = &i.remediation {
        o += &format!("  remediation {}\n", e(&remediation_line(r, "->")));
    }
    if let Some(r) = &i.reason {
        o += &text_change("reason", &r.old, &r.new);
    }
    if let Some(c) = &i.carried {
        o += &format!("  {}\n", carried_line(c, "->"));
    }
    if let Some(a) = &i.auto {
        o += &format!("  {}\n", auto_line(a.new));
    }
    if let Some(dg) = &i.digest {
        o += &format!("  answered against other item content: {} -> {}\n", e(&dg.old), e(&dg.new));
    }
    o
}

/// `  LABEL: "old" -> "new"`, or added / removed when one side is empty.
fn text_change(label: &str, old: &str, new: &str) -> String {
    let e = escape_controls;
    match (old.is_empty(), new.is_empty()) {
        (true, _) => format!("  {label} added: \"{}\"\n", e(new)),
        (_, true) => format!("  {label} removed: \"{}\"\n", e(old)),
        _ => format!("  {label}: \"{}\" -> \"{}\"\n", e(old), e(new)),
    }
}

fn human_note(n: &NoteChange, p: Paint) -> String {
    if is_one_line(&n.old) && is_one_line(&n.new) {
        return text_change("note", &n.old, &n.new);
    }
    let mut o = String::from("  note:\n");
    for l in compact(&n.lines) {
        o += &match l {
            None => format!("    {}\n", p.dim("...")),
            Some(l) => {
                let t = escape_controls(&l.text);
                match l.op {
                    LineOp::Same => format!("      {t}\n"),
                    LineOp::Removed => format!("    {}\n", p.red(&format!("- {t}"))),
                    LineOp::Added => format!("    {}\n", p.green(&format!("+ {t}"))),
                }
            }
        };
    }
    o
}

// ---------------------------------------------------------------------------------------
// Markdown: for a pull-request comment. Every piece of text from a file goes through
// `escape_markdown`, always after a prefix, so it cannot start block markup.
// ---------------------------------------------------------------------------------------

pub fn markdown(d: &Diff, files: &Files) -> String {
    let m = escape_markdown;
    let mut o = String::from("## privcheck diff\n\n");
    let side = |name: &str, file: &str, s: &Side| {
        format!("- {name}: {} ({}, {}), sign-off: {}\n", m(file), m(&s.product), s.period, s.signoff.as_str())
    };
    o += &side("Old", &files.old, &d.old);
    o += &side("New", &files.new, &d.new);
    o += "\n";
    if d.is_empty() {
        o += "No differences";
        if !d.same_content {
            o += " (the files differ only in who answered, when, or the order of answers)";
        }
        o += ".\n";
        return o;
    }
    o += &format!("**{}**\n", m(&summary_text(&d.summary)));

    if !d.items.is_empty() {
        o += "\n### Changed items\n\n| Item | Status | Changes |\n|---|---|---|\n";
        for i in &d.items {
            o += &format!(
                "| {} | {} | {} |\n",
                item_cell(i),
                m(&status_part(i, Paint::PLAIN, "→")),
                m(&change_summary(i))
            );
        }
    }

    let section = |o: &mut String, title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            *o += &format!("\n### {title}\n\n");
            for l in lines {
                *o += &l;
            }
        }
    };
    let subject = |i: &ItemDiff| format!("**{}**", m(&i.item));

    section(
        &mut o,
        "Notes",
        d.items
            .iter()
            .filter_map(|i| {
                let n = i.note.as_ref()?;
                let mut s = format!("- {}\n", subject(i));
                for l in compact(&n.lines) {
                    s += &match l {
                        None => "  - …\n".to_string(),
                        Some(l) => match l.op {
                            LineOp::Same => format!("  - · {}\n", m(&l.text)),
                            LineOp::Removed => format!("  - \\- {}\n", m(&l.text)),
                            LineOp::Added => format!("  - \\+ {}\n", m(&l.text)),
                        },
                    };
                }
                Some(s)
            })
            .collect(),
    );
    section(
        &mut o,
        "Evidence",
        d.items
            .iter()
            .filter(|i| !i.evidence.is_empty())
            .map(|i| {
                let mut s = format!("- {}\n", subject(i));
                for x in &i.evidence.added {
                    s += &format!("  - added: {}\n", m(x));
                }
                for x in &i.evidence.removed {
                    s += &format!("  - removed: {}\n", m(x));
                }
                s
            })
            .collect(),
    );
    section(
        &mut o,
        "Remediations",
        d.items
            .iter()
            .filter_map(|i| {
                let r = i.remediation.as_ref()?;
                Some(format!("- {}: {}\n", subject(i), m(&remediation_line(r, "→"))))
            })
            .collect(),
    );
    section(
        &mut o,
        "Not-applicable reasons",
        d.items
            .iter()
            .filter_map(|i| {
                let r = i.reason.as_ref()?;
                let show = |s: &str| if s.is_empty() { "(none)".to_string() } else { format!("“{}”", m(s)) };
                Some(format!("- {}: {} → {}\n", subject(i), show(&r.old), show(&r.new)))
            })
            .collect(),
    );
    section(
        &mut o,
        "Carried answers",
        d.items
            .iter()
            .filter_map(|i| Some(format!("- {}: {}\n", subject(i), m(&carried_line(i.carried.as_ref()?, "→")))))
            .collect(),
    );
    section(
        &mut o,
        "Other item changes",
        d.items
            .iter()
            .flat_map(|i| {
                let mut v = Vec::new();
                if let Some(a) = &i.auto {
                    v.push(format!("- {}: {}\n", subject(i), m(auto_line(a.new))));
                }
                if let Some(dg) = &i.digest {
                    v.push(format!(
                        "- {}: answered against other item content: {} → {}\n",
                        subject(i),
                        m(&dg.old),
                        m(&dg.new)
                    ));
                }
                v
            })
            .collect(),
    );
    section(
        &mut o,
        "Scope",
        d.scope
            .iter()
            .map(|s| {
                let question = s
                    .question
                    .as_ref()
                    .map(|q| format!(" ({})", m(&truncate(q, QUESTION_WIDTH, "…"))))
                    .unwrap_or_default();
                format!("- **{}**{question}: {}\n", m(&s.scope), scope_change(s, "→"))
            })
            .collect(),
    );
    let mut general = Vec::new();
    if let Some(c) = &d.product {
        general.push(format!("- Product: {} → {}\n", m(&c.old), m(&c.new)));
    }
    if let Some(c) = &d.period {
        general.push(format!("- Period: {} → {}\n", c.old, c.new));
    }
    for c in &d.checklists {
        general.push(format!("- Checklist {}: {}\n", m(&c.checklist), checklist_change(c, "→")));
    }
    section(&mut o, "Product, period and checklists", general);
    section(&mut o, "Sign-offs", markdown_signoffs(d));
    o
}

fn item_cell(i: &ItemDiff) -> String {
    let id = format!("**{}**", escape_markdown(&i.item));
    match &i.question {
        Some(q) => format!("{id} — {}", escape_markdown(&truncate(q, QUESTION_WIDTH, "…"))),
        None => id,
    }
}

/// A short account of an item's changes, for its table row (raw text: escape it).
fn change_summary(i: &ItemDiff) -> String {
    let mut parts = Vec::new();
    if let Some(n) = &i.note {
        parts.push(if n.new.is_empty() {
            "note removed".to_string()
        } else {
            format!("note: {}", truncate(&n.new, NOTE_WIDTH, "…"))
        });
    }
    let (added, removed) = (i.evidence.added.len(), i.evidence.removed.len());
    match (added, removed) {
        (0, 0) => {}
        (a, 0) => parts.push(format!("evidence: {a} added")),
        (0, r) => parts.push(format!("evidence: {r} removed")),
        (a, r) => parts.push(format!("evidence: {a} added, {r} removed")),
    }
    if let Some(r) = &i.remediation {
        parts.push(format!("remediation {}", r.change.as_str()));
    }
    if i.reason.is_some() {
        parts.push("reason changed".to_string());
    }
    if let Some(c) = &i.carried {
        parts.push(
            match c.change {
                CarriedKind::Carried => "carried, to be confirmed",
                CarriedKind::Confirmed => "carried answer confirmed",
                CarriedKind::AnsweredAgain => "carried answer replaced",
                CarriedKind::Changed => "carried mark changed",
            }
            .to_string(),
        );
    }
    if i.auto.is_some() {
        parts.push("set by scope changed".to_string());
    }
    if i.digest.is_some() {
        parts.push("item content changed".to_string());
    }
    if parts.is_empty() {
        return "—".to_string();
    }
    parts.join("; ")
}

fn markdown_signoffs(d: &Diff) -> Vec<String> {
    let m = escape_markdown;
    let mut v = Vec::new();
    for (name, s) in [("Old", &d.old), ("New", &d.new)] {
        if s.signoffs.is_empty() {
            v.push(format!("- {name}: none\n"));
        }
        for e in &s.signoffs {
            v.push(format!("- {name}: {}, {}\n", m(&signoff_who(&e.signoff)), e.state.as_str()));
        }
    }
    for c in &d.signoffs {
        v.push(match (c.change, c.old_state, c.new_state) {
            (Presence::Added, _, Some(n)) => format!("- Added: {}, {}\n", m(&signoff_who(&c.signoff)), n.as_str()),
            (Presence::Removed, Some(s), _) => {
                format!("- Removed: {}, was {}\n", m(&signoff_who(&c.signoff)), s.as_str())
            }
            (_, Some(s), Some(n)) => {
                format!("- Now {}: {}, was {}\n", n.as_str(), m(&signoff_who(&c.signoff)), s.as_str())
            }
            _ => format!("- {}\n", m(&signoff_who(&c.signoff))),
        });
    }
    v
}

// ---------------------------------------------------------------------------------------
// JSON: the diff as it is, with the file names.
// ---------------------------------------------------------------------------------------

pub fn json(d: &Diff, files: &Files) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        /// The version of this structure.
        privcheck_diff: u32,
        old_file: &'a str,
        new_file: &'a str,
        #[serde(flatten)]
        diff: &'a Diff,
    }
    let doc = Doc { privcheck_diff: JSON_VERSION, old_file: &files.old, new_file: &files.new, diff: d };
    let mut s = serde_json::to_string_pretty(&doc).expect("a diff always serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diff::diff;
    use crate::model::results::{Answer, ChecklistRef, Results, Status};

    fn results(note: &str, status: Status) -> Results {
        Results {
            schema: crate::model::results::SCHEMA,
            policy: None,
            product: "Shop".into(),
            period: "2026-Q3".parse().unwrap(),
            checklists: vec![ChecklistRef { id: "a".into(), version: 1 }],
            scope: Default::default(),
            answers: vec![Answer { digest: "sha256:01".into(), status, note: note.into(), ..Answer::blank("a.one") }],
            signoffs: vec![],
        }
    }

    fn files() -> Files {
        Files { old: "old.toml".into(), new: "new.toml".into() }
    }

    #[test]
    fn colour_only_when_asked_and_status_always_in_words() {
        let d = diff(&results("", Status::Pass), &results("", Status::Fail));
        let plain = human(&d, &files(), false);
        assert!(!plain.contains('\x1b'), "{plain}");
        assert!(plain.contains("a.one: pass -> FAIL"), "{plain}");
        let coloured = human(&d, &files(), true);
        assert!(coloured.contains("\x1b[1m\x1b[31mFAIL\x1b[0m"), "{coloured:?}");
        assert!(coloured.contains("pass"));
    }

    #[test]
    fn terminal_escapes_in_notes_are_neutralised() {
        let d = diff(&results("a", Status::Pass), &results("\x1b[2Jgone\u{202e}x", Status::Pass));
        let out = human(&d, &files(), false);
        assert!(!out.contains('\x1b') && !out.contains('\u{202e}'), "{out:?}");
        assert!(out.contains("note: \"a\" -> \"\\u{1b}[2Jgone\\u{202e}x\""), "{out}");
    }

    #[test]
    fn multi_line_notes_show_a_compact_line_diff() {
        let old = "l1\nl2\nl3\nl4\nl5\nl6";
        let new = "l1\nl2\nl3\nl4\nl5\nL6\nl7";
        let out = human(&diff(&results(old, Status::Pass), &results(new, Status::Pass)), &files(), false);
        assert!(out.contains("  note:\n    ...\n      l5\n    - l6\n    + L6\n    + l7\n"), "{out}");
    }

    #[test]
    fn truncation_flattens_and_marks_the_cut() {
        assert_eq!(truncate("short", 10, "..."), "short");
        assert_eq!(truncate("a  b\nc", 10, "..."), "a b c");
        assert_eq!(truncate("abcdefghijkl", 8, "..."), "abcde...");
        assert_eq!(truncate("abcd efghijkl", 8, "…"), "abcd ef…");
    }

    #[test]
    fn summary_lists_only_what_happened() {
        let s =
            Summary { differences: 3, items_changed: 2, status_changes: 1, signoffs_added: 1, ..Summary::default() };
        assert_eq!(summary_text(&s), "3 differences: items: 2 changed; status changes: 1; sign-offs: 1 added");
        assert_eq!(summary_text(&Summary::default()), "0 differences");
    }
}
