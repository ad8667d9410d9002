//! Reading and linting checklist files.
//!
//! A checklist file is parsed into span-carrying raw types first, so that every problem
//! (a TOML syntax error, an unknown field, a duplicate id across files, a scope nobody
//! defines, a quote no longer in the policy) is reported as `FILE:LINE:COL: message`.
//! Only a set with no problems becomes a [`ChecklistSet`].

use crate::diag::{Diagnostic, line_col};
use crate::model::checklist::{Checklist, ChecklistSet, Citation, Item, Origin, ScopeQuestion, Severity};
use crate::render::text::is_hazard;
use crate::store::schema::checklist::{ChecklistFile, CiteEntry, ItemEntry, Lit, ScopeEntry};
use crate::store::toml_recover::{self, Located};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The built-in checklist files, `(file name, text)`, in file-name order.
pub const BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_checklists.rs"));

/// The text of one checklist file and where it came from.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub origin: Origin,
    pub text: String,
}

impl SourceFile {
    /// The name used in messages: the path, or `checklists/NAME` for a built-in file.
    pub fn display_name(&self) -> String {
        match &self.origin {
            Origin::BuiltIn(name) => format!("checklists/{name}"),
            Origin::Path(p) => p.display().to_string(),
        }
    }
}

pub fn builtin_sources() -> Vec<SourceFile> {
    BUILTIN
        .iter()
        .map(|(name, text)| SourceFile { origin: Origin::BuiltIn((*name).to_string()), text: (*text).to_string() })
        .collect()
}

/// An error reading checklist files from disk (before any parsing).
#[derive(Debug)]
pub struct ReadError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: cannot read: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for ReadError {}

/// Reads checklist files from paths: a directory contributes its `*.toml` files in name
/// order, a file contributes itself.
pub fn read_sources(paths: &[PathBuf]) -> Result<Vec<SourceFile>, ReadError> {
    let mut out = Vec::new();
    for path in paths {
        let err = |error| ReadError { path: path.clone(), error };
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(err)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(ReadError {
                    path: path.clone(),
                    error: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "no *.toml checklist files in this directory",
                    ),
                });
            }
            for file in files {
                let text = std::fs::read_to_string(&file).map_err(|error| ReadError { path: file.clone(), error })?;
                out.push(SourceFile { origin: Origin::Path(file), text });
            }
        } else {
            let text = std::fs::read_to_string(path).map_err(err)?;
            out.push(SourceFile { origin: Origin::Path(path.clone()), text });
        }
    }
    Ok(out)
}

/// Which policy text(s) to check citations against.
pub enum PolicyCheck {
    /// Every quote must be in this one text (`lint --policy FILE`).
    Text { name: String, text: String },
    /// Each quote must be in the document it cites, found in this directory (`lint --policy-dir`).
    Dir(PathBuf),
}

/// Normalises text for quote matching: typographic quotes become straight ones and every
/// run of whitespace (line breaks included) becomes one space.
pub fn normalise_for_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
            c => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

fn valid_id(id: &str, allow_dot: bool) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || (allow_dot && c == '.'))
}

/// The result of linting: the set when it is clean, and every problem found.
pub struct Lint {
    pub set: Option<ChecklistSet>,
    pub diagnostics: Vec<Diagnostic>,
}

struct Ctx<'a> {
    file: String,
    text: &'a str,
    out: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn at(&mut self, offset: usize, message: impl Into<String>) {
        let (line, column) = line_col(self.text, offset);
        self.out.push(Diagnostic { file: self.file.clone(), line, column, message: message.into() });
    }
    fn nonempty(&mut self, value: &Spanned<String>, what: &str) {
        if value.get_ref().trim().is_empty() {
            self.at(value.span().start, format!("{what} is empty"));
        }
    }
}

/// What reading one file's text found before the checks across files: the file as the
/// schema reads it (when it does, past its schema errors), and the problems of the text
/// itself (syntax, schema, hidden characters), at byte offsets.
struct FileParse {
    raw: Option<ChecklistFile>,
    /// Syntax and schema errors.
    schema: Vec<Located>,
    hidden: Vec<Located>,
}

