//! The results file: the TOML form of [`Results`], with a schema version.
//!
//! Written deterministically (same answers, same bytes): fields in a fixed order, answers in
//! checklist order, multi-line notes as TOML multi-line strings, optional fields left out
//! when empty, no field that changes on every save. Read strictly: unknown fields, a newer
//! schema, an unknown item id, a bad date or period are errors with line and column.

use crate::diag::{Diagnostic, line_col};
use crate::model::checklist::ChecklistSet;
use crate::model::period::Period;
use crate::model::results::{Answer, Carried, ChecklistRef, Remediation, Results, SignOff, Status, format_timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

/// The schema this privcheck writes and the newest it reads. Schema 1 files (privcheck 0.1)
/// are read and written back as schema 1 until an answer changes (see `Results::upgrade`).
pub const SCHEMA: u32 = crate::model::results::SCHEMA;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileResults {
    schema: Spanned<u32>,
    product: String,
    period: Spanned<String>,
    /// Schema 2: the policy version the product publishes (a document's file name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    policy: Option<Spanned<String>>,
    #[serde(default)]
    scope: BTreeMap<Spanned<String>, bool>,
    #[serde(default)]
    checklists: Vec<FileChecklist>,
    #[serde(default)]
    answers: Vec<FileAnswer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    signoffs: Vec<FileSignOff>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileChecklist {
    id: String,
    version: u32,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAnswer {
    item: Spanned<String>,
    digest: String,
    status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "is_false")]
    auto: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    remediation: Option<FileRemediation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    carried: Option<FileCarried>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRemediation {
    #[serde(default)]
    owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    due: Option<Spanned<String>>,
    #[serde(default)]
    ticket: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCarried {
    from: Spanned<String>,
    status: Status,
    #[serde(default, skip_serializing_if = "is_false")]
    changed: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSignOff {
    role: String,
    name: String,
    email: String,
    at: Spanned<String>,
    digest: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signature: Option<String>,
}

#[derive(Deserialize)]
struct SchemaOnly {
    schema: Option<Spanned<i64>>,
}

fn spanned(s: String) -> Spanned<String> {
    Spanned::new(0..0, s)
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Writes `results` as the text of a results file.
pub fn to_toml(results: &Results) -> String {
    let file = FileResults {
        schema: Spanned::new(0..0, results.schema),
        product: results.product.clone(),
        period: spanned(results.period.to_string()),
        policy: results.policy.clone().map(spanned),
        scope: results.scope.iter().map(|(k, v)| (spanned(k.clone()), *v)).collect(),
        checklists: results.checklists.iter().map(|c| FileChecklist { id: c.id.clone(), version: c.version }).collect(),
        answers: results
            .answers
            .iter()
            .map(|a| FileAnswer {
                item: spanned(a.item.clone()),
                digest: a.digest.clone(),
                status: a.status,
                by: opt(&a.by),
                at: a.at.map(|t| spanned(format_timestamp(t))),
                auto: a.auto,
                reason: opt(&a.reason),
                note: opt(&a.note),
                evidence: a.evidence.clone(),
                remediation: a.remediation.as_ref().map(|r| FileRemediation {
                    owner: r.owner.clone(),
                    due: r.due.map(|d| spanned(d.to_string())),
                    ticket: r.ticket.clone(),
                }),
                carried: a.carried.as_ref().map(|c| FileCarried {
                    from: spanned(c.from.to_string()),
                    status: c.status,
                    changed: c.changed,
                }),
            })
            .collect(),
        signoffs: results
            .signoffs
            .iter()
            .map(|s| FileSignOff {
                role: s.role.clone(),
                name: s.name.clone(),
                email: s.email.clone(),
                at: spanned(format_timestamp(s.at)),
                digest: s.digest.clone(),
                key: s.key.clone(),
                signature: s.signature.clone(),
            })
            .collect(),
    };
    let body = toml::to_string_pretty(&file).expect("results always serialise to TOML");
    format!("# privcheck results: answers to the privacy-policy checklists. Edit with `privcheck review`.\n{body}")
}

/// Reads the text of a results file (`name` is used in messages). Answers are returned as
/// written; see [`from_toml_for_set`] to also check them against a checklist set.
pub fn from_toml(text: &str, name: &str) -> Result<Results, Diagnostic> {
    parse(text, name).map(|(r, _)| r)
}

/// Byte offsets of the ids in a results file, to point at an unknown one.
struct Offsets {
    items: BTreeMap<String, usize>,
    scope: BTreeMap<String, usize>,
    policy: usize,
}

/// Parses a results file; also returns where each item and scope id is.
fn parse(text: &str, name: &str) -> Result<(Results, Offsets), Diagnostic> {
    let at = |offset: usize, message: String| {
        let (line, column) = line_col(text, offset);
        Diagnostic { file: name.to_string(), line, column, message }
    };
    let strict = toml::from_str::<FileResults>(text);
    // A file git left conflicted is not a syntax error: say what it is. (Looked for only when
    // the file does not parse: markers inside a note are text.)
    if strict.is_err()
        && let Some(conflict) = merge_conflict(text)
    {
        return Err(Diagnostic { file: name.to_string(), line: 0, column: 0, message: conflict });
    }
    // The schema first, leniently, so a newer file says so rather than "unknown field".
    // (Only when the strict parse failed or found a schema this privcheck does not read:
    // a second parse of the whole file, for nothing, took half the time of a read.)
    let schema_ok = matches!(&strict, Ok(file) if (1..=SCHEMA).contains(file.schema.get_ref()));
    let schema = if schema_ok { None } else { toml::from_str::<SchemaOnly>(text).ok().and_then(|s| s.schema) };
    match schema {
        Some(s) if *s.get_ref() > i64::from(SCHEMA) => {
            return Err(at(
                s.span().start,
                format!(
                    "written by a newer privcheck (schema {}; this privcheck reads schema {SCHEMA} and older): upgrade privcheck to read it",
                    s.get_ref()
                ),
            ));
        }
        Some(s) if *s.get_ref() < 1 => {
            return Err(at(s.span().start, format!("schema {} is not a privcheck schema", s.get_ref())));
        }
        _ => {}
    }
    let file: FileResults = strict.map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        at(offset, e.message().trim().to_string())
    })?;
    let period: Period = file.period.get_ref().parse().map_err(|e| at(file.period.span().start, e))?;
    let date = |s: &Spanned<String>| -> Result<jiff::civil::Date, Diagnostic> {
        s.get_ref().parse().map_err(|_| at(s.span().start, format!("{:?} is not a date like 2026-12-31", s.get_ref())))
    };
    let time = |s: &Spanned<String>| -> Result<jiff::Timestamp, Diagnostic> {
        s.get_ref()
            .parse()
            .map_err(|_| at(s.span().start, format!("{:?} is not a time like 2026-11-25T17:03:00Z", s.get_ref())))
    };
    let mut answers = Vec::with_capacity(file.answers.len());
    let mut seen = BTreeMap::new();
    for a in file.answers {
        if let Some(_first) = seen.insert(a.item.get_ref().clone(), ()) {
            return Err(at(a.item.span().start, format!("item {:?} is answered twice", a.item.get_ref())));
        }
        let remediation = match a.remediation {
            None => None,
            Some(r) => {
                Some(Remediation { owner: r.owner, due: r.due.as_ref().map(date).transpose()?, ticket: r.ticket })
            }
        };
        let carried = match a.carried {
            None => None,
            Some(c) => Some(Carried {
                from: c.from.get_ref().parse().map_err(|e| at(c.from.span().start, e))?,
                status: c.status,
                changed: c.changed,
            }),
        };
        answers.push((
            a.item.span().start,
            Answer {
                item: a.item.into_inner(),
                digest: a.digest,
                status: a.status,
                note: a.note.unwrap_or_default(),
                evidence: a.evidence,
                remediation,
                reason: a.reason.unwrap_or_default(),
                by: a.by.unwrap_or_default(),
                at: a.at.as_ref().map(time).transpose()?,
                auto: a.auto,
                carried,
            },
        ));
    }
    let mut signoffs = Vec::new();
    for s in file.signoffs {
        signoffs.push(SignOff {
            name: s.name,
            email: s.email,
            role: s.role,
            at: time(&s.at)?,
            digest: s.digest,
            key: s.key,
            signature: s.signature,
        });
    }
    if let Some(p) = &file.policy
        && *file.schema.get_ref() < 2
    {
        return Err(at(p.span().start, "`policy` needs schema 2 (this file says schema 1)".to_string()));
    }
    let policy_at = file.policy.as_ref().map_or(0, |p| p.span().start);
    let results = Results {
        schema: *file.schema.get_ref(),
        product: file.product,
        period,
        policy: file.policy.map(Spanned::into_inner),
        checklists: file.checklists.into_iter().map(|c| ChecklistRef { id: c.id, version: c.version }).collect(),
        scope: file.scope.iter().map(|(k, v)| (k.get_ref().clone(), *v)).collect(),
        answers: Vec::with_capacity(answers.len()),
        signoffs,
    };
    let offsets = Offsets {
        items: answers.iter().map(|(off, a)| (a.item.clone(), *off)).collect(),
        scope: file.scope.keys().map(|k| (k.get_ref().clone(), k.span().start)).collect(),
        policy: policy_at,
    };
    let mut results = results;
    results.answers = answers.into_iter().map(|(_, a)| a).collect();
    Ok((results, offsets))
}

/// Is `line` a conflict marker of kind `c` (`<`, `|`, `=`, `>`) as git writes them: seven
/// of it, then the end of the line or a space and a label?
fn is_marker(line: &str, c: char) -> bool {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let rest = line.strip_prefix(&c.to_string().repeat(7)).unwrap_or("\0");
    rest.is_empty() || (c != '=' && rest.starts_with(' '))
}

/// The value of `key` if `line` is `key = "..."`.
fn string_value(line: &str, key: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix(key)?.trim_start().strip_prefix('=')?;
    let table: toml::Table = toml::from_str(&format!("v = {rest}")).ok()?;
    table.get("v")?.as_str().map(str::to_string)
}

/// The message for the first unresolved merge conflict of `text`, if it has one: `at line N
/// (item ID): keep one side, then sign again`, naming the items (or the fields, or the
/// sign-offs) inside it, and how many more conflicts follow.
pub fn merge_conflict(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    // Each conflict: the lines of its start marker and end marker.
    let mut conflicts = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if is_marker(lines[i], '<') {
            let end = (i + 1..lines.len()).find(|&j| is_marker(lines[j], '>'));
            let middle = (i + 1..end.unwrap_or(lines.len())).any(|j| is_marker(lines[j], '='));
            if middle {
                let end = end.unwrap_or(lines.len() - 1);
                conflicts.push((i, end));
                i = end;
            }
        }
        i += 1;
    }
    let &(start, end) = conflicts.first()?;
    let inside = &lines[start + 1..end];
    // The table the conflict begins in: the nearest header above it.
    let header = lines[..start].iter().rev().find(|l| l.starts_with('['));
    let mut items: Vec<String> = Vec::new();
    let mut push = |id: String| {
        if !items.contains(&id) {
            items.push(id);
        }
    };
    // The block above is in the conflict when a side begins inside it (not with a header).
    let sides = inside.split(|l| is_marker(l, '=') || is_marker(l, '|'));
    let mid_block =
        sides.filter_map(|side| side.iter().find(|l| !l.trim().is_empty())).any(|first| !first.starts_with('['));
    if mid_block && header.is_some_and(|h| h.starts_with("[[answers]]") || h.starts_with("[answers.")) {
        // Inside an answer: the item of the `[[answers]]` block above.
        let block = lines[..start].iter().rposition(|l| l.starts_with("[[answers]]")).unwrap_or(0);
        if let Some(id) = lines[block..start].iter().find_map(|l| string_value(l, "item")) {
            push(id);
        }
    }
    for l in inside {
        if let Some(id) = string_value(l, "item") {
            push(id);
        }
    }
    let what = if !items.is_empty() {
        let s = if items.len() == 1 { "" } else { "s" };
        format!("item{s} {}", items.join(", "))
    } else if header.is_some_and(|h| h.starts_with("[[signoffs]]"))
        || inside.iter().any(|l| l.starts_with("[[signoffs]]"))
    {
        "the sign-offs".to_string()
    } else {
        // The fields whose lines differ between the sides (`scope.eea`, `policy`), in order.
        let outer = header.filter(|h| mid_block && !h.starts_with("[[")).map(|h| h.trim_matches(['[', ']']));
        let fields = |side: &[&str]| -> Vec<(String, String)> {
            let mut table = outer.map(str::to_string);
            let mut out = Vec::new();
            for l in side {
                if l.starts_with('[') {
                    let name = l.trim().trim_matches(['[', ']']);
                    table = (name != "checklists").then(|| name.to_string());
                } else if let Some((k, _)) = l.split_once('=')
                    && !k.trim().is_empty()
                    && !k.contains('"')
                {
                    let key = match &table {
                        Some(t) => format!("{t}.{}", k.trim()),
                        None => k.trim().to_string(),
                    };
                    out.push((key, l.to_string()));
                }
            }
            out
        };
        let mut parts = inside.split(|l| is_marker(l, '=') || is_marker(l, '|'));
        let ours = fields(parts.next().unwrap_or_default());
        let theirs = fields(parts.next_back().unwrap_or_default());
        let mut keys: Vec<String> = Vec::new();
        for (k, _) in ours.iter().chain(&theirs) {
            let lines = |side: &[(String, String)]| {
                side.iter().filter(|(s, _)| s == k).map(|(_, l)| l.clone()).collect::<Vec<_>>()
            };
            if lines(&ours) != lines(&theirs) && !keys.contains(k) {
                keys.push(k.clone());
            }
        }
        if keys.is_empty() { "the file's header".to_string() } else { keys.join(", ") }
    };
    let mut message =
        format!("unresolved merge conflict at line {} ({what}): keep one side, then sign again", start + 1);
    if let Some(&(next, _)) = conflicts.get(1) {
        let more = conflicts.len() - 1;
        let s = if more == 1 { "" } else { "s" };
        message.push_str(&format!(" ({more} more conflict{s}, the next at line {})", next + 1));
    }
    Some(message)
}

/// An answer a results file held that reading it for a set left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedAnswer {
    /// The answer as written (its `item` is the id it answered).
    pub answer: Answer,
    /// Why: the set's reason for retiring the item, or which item replaced it (when that
    /// item has an answer of its own in the file).
    pub reason: String,
    /// Where it is in the file (1-based).
    pub line: usize,
}

/// A results file read for a checklist set: the results in the set's terms, and what that
/// took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadForSet {
    pub results: Results,
    /// Answers to retired items (and to replaced items whose replacement is answered too):
    /// left out of `results`.
    pub dropped: Vec<DroppedAnswer>,
    /// `(old id, new id)`: answers to a replaced item, now answers to the item that
    /// replaces it (stale, since their digest is the old item's).
    pub renamed: Vec<(String, String)>,
    /// The content digest of the file as written, when reading changed its answers: its
    /// sign-offs were made over that content, not over `results`.
    pub written_digest: Option<String>,
}