fn parse_one(text: &str) -> FileParse {
    let parsed = toml_recover::parse::<ChecklistFile>(text);
    let hidden = hidden_characters(text, parsed.tree.as_ref().map(|t| t.get_ref()));
    FileParse { raw: parsed.value, schema: parsed.errors, hidden }
}

/// Parses each file's TOML, on two threads (the files are independent; the TOML is most of
/// the time it takes to load a set, before the review's first frame). In order.
fn parse_all(sources: &[SourceFile]) -> Vec<FileParse> {
    let parse = |files: &[SourceFile]| -> Vec<_> { files.iter().map(|src| parse_one(&src.text)).collect() };
    let total: usize = sources.iter().map(|s| s.text.len()).sum();
    // Split where half of the text is behind.
    let mut behind = 0;
    let split = sources
        .iter()
        .position(|s| {
            behind += s.text.len();
            behind * 2 >= total
        })
        .map_or(0, |k| k + 1);
    if sources.len() < 2 || split >= sources.len() {
        return parse(sources);
    }
    let (first, second) = sources.split_at(split);
    std::thread::scope(|scope| {
        let other = std::thread::Builder::new().spawn_scoped(scope, || parse(second));
        let mut out = parse(first);
        match other.map(|h| h.join()) {
            Ok(Ok(rest)) => out.extend(rest),
            // No second thread: parse the rest here.
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => out.extend(parse(second)),
        }
        out
    })
}

/// The name of a hidden character, for messages.
fn hidden_name(c: char) -> &'static str {
    match c {
        '\u{061C}' => "arabic letter mark",
        '\u{00AD}' => "soft hyphen",
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => "Hangul filler",
        '\u{180E}' => "Mongolian vowel separator",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{200E}' => "left-to-right mark",
        '\u{200F}' => "right-to-left mark",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2060}' => "word joiner",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{FEFF}' => "zero-width no-break space (byte-order mark)",
        '\u{FFF9}'..='\u{FFFB}' => "interlinear annotation control",
        '\u{E0000}'..='\u{E007F}' => "tag character",
        _ => "control character",
    }
}

fn hidden_message(c: char, escape: Option<&str>) -> String {
    let written = escape.map_or(String::new(), |e| format!(", written as the escape {e}"));
    format!(
        "hidden character U+{:04X} ({}){written}: it hides or reorders text on screen; delete it (retype the text around it if unsure)",
        c as u32,
        hidden_name(c)
    )
}

/// Every hidden character of a checklist file ([`is_hazard`], except line breaks and tabs),
/// at the character itself: written as it is anywhere in the text (comments included), or
/// written as an escape in a string value (`\u202E`, `\b`, `\e`...), at the escape.
fn hidden_characters(text: &str, tree: Option<&toml::de::DeTable<'_>>) -> Vec<Located> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        let crlf = c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n');
        if is_hazard(c) && c != '\n' && c != '\t' && !crlf {
            out.push(Located { offset, message: hidden_message(c, None) });
        }
    }
    let Some(tree) = tree else { return out };
    let mut strings = Vec::new();
    toml_recover::strings(tree, &mut strings);
    for (span, _) in strings {
        let Some(raw) = text.get(span.clone()) else { continue };
        if !raw.starts_with('"') {
            continue; // a literal string has no escapes
        }
        let mut it = raw.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if c != '\\' {
                continue;
            }
            let Some((_, e)) = it.next() else { break };
            let hex = |n: usize, it: &mut std::iter::Peekable<std::str::CharIndices<'_>>| {
                let digits: String = (0..n).filter_map(|_| it.next().map(|(_, d)| d)).collect();
                u32::from_str_radix(&digits, 16).ok().and_then(char::from_u32)
            };
            let decoded = match e {
                'b' => Some('\u{8}'),
                'f' => Some('\u{C}'),
                'e' => Some('\u{1B}'),
                'r' => Some('\r'),
                'x' => hex(2, &mut it),
                'u' => hex(4, &mut it),
                'U' => hex(8, &mut it),
                _ => None,
            };
            if let Some(d) = decoded.filter(|d| is_hazard(*d) && *d != '\n' && *d != '\t') {
                let end = it.peek().map_or(raw.len(), |(j, _)| *j);
                out.push(Located { offset: span.start + i, message: hidden_message(d, Some(&raw[i..end])) });
            }
        }
    }
    out.sort_by_key(|l| l.offset);
    out
}

/// Parses and checks a set of checklist files; see the module comment. Every problem of
/// every file is reported, in file order and then by position.
pub fn lint(sources: &[SourceFile], policy: Option<&PolicyCheck>) -> Lint {
    lint_all(sources, policy.as_slice())
}

/// [`lint`] with any number of policy checks (each citation is checked against each).
pub fn lint_all(sources: &[SourceFile], policies: &[&PolicyCheck]) -> Lint {
    let parsed_all = parse_all(sources);
    let mut diagnostics = Vec::new();
    let mut schema_at = std::collections::HashSet::new();
    let mut parsed = Vec::new();
    for (src, p) in sources.iter().zip(&parsed_all) {
        let mut cx = Ctx { file: src.display_name(), text: &src.text, out: &mut diagnostics };
        for e in &p.schema {
            schema_at.insert((cx.file.clone(), line_col(&src.text, e.offset)));
            cx.at(e.offset, e.message.clone());
        }
        for e in &p.hidden {
            cx.at(e.offset, e.message.clone());
        }
        if let Some(raw) = &p.raw {
            parsed.push((src, raw));
        }
    }
    let early = diagnostics.len();
    let set = check(parsed, policies, &mut diagnostics);
    // A value the schema refused was replaced by an empty one: its "is empty" is no news.
    let mut n = 0;
    diagnostics.retain(|d| {
        n += 1;
        n <= early || !schema_at.contains(&(d.file.clone(), (d.line, d.column)))
    });
    let order: BTreeMap<String, usize> = sources.iter().enumerate().map(|(i, s)| (s.display_name(), i)).collect();
    diagnostics.sort_by_key(|d| (order.get(&d.file).copied().unwrap_or(usize::MAX), d.line, d.column));
    if sources.is_empty() {
        diagnostics.push(Diagnostic {
            file: "(checklists)".into(),
            line: 0,
            column: 0,
            message: "no checklist files".into(),
        });
    }
    let clean = diagnostics.is_empty();
    Lint { set: clean.then_some(set), diagnostics }
}