/// Renames the answers to items `set` replaced (`replaces`) to the items that replace
/// them, unless that item is answered already; returns `(old id, new id)` for each. Other
/// answers are left as they are (for `new --from`, which lists answers to items the set no
/// longer has).
pub fn apply_replacements(results: &mut Results, set: &ChecklistSet) -> Vec<(String, String)> {
    let live: std::collections::HashSet<&str> = set.items().map(|i| i.id.as_str()).collect();
    let mut answered: std::collections::HashSet<String> = results.answers.iter().map(|a| a.item.clone()).collect();
    let mut renamed = Vec::new();
    for a in &mut results.answers {
        if live.contains(a.item.as_str()) {
            continue;
        }
        let Some(by) = set.replacement(&a.item) else { continue };
        if answered.insert(by.id.clone()) {
            renamed.push((std::mem::replace(&mut a.item, by.id.clone()), by.id.clone()));
        }
    }
    renamed
}

/// Reads a results file and checks that every answered item exists in `set` and every
/// scope answer names a scope question of `set`: an unknown id is an error (with its line),
/// never silently dropped. Answers to replaced and retired items are not unknown: see
/// [`from_toml_mapped`], which says what became of them.
pub fn from_toml_for_set(text: &str, name: &str, set: &ChecklistSet) -> Result<Results, Diagnostic> {
    from_toml_mapped(text, name, set).map(|r| r.results)
}