/// Checks parsed checklist files together (ids unique across files, scopes defined, quotes
/// in the policy when asked) and converts them into the model; every problem goes to
/// `diagnostics`, located in the file's text.
fn check(
    parsed: Vec<(&SourceFile, &ChecklistFile)>,
    policies: &[&PolicyCheck],
    diagnostics: &mut Vec<Diagnostic>,
) -> ChecklistSet {
    // Scope questions first: items of any file may refer to any of them.
    // Where each id was first defined, as (source, byte offset): the line is worked out
    // only for a duplicate (working it out for every id made the lint quadratic in the
    // size of a file).
    let mut scope_ids: BTreeMap<String, (&SourceFile, usize)> = BTreeMap::new();
    let mut checklist_ids: BTreeMap<String, (&SourceFile, usize)> = BTreeMap::new();
    let mut item_ids: BTreeMap<String, (&SourceFile, usize)> = BTreeMap::new();
    let first_defined =
        |(src, offset): (&SourceFile, usize)| format!("{}:{}", src.display_name(), line_col(&src.text, offset).0);
    let mut policy_cache: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut set = ChecklistSet::default();

    for (src, raw) in &parsed {
        let mut cx = Ctx { file: src.display_name(), text: &src.text, out: diagnostics };
        for q in &raw.scope {
            let id = q.id.get_ref();
            if !valid_id(id, false) {
                cx.at(q.id.span().start, format!("scope id {id:?} must be lower-case letters, digits and '-'"));
            }
            if let Some(prev) = scope_ids.insert(id.clone(), (*src, q.id.span().start)) {
                let prev = first_defined(prev);
                cx.at(q.id.span().start, format!("duplicate scope id {id:?} (first defined at {prev})"));
            }
            cx.nonempty(&q.question, "scope question");
            set.scope.push(ScopeQuestion {
                id: id.clone(),
                question: q.question.get_ref().trim().to_string(),
                help: q.help.as_ref().map_or("", |h| h.get_ref().trim()).to_string(),
                checklist: raw.id.get_ref().clone(),
            });
        }
    }

    for (src, raw) in &parsed {
        let mut cx = Ctx { file: src.display_name(), text: &src.text, out: diagnostics };
        let cid = raw.id.get_ref();
        if !valid_id(cid, false) {
            cx.at(raw.id.span().start, format!("checklist id {cid:?} must be lower-case letters, digits and '-'"));
        }
        if let Some(prev) = checklist_ids.insert(cid.clone(), (*src, raw.id.span().start)) {
            let prev = first_defined(prev);
            cx.at(raw.id.span().start, format!("duplicate checklist id {cid:?} (first defined at {prev})"));
        }
        cx.nonempty(&raw.title, "title");
        cx.nonempty(&raw.description, "description");
        if *raw.version.get_ref() < 1 || *raw.version.get_ref() > i64::from(u32::MAX) {
            cx.at(raw.version.span().start, "version must be a positive integer");
        }
        if raw.items.is_empty() {
            cx.at(raw.id.span().start, format!("checklist {cid:?} has no items (add at least one [[items]])"));
        }
        let mut items = Vec::new();
        for it in &raw.items {
            let id = it.id.get_ref();
            if !valid_id(id, true) {
                cx.at(it.id.span().start, format!("item id {id:?} must be lower-case letters, digits, '-' and '.'"));
            }
            if let Some(prev) = item_ids.insert(id.clone(), (*src, it.id.span().start)) {
                let prev = first_defined(prev);
                cx.at(it.id.span().start, format!("duplicate item id {id:?} (first defined at {prev})"));
            }
            cx.nonempty(&it.question, &format!("question of item {id:?}"));
            let severity = match it.severity.get_ref().as_str() {
                "low" => Severity::Low,
                "medium" => Severity::Medium,
                "high" => Severity::High,
                "critical" => Severity::Critical,
                other => {
                    cx.at(
                        it.severity.span().start,
                        format!("unknown variant `{other}`, expected one of `low`, `medium`, `high`, `critical`"),
                    );
                    Severity::Low
                }
            };
            cx.nonempty(&it.guidance, &format!("guidance of item {id:?}"));
            for s in &it.scope {
                if !scope_ids.contains_key(s.get_ref()) {
                    cx.at(
                        s.span().start,
                        format!("item {id:?} needs scope {:?}, which no scope question defines", s.get_ref()),
                    );
                }
            }
            // A law-only item: the policy is silent on the point and the item tests the
            // legal duty; it must then name that duty.
            if it.cite.is_empty() && it.legal.is_empty() {
                cx.at(
                    it.id.span().start,
                    format!(
                        "item {id:?} has no citation and no legal duty: add at least one [[items.cite]], or, \
                         where the policy is silent, legal = [\"...\"] naming the duty it tests"
                    ),
                );
            }
            for l in &it.legal {
                cx.nonempty(l, &format!("legal duty of item {id:?}"));
            }
            for c in &it.cite {
                cx.nonempty(&c.document, "citation document");
                cx.nonempty(&c.section, "citation section");
                cx.nonempty(&c.quote, "citation quote");
                if !valid_effective(c.effective.get_ref()) {
                    cx.at(
                        c.effective.span().start,
                        format!("effective {:?} must be YYYY-MM-DD, YYYY-MM or \"undated\"", c.effective.get_ref()),
                    );
                }
                for policy in policies {
                    check_quote(&mut cx, policy, &mut policy_cache, id, c);
                }
            }
            items.push(Item {
                id: id.clone(),
                checklist: cid.clone(),
                question: it.question.get_ref().trim().to_string(),
                guidance: it.guidance.get_ref().trim().to_string(),
                severity,
                scope: it.scope.iter().map(|s| s.get_ref().clone()).collect(),
                legal: it.legal.iter().map(|s| s.get_ref().trim().to_string()).collect(),
                cite: it
                    .cite
                    .iter()
                    .map(|c| Citation {
                        document: c.document.get_ref().trim().to_string(),
                        effective: c.effective.get_ref().trim().to_string(),
                        section: c.section.get_ref().trim().to_string(),
                        quote: c.quote.get_ref().trim().to_string(),
                    })
                    .collect(),
            });
        }
        set.checklists.push(Checklist {
            id: cid.clone(),
            title: raw.title.get_ref().trim().to_string(),
            description: raw.description.get_ref().trim().to_string(),
            version: u32::try_from(*raw.version.get_ref()).unwrap_or(0),
            origin: src.origin.clone(),
            items,
        });
    }
    set
}

fn valid_effective(s: &str) -> bool {
    if s == "undated" {
        return true;
    }
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.chars().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => format!("{y}-{m}-{d}").parse::<jiff::civil::Date>().is_ok() && digits(y, 4),
        _ => false,
    }
}

fn check_quote(
    cx: &mut Ctx<'_>,
    policy: &PolicyCheck,
    cache: &mut BTreeMap<String, Option<String>>,
    item: &str,
    c: &CiteEntry,
) {
    let quote = normalise_for_quote(c.quote.get_ref());
    match policy {
        PolicyCheck::Text { name, text } => {
            let text = cache.entry(format!("text:{name}")).or_insert_with(|| Some(normalise_for_quote(text)));
            if !text.as_deref().unwrap_or_default().contains(&quote) {
                cx.at(
                    c.quote.span().start,
                    format!("item {item:?}: quote (cited from {}) is not in {name}", c.document.get_ref()),
                );
            }
        }
        PolicyCheck::Dir(dir) => {
            let doc = c.document.get_ref();
            let text = cache.entry(format!("dir:{doc}")).or_insert_with(|| {
                let safe = Path::new(doc).file_name().is_some_and(|n| n == doc.as_str());
                safe.then(|| std::fs::read_to_string(dir.join(doc)).ok().map(|t| normalise_for_quote(&t))).flatten()
            });
            match text {
                None => cx.at(
                    c.document.span().start,
                    format!("item {item:?}: cited document {doc:?} is not in {}", dir.display()),
                ),
                Some(text) if !text.contains(&quote) => {
                    cx.at(c.quote.span().start, format!("item {item:?}: quote is not in {doc} (the document it cites)"))
                }
                Some(_) => {}
            }
        }
    }
}

/// Loads a set for use: it must lint clean. The error lists every problem.
pub fn load(sources: &[SourceFile]) -> Result<ChecklistSet, Vec<Diagnostic>> {
    let lint = lint(sources, None);
    lint.set.ok_or(lint.diagnostics)
}

/// The built-in checklist files as `build.rs` parsed them (in the order of [`BUILTIN`]).
fn builtin_parsed() -> Vec<ChecklistFile> {
    include!(concat!(env!("OUT_DIR"), "/builtin_parsed.rs"))
}