/// Reads a results file for `set`: an answer to an item the set replaced is read as an
/// answer to the item that replaces it (stale, as its digest differs); an answer to a
/// retired item is dropped (returned in [`ReadForSet::dropped`]), as is an answer to a
/// replaced item whose replacement the file answers too. Any other unknown item id, and a
/// scope answer to no scope question of the set, is an error with its line.
pub fn from_toml_mapped(text: &str, name: &str, set: &ChecklistSet) -> Result<ReadForSet, Diagnostic> {
    let (mut results, offsets) = parse(text, name)?;
    let known: std::collections::HashSet<&str> = set.items().map(|i| i.id.as_str()).collect();
    let at = |item: &str| line_col(text, offsets.items.get(item).copied().unwrap_or(0));
    for a in &results.answers {
        if !known.contains(a.item.as_str()) && set.replacement(&a.item).is_none() && set.retirement(&a.item).is_none() {
            let (line, column) = at(&a.item);
            return Err(Diagnostic {
                file: name.to_string(),
                line,
                column,
                message: format!(
                    "unknown item id {:?}: the active checklists have no such item, and neither replace nor retire it (was it answered against another checklist set? use --checklists)",
                    a.item
                ),
            });
        }
    }
    let mapped = results.answers.iter().any(|a| !known.contains(a.item.as_str()));
    let written_digest = mapped.then(|| results.content_digest());
    let renamed = apply_replacements(&mut results, set);
    let mut dropped = Vec::new();
    let answers = std::mem::take(&mut results.answers);
    for a in answers {
        if known.contains(a.item.as_str()) {
            results.answers.push(a);
            continue;
        }
        let reason = match (set.retirement(&a.item), set.replacement(&a.item)) {
            (Some(r), _) => format!("retired: {}", r.reason),
            (None, Some(by)) => format!("replaced by {}, which has its own answer", by.id),
            (None, None) => "not in the set".to_string(),
        };
        let line = at(&a.item).0;
        dropped.push(DroppedAnswer { answer: a, reason, line });
    }
    for id in results.scope.keys() {
        if set.scope_question(id).is_none() {
            let (line, column) = line_col(text, offsets.scope.get(id).copied().unwrap_or(0));
            return Err(Diagnostic {
                file: name.to_string(),
                line,
                column,
                message: format!("unknown scope question {id:?}: the active checklists do not define it"),
            });
        }
    }
    if let Some(p) = &results.policy
        && !set.documents.is_empty()
        && set.document(p).is_none()
    {
        let (line, column) = line_col(text, offsets.policy);
        let known: Vec<&str> = set.documents.iter().map(|d| d.file.as_str()).collect();
        return Err(Diagnostic {
            file: name.to_string(),
            line,
            column,
            message: format!(
                "policy {p:?} is no document the active checklists declare: name one of {}",
                known.iter().map(|f| format!("{f:?}")).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    Ok(ReadForSet { results, dropped, renamed, written_digest })
}

/// Reads a results file from disk for `set`; errors say which file and where.
pub fn read(path: &std::path::Path, set: &ChecklistSet) -> Result<Results, crate::error::Error> {
    read_mapped(path, set).map(|r| r.results)
}

/// [`from_toml_mapped`] on a file: the results, and the answers dropped or renamed.
pub fn read_mapped(path: &std::path::Path, set: &ChecklistSet) -> Result<ReadForSet, crate::error::Error> {
    let text = read_text(path)?;
    Ok(from_toml_mapped(&text, &path.display().to_string(), set)?)
}

/// The text of a results file (a regular file, at most [`RESULTS_LIMIT`] bytes).
///
/// [`RESULTS_LIMIT`]: crate::store::bounded::RESULTS_LIMIT
pub fn read_text(path: &std::path::Path) -> Result<String, crate::error::Error> {
    crate::store::bounded::read_to_string(path, crate::store::bounded::RESULTS_LIMIT)
        .map_err(|e| crate::error::Error::io(path, "cannot read results file", e))
}

/// Saves `results` to `path` atomically and durably.
pub fn save(path: &std::path::Path, results: &Results) -> std::io::Result<()> {
    crate::store::atomic::write(path, to_toml(results).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::results::Remediation;
    use crate::store::checklist_file::builtin;

    fn sample() -> (ChecklistSet, Results) {
        let set = builtin();
        let mut r = Results::new("Checkout \"web\"", "2026-Q4".parse().unwrap(), &set);
        r.scope.insert("eea".into(), true);
        r.scope.insert("minors".into(), false);
        r.apply_scope(&set, "privcheck", jiff::Timestamp::from_second(1_790_000_000).unwrap());
        let a = &mut r.answers[0];
        a.status = Status::Fail;
        a.note = "line one\nline \"two\" with '''quotes''' and \"\"\" too\n\ttab".into();
        a.evidence = vec!["https://tickets/PRIV-1".into(), "src/signup.rs".into()];
        a.remediation = Some(Remediation {
            owner: "ann".into(),
            due: Some(jiff::civil::date(2026, 12, 31)),
            ticket: "PRIV-1".into(),
        });
        a.by = "ann".into();
        a.at = Some(jiff::Timestamp::from_second(1_790_000_100).unwrap());
        r.answers[1].status = Status::Pass;
        r.answers[1].carried = Some(Carried { from: "2026-Q3".parse().unwrap(), status: Status::Pass, changed: false });
        r.signoffs.push(SignOff {
            name: "Ann".into(),
            email: "ann@example.com".into(),
            role: "reviewer".into(),
            at: jiff::Timestamp::from_second(1_790_000_200).unwrap(),
            digest: r.content_digest(),
            key: Some("SHA256:abc".into()),
            signature: Some("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n".into()),
        });
        (set, r)
    }

    #[test]
    fn round_trips_byte_for_byte() {
        let (set, r) = sample();
        let text = to_toml(&r);
        let back = from_toml_for_set(&text, "r.toml", &set).unwrap();
        assert_eq!(back, r);
        assert_eq!(to_toml(&back), text);
    }

    #[test]
    fn notes_are_multiline_strings() {
        let (_, r) = sample();
        let text = to_toml(&r);
        assert!(text.contains("note = \"\"\"\nline one\n"), "{text}");
    }

    #[test]
    fn one_changed_answer_changes_only_its_lines() {
        let (_, r) = sample();
        let before = to_toml(&r);
        let mut changed = r.clone();
        changed.answers[5].status = Status::Pass;
        changed.answers[5].by = "bob".into();
        let after = to_toml(&changed);
        let b: Vec<&str> = before.lines().collect();
        let a: Vec<&str> = after.lines().collect();
        // The same lines except a small window: status changed, by added.
        let common_prefix = b.iter().zip(&a).take_while(|(x, y)| x == y).count();
        let common_suffix = b.iter().rev().zip(a.iter().rev()).take_while(|(x, y)| x == y).count();
        let changed_old = b.len() - common_prefix - common_suffix;
        let changed_new = a.len() - common_prefix - common_suffix;
        assert!(changed_old <= 1 && changed_new <= 2, "diff too large: -{changed_old} +{changed_new}");
    }

    #[test]
    fn newer_schema_is_refused_clearly() {
        let err = from_toml("schema = 3\nproduct = \"x\"\nfuture = 1\n", "r.toml").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.message.contains("newer privcheck (schema 3"), "{err}");
    }

    #[test]
    fn unknown_item_is_an_error_with_its_line() {
        let (set, r) = sample();
        let text = to_toml(&r).replacen(&format!("item = \"{}\"", r.answers[3].item), "item = \"gone.item\"", 1);
        let err = from_toml_for_set(&text, "r.toml", &set).unwrap_err();
        let line = text.lines().position(|l| l.contains("gone.item")).unwrap() + 1;
        assert_eq!((err.line, err.column), (line, 8));
        assert!(err.message.contains("unknown item id \"gone.item\""), "{err}");
    }

    /// The built-in set with `gone.old` and `gone.merged` replaced by its first item and
    /// `gone.retired` retired.
    fn changed_set() -> ChecklistSet {
        let mut set = builtin();
        set.checklists[0].items[0].replaces = vec!["gone.old".into(), "gone.merged".into()];
        set.retired.push(crate::model::checklist::Retired { id: "gone.retired".into(), reason: "merged away".into() });
        set
    }

    #[test]
    fn answers_to_replaced_items_are_read_as_answers_to_their_replacement() {
        let (_, r) = sample();
        let set = changed_set();
        let first = set.checklists[0].items[0].id.clone();
        // The answer to the old item, with the old item's digest.
        let text = to_toml(&r).replacen(&format!("item = \"{first}\""), "item = \"gone.old\"", 1).replacen(
            &format!("digest = \"{}\"", r.answers[0].digest),
            "digest = \"sha256:0123456789abcdef\"",
            1,
        );
        let read = from_toml_mapped(&text, "r.toml", &set).unwrap();
        assert_eq!(read.renamed, [("gone.old".to_string(), first.clone())]);
        assert!(read.dropped.is_empty());
        let a = read.results.answer(&first).expect("answered under its new id");
        assert_eq!(a.status, Status::Fail, "the answer as given");
        let item = set.item(&first).unwrap();
        let stale = |p: &crate::model::results::Problem| p.code() == "stale";
        assert!(
            a.problems_for_digest(Some(&read.results.item_digest(&set, item))).iter().any(stale),
            "stale: the old digest"
        );
        assert_eq!(read.written_digest, Some(from_toml(&text, "r.toml").unwrap().content_digest()));
        // Without the set's replacement, the same file is refused.
        let err = from_toml_for_set(&text, "r.toml", &builtin()).unwrap_err();
        assert!(err.message.contains("unknown item id \"gone.old\""), "{err}");
    }

    #[test]
    fn answers_to_retired_items_are_dropped_and_returned() {
        let (_, r) = sample();
        let set = changed_set();
        let first = set.checklists[0].items[0].id.clone();
        let mut text = to_toml(&r);
        // Answers to a retired item, and to a replaced item whose replacement is answered.
        for (id, n) in [("gone.retired", 3), ("gone.merged", 4)] {
            text = text.replacen(&format!("item = \"{}\"", r.answers[n].item), &format!("item = \"{id}\""), 1);
        }
        let read = from_toml_mapped(&text, "r.toml", &set).unwrap();
        let dropped: Vec<(&str, &str)> =
            read.dropped.iter().map(|d| (d.answer.item.as_str(), d.reason.as_str())).collect();
        assert_eq!(
            dropped,
            [
                ("gone.retired", "retired: merged away"),
                ("gone.merged", &*format!("replaced by {first}, which has its own answer"))
            ]
        );
        let line = text.lines().position(|l| l == "item = \"gone.retired\"").unwrap() + 1;
        assert_eq!(read.dropped[0].line, line);
        assert_eq!(read.results.answers.len(), r.answers.len() - 2);
        assert!(read.renamed.is_empty());
        // An id neither live, replaced nor retired is still an error.
        let bad = text.replacen("item = \"gone.retired\"", "item = \"gone.unknown\"", 1);
        let err = from_toml_for_set(&bad, "r.toml", &set).unwrap_err();
        assert!(err.message.contains("unknown item id \"gone.unknown\""), "{err}");
        assert_eq!(err.line, line);
    }

    #[test]
    fn a_file_of_the_current_set_is_read_as_written() {
        let (set, r) = sample();
        let read = from_toml_mapped(&to_toml(&r), "r.toml", &set).unwrap();
        assert_eq!(read.results, r);
        assert!(read.dropped.is_empty() && read.renamed.is_empty() && read.written_digest.is_none());
    }

    #[test]
    fn malformed_values_are_located() {
        let (_, r) = sample();
        let text = to_toml(&r);
        for (from, to, what) in [
            ("period = \"2026-Q4\"", "period = \"2026-Q9\"", "not a calendar quarter"),
            ("due = \"2026-12-31\"", "due = \"someday\"", "not a date"),
            ("status = \"pass\"", "status = \"passed\"", "unknown variant `passed`"),
            ("schema = 2", "schema = 2\nextra = true", "unknown field `extra`"),
        ] {
            let bad = text.replacen(from, to, 1);
            let err = from_toml(&bad, "r.toml").unwrap_err();
            assert!(err.line > 0 && err.message.contains(what), "{from}: {err}");
        }
    }

    #[test]
    fn duplicate_answers_are_refused() {
        let (_, r) = sample();
        let mut text = to_toml(&r);
        let first = text.find("[[answers]]").unwrap();
        let second = text[first + 1..].find("[[answers]]").unwrap() + first + 1;
        let block = text[first..second].to_string();
        text.insert_str(second, &block);
        assert!(from_toml(&text, "r.toml").unwrap_err().message.contains("answered twice"));
    }

    #[test]
    fn a_schema_1_file_stays_schema_1_until_an_answer_changes() {
        let (set, mut r) = sample();
        // As privcheck 0.1 wrote it: schema 1, item digests of schema 1, no policy.
        r.schema = 1;
        for a in &mut r.answers {
            if let Some(item) = set.item(&a.item) {
                a.digest = item.digest_v1();
            }
        }
        r.signoffs[0].digest = r.content_digest();
        let text = to_toml(&r);
        assert!(text.contains("\nschema = 1\n"), "{text}");
        let back = from_toml_for_set(&text, "r.toml", &set).unwrap();
        assert_eq!(back.schema, 1);
        assert_eq!(to_toml(&back), text, "written back as it was");
        assert!(back.is_signed(), "its sign-off holds: the schema 1 digest is what it signed");
        assert!(back.signoff_blockers(&set).iter().all(|(_, p)| p.code() != "stale"), "no answer is stale");
        // An edit moves it to schema 2: current answers keep being current, the sign-off is void.
        let mut edited = back.clone();
        assert!(edited.upgrade(&set));
        assert_eq!(edited.schema, SCHEMA);
        assert!(edited.signoff_blockers(&set).iter().all(|(_, p)| p.code() != "stale"));
        assert!(!edited.is_signed());
        assert!(to_toml(&edited).contains("\nschema = 2\n"));
        // A schema 1 file cannot name a policy version.
        let bad = text.replacen("schema = 1\n", "schema = 1\npolicy = \"p.txt\"\n", 1);
        assert!(from_toml(&bad, "r.toml").unwrap_err().message.contains("needs schema 2"));
    }

    #[test]
    fn conflict_markers_are_named_with_their_line_and_item() {
        let (_, r) = sample();
        let text = to_toml(&r);
        let item = &r.answers[5].item;
        let lines: Vec<&str> = text.lines().collect();
        let at = lines.iter().position(|l| *l == format!("item = \"{item}\"")).unwrap();
        let status = (at..lines.len()).find(|&i| lines[i].starts_with("status = ")).unwrap();
        // As git's text merge leaves it: markers around one line of the block.
        let mut conflicted: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        conflicted.splice(
            status..=status,
            ["<<<<<<< HEAD", "status = \"pass\"", "=======", "status = \"fail\"", ">>>>>>> other"].map(String::from),
        );
        let bad = conflicted.join("\n") + "\n";
        let err = from_toml(&bad, "r.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "r.toml: unresolved merge conflict at line {} (item {item}): keep one side, then sign again",
                status + 1
            )
        );
        // As the merge driver writes it: whole blocks, and a second conflict in the sign-offs.
        let block_start = at - 1;
        let mut two: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let so = two.iter().position(|l| l == "[[signoffs]]").unwrap();
        two.insert(so, "<<<<<<< ours".into());
        two.push("=======".into());
        two.push(">>>>>>> theirs".into());
        two.insert(block_start, "<<<<<<< ours:privcheck-2026-Q4.toml".into());
        two.insert(block_start + 3, "=======".into());
        two.insert(block_start + 4, "[[answers]]".into());
        two.insert(block_start + 5, format!("item = \"{item}\""));
        two.insert(block_start + 6, ">>>>>>> theirs:privcheck-2026-Q4.toml".into());
        let err = from_toml(&(two.join("\n") + "\n"), "r.toml").unwrap_err();
        let so = two.iter().position(|l| l == "<<<<<<< ours").unwrap();
        assert_eq!(
            err.message,
            format!(
                "unresolved merge conflict at line {} (item {item}): keep one side, then sign again (1 more conflict, the next at line {})",
                block_start + 1,
                so + 1
            )
        );
        // In the header: the fields are named.
        let bad = text.replacen(
            "period = \"2026-Q4\"\n",
            "<<<<<<< ours\nperiod = \"2026-Q4\"\n=======\nperiod = \"2027-Q1\"\n>>>>>>> theirs\n",
            1,
        );
        assert!(from_toml(&bad, "r.toml").unwrap_err().message.contains("(period): keep one side"));
        let bad = text.replacen("eea = true\n", "<<<<<<< ours\neea = true\n=======\neea = false\n>>>>>>> theirs\n", 1);
        assert!(from_toml(&bad, "r.toml").unwrap_err().message.contains("(scope.eea): keep one side"));
        // Markers inside a note are text, when the file parses.
        let mut noted = r.clone();
        noted.answers[0].note = "<<<<<<< a\n=======\n>>>>>>> b".into();
        assert_eq!(from_toml(&to_toml(&noted), "r.toml").unwrap(), noted);
    }

    #[test]
    fn a_policy_version_the_set_does_not_declare_is_refused_with_its_line() {
        let (_, mut r) = sample();
        r.policy = Some("alibaba-com-2019-01-17.txt".into());
        let text = to_toml(&r);
        assert_eq!(from_toml_for_set(&text, "r.toml", &builtin()).unwrap().policy, r.policy);
        let bad = text.replace("alibaba-com-2019-01-17.txt", "alibaba-com-2031.txt");
        let err = from_toml_for_set(&bad, "r.toml", &builtin()).unwrap_err();
        let line = bad.lines().position(|l| l.starts_with("policy = ")).unwrap() + 1;
        assert_eq!((err.line, err.column), (line, 10), "{err}");
        assert!(err.message.contains("\"alibaba-com-2031.txt\" is no document"), "{err}");
        assert!(err.message.contains("\"alibaba-com-2020-02-27.txt\""), "{err}");
    }

    #[test]
    fn the_policy_version_is_written_read_and_bound() {
        let (_, mut r) = sample();
        let signed = r.content_digest();
        r.policy = Some("alibaba-com-2020-02-27.txt".into());
        assert_ne!(r.content_digest(), signed, "the policy version in force is part of the content");
        let text = to_toml(&r);
        assert!(text.contains("policy = \"alibaba-com-2020-02-27.txt\""), "{text}");
        assert_eq!(from_toml(&text, "r.toml").unwrap().policy.as_deref(), Some("alibaba-com-2020-02-27.txt"));
    }
}