/// The built-in set: the files `build.rs` parsed, checked and converted as any checklist
/// files are (without parsing their TOML again). The test suite lints them clean.
pub fn builtin() -> ChecklistSet {
    let sources = builtin_sources();
    let parsed = builtin_parsed();
    let mut diagnostics = Vec::new();
    let set = check(sources.iter().zip(&parsed).collect(), &[], &mut diagnostics);
    if let Some(d) = diagnostics.first() {
        panic!("the built-in checklists do not lint clean: {d}");
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(name: &str, text: &str) -> SourceFile {
        SourceFile { origin: Origin::Path(PathBuf::from(name)), text: text.to_string() }
    }

    const GOOD: &str = r#"
id = "area"
title = "Area"
description = "An area."
version = 1

[[scope]]
id = "eea"
question = "EEA?"

[[items]]
id = "area.one"
question = "Does it?"
guidance = "Look."
severity = "high"
scope = ["eea"]

[[items.cite]]
document = "p.txt"
effective = "2020-02-27"
section = "A"
quote = "We   keep “promises”."
"#;

    fn messages(l: &Lint) -> Vec<String> {
        l.diagnostics.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_prebuilt_set_is_what_the_lint_makes_of_the_files() {
        let linted = load(&builtin_sources()).expect("the built-in checklists lint clean");
        assert_eq!(builtin(), linted);
    }

    #[test]
    fn clean_file_loads() {
        let set = load(&[src("a.toml", GOOD)]).unwrap();
        assert_eq!(set.checklists.len(), 1);
        assert_eq!(set.scope[0].id, "eea");
        assert_eq!(set.checklists[0].items[0].scope, vec!["eea"]);
    }

    #[test]
    fn unknown_field_has_line_and_column() {
        let text = GOOD.replace("severity = \"high\"", "severity = \"high\"\nseverty = \"low\"");
        let l = lint(&[src("a.toml", &text)], None);
        let m = messages(&l);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].starts_with("a.toml:16:1: unknown field `severty`"), "{}", m[0]);
    }

    #[test]
    fn bad_severity_is_reported_where_it_is() {
        let text = GOOD.replace("\"high\"", "\"urgent\"");
        let m = messages(&lint(&[src("a.toml", &text)], None));
        assert!(m[0].starts_with("a.toml:15:12: unknown variant `urgent`"), "{m:?}");
    }

    #[test]
    fn semantic_problems_are_all_reported() {
        let text = GOOD
            .replace("question = \"Does it?\"", "question = \"  \"")
            .replace("scope = [\"eea\"]", "scope = [\"ca\"]");
        let text = text.split("[[items.cite]]").next().unwrap().to_string();
        let m = messages(&lint(&[src("a.toml", &text)], None));
        assert!(m.iter().any(|s| s.contains("question of item \"area.one\" is empty")), "{m:?}");
        assert!(m.iter().any(|s| s.contains("a.toml:16:10: item \"area.one\" needs scope \"ca\"")), "{m:?}");
        assert!(m.iter().any(|s| s.contains("has no citation and no legal duty")), "{m:?}");
    }

    #[test]
    fn a_law_only_item_needs_no_citation() {
        let text = GOOD.split("[[items.cite]]").next().unwrap().to_string();
        let law_only = text.replace("scope = [\"eea\"]", "scope = [\"eea\"]\nlegal = [\"GDPR Art. 8\"]");
        let set = load(&[src("a.toml", &law_only)]).expect("an item with a legal duty and no citation loads");
        assert!(set.checklists[0].items[0].cite.is_empty());
        assert_eq!(set.checklists[0].items[0].legal, ["GDPR Art. 8"]);
        let empty = text.replace("scope = [\"eea\"]", "scope = [\"eea\"]\nlegal = [\" \"]");
        let m = messages(&lint(&[src("a.toml", &empty)], None));
        assert_eq!(m, ["a.toml:17:10: legal duty of item \"area.one\" is empty"], "an empty duty is no duty");
    }

    #[test]
    fn duplicate_item_id_across_files_names_both() {
        let other = GOOD.replace("id = \"area\"", "id = \"other\"").replace("id = \"eea\"", "id = \"x\"");
        let m = messages(&lint(&[src("a.toml", GOOD), src("b.toml", &other)], None));
        assert_eq!(m, vec!["b.toml:12:6: duplicate item id \"area.one\" (first defined at a.toml:12)"]);
    }

    #[test]
    fn syntax_error_is_located() {
        let m = messages(&lint(&[src("a.toml", "id = \"x\"\ntitle = \n")], None));
        assert!(m[0].starts_with("a.toml:2:"), "{m:?}");
    }

    #[test]
    fn quote_check_ignores_whitespace_and_quote_style() {
        let policy = PolicyCheck::Text { name: "p.txt".into(), text: "Intro. We keep\n\"promises\". End".into() };
        assert!(lint(&[src("a.toml", GOOD)], Some(&policy)).diagnostics.is_empty());
        let changed = PolicyCheck::Text { name: "p2.txt".into(), text: "We break promises.".into() };
        let m = messages(&lint(&[src("a.toml", GOOD)], Some(&changed)));
        assert_eq!(m, vec!["a.toml:22:9: item \"area.one\": quote (cited from p.txt) is not in p2.txt"]);
    }

    #[test]
    fn every_problem_of_a_file_is_reported_in_one_run() {
        // Four different errors: an unknown field, a value of the wrong type, a missing
        // field (the item is left out, the others are still checked), a bad severity.
        let text = GOOD
            .replace("version = 1", "version = 1\ncolour = \"red\"")
            .replace("question = \"EEA?\"", "question = 7")
            .replace("severity = \"high\"", "severity = \"urgent\"")
            + "\n[[items]]\nid = \"area.two\"\nquestion = \"Q?\"\nseverity = \"low\"\nlegal = [\"x\"]\n";
        let m = messages(&lint(&[src("a.toml", &text)], None));
        assert_eq!(
            m,
            [
                "a.toml:6:1: unknown field `colour`, expected one of `id`, `title`, `description`, `version`, `scope`, `items`",
                "a.toml:10:12: invalid type: integer `7`, expected a string",
                "a.toml:16:12: unknown variant `urgent`, expected one of `low`, `medium`, `high`, `critical`",
                "a.toml:25:1: missing field `guidance`: add it to this table (until then the table is left out of the other checks)",
            ],
            "the empty scope question left by the wrong type is not reported again"
        );
    }

    #[test]
    fn hidden_characters_are_reported_where_they_are() {
        let text = GOOD
            .replace("guidance = \"Look.\"", "guidance = \"Look\u{202E}.\" # note\u{200B}")
            .replace("question = \"Does it?\"", "question = \"Does \\u2066it\\e?\"")
            .replace("title = \"Area\"", "title = 'Area \\u202E literal'")
            .replace('\n', "\r\n");
        let m = messages(&lint(&[src("a.toml", &text)], None));
        assert_eq!(m.len(), 4, "{m:?}");
        assert!(
            m[0].starts_with(
                "a.toml:13:18: hidden character U+2066 (left-to-right isolate), written as the escape \\u2066: "
            ),
            "{}",
            m[0]
        );
        assert!(
            m[1].starts_with("a.toml:13:26: hidden character U+001B (control character), written as the escape \\e"),
            "{}",
            m[1]
        );
        assert!(m[2].starts_with("a.toml:14:17: hidden character U+202E (right-to-left override): "), "{}", m[2]);
        assert!(m[3].starts_with("a.toml:14:27: hidden character U+200B (zero-width space)"), "{}", m[3]);
        let lone_cr = GOOD.replace("Look.", "Lo\rok.");
        // (TOML refuses a raw control character in a string too: both are said.)
        let m = messages(&lint(&[src("a.toml", &lone_cr)], None));
        assert!(m.iter().any(|m| m.starts_with("a.toml:14:15: hidden character U+000D")), "{m:?}");
    }

    #[test]
    fn effective_dates_are_checked() {
        assert!(valid_effective("2015-11"));
        assert!(valid_effective("2020-02-27"));
        assert!(valid_effective("undated"));
        assert!(!valid_effective("2020-02-30"));
        assert!(!valid_effective("2015-13"));
        assert!(!valid_effective("Feb 2020"));
    }
}
