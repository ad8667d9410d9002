//! Reading and linting checklist files.
//!
//! A checklist file is parsed into span-carrying raw types first, so that every problem
//! (a TOML syntax error, an unknown field, a duplicate id across files, a scope nobody
//! defines, a quote no longer in the policy) is reported as `FILE:LINE:COL: message`.
//! Only a set with no problems becomes a [`ChecklistSet`].

use crate::diag::{Diagnostic, line_col};
use crate::model::checklist::{
    Checklist, ChecklistSet, Citation, Document, Item, Origin, Retired, ScopeQuestion, Severity,
};
use crate::render::text::is_hazard;
use crate::store::coverage::{self, Coverage};
use crate::store::policy_text::{self, Outline, PolicyText};
use crate::store::schema::checklist::{ChecklistFile, CiteEntry, DocumentEntry};
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
    /// The name used in messages: the path, or `built-in:NAME` for a file built into
    /// privcheck (not a path the user has: the review's `checklists/NAME` is not on their disk).
    pub fn display_name(&self) -> String {
        self.origin.to_string()
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
    /// The problems: the set is not clean while there is one (exit 1).
    pub diagnostics: Vec<Diagnostic>,
    /// What is accepted for now but should be fixed (a `legacy_sections` label in use);
    /// warnings do not make a set unclean.
    pub warnings: Vec<Diagnostic>,
    /// How many of the files are declarations-only files (no `id`, no items).
    pub declaration_files: usize,
    /// With [`LintOptions::coverage`] and a policy directory: every promise of every
    /// declared document, and its problems (they do not make the set unclean, but they are
    /// problems: `privcheck lint --coverage` exits 1).
    pub coverage: Option<Coverage>,
}

/// What to check besides the checklist files themselves.
#[derive(Default)]
pub struct LintOptions<'a> {
    /// Each citation's quote against each of these (and headings, with a document's text).
    pub policies: Vec<&'a PolicyCheck>,
    /// Work out the coverage of every declared document (needs a [`PolicyCheck::Dir`]).
    pub coverage: bool,
}

/// Where the checks put what they find.
#[derive(Default)]
struct Found {
    problems: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    declaration_files: usize,
    coverage: Option<Coverage>,
}

struct Ctx<'a> {
    file: String,
    text: &'a str,
    out: &'a mut Found,
}

impl Ctx<'_> {
    fn diag(&self, offset: usize, message: String) -> Diagnostic {
        let (line, column) = line_col(self.text, offset);
        Diagnostic { file: self.file.clone(), line, column, message }
    }
    fn at(&mut self, offset: usize, message: impl Into<String>) {
        let d = self.diag(offset, message.into());
        self.out.problems.push(d);
    }
    fn warn(&mut self, offset: usize, message: impl Into<String>) {
        let d = self.diag(offset, format!("warning: {}", message.into()));
        self.out.warnings.push(d);
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
    let hidden = hidden_characters(text, parsed.string_spans.as_deref());
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
fn hidden_characters(text: &str, string_spans: Option<&[std::ops::Range<usize>]>) -> Vec<Located> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        let crlf = c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n');
        if is_hazard(c) && c != '\n' && c != '\t' && !crlf {
            out.push(Located { offset, message: hidden_message(c, None) });
        }
    }
    for span in string_spans.unwrap_or_default() {
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
    lint_with(sources, &LintOptions { policies: policies.to_vec(), coverage: false })
}

/// [`lint`] with policy checks and, if asked, coverage.
pub fn lint_with(sources: &[SourceFile], options: &LintOptions<'_>) -> Lint {
    let policies = options.policies.as_slice();
    let parsed_all = parse_all(sources);
    let mut found = Found::default();
    let mut schema_at = std::collections::HashSet::new();
    let mut parsed = Vec::new();
    for (src, p) in sources.iter().zip(&parsed_all) {
        let mut cx = Ctx { file: src.display_name(), text: &src.text, out: &mut found };
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
    let early = found.problems.len();
    let set = check(parsed, policies, options.coverage, &mut found);
    let Found { problems: mut diagnostics, mut warnings, declaration_files, coverage } = found;
    // A value the schema refused was replaced by an empty one: its "is empty" is no news.
    let mut n = 0;
    diagnostics.retain(|d| {
        n += 1;
        n <= early || !schema_at.contains(&(d.file.clone(), (d.line, d.column)))
    });
    let order: BTreeMap<String, usize> = sources.iter().enumerate().map(|(i, s)| (s.display_name(), i)).collect();
    diagnostics.sort_by_key(|d| (order.get(&d.file).copied().unwrap_or(usize::MAX), d.line, d.column));
    warnings.sort_by_key(|d| (order.get(&d.file).copied().unwrap_or(usize::MAX), d.line, d.column));
    if sources.is_empty() {
        diagnostics.push(Diagnostic {
            file: "(checklists)".into(),
            line: 0,
            column: 0,
            message: "no checklist files".into(),
        });
    }
    let clean = diagnostics.is_empty();
    Lint { set: clean.then_some(set), diagnostics, warnings, declaration_files, coverage }
}

/// The policy texts the checks read, each read and normalised once: the text of a
/// `--policy FILE`, or a document's text in a `--policy-dir`.
struct Texts<'p> {
    policies: &'p [&'p PolicyCheck],
    cache: BTreeMap<String, Option<PolicyText>>,
    /// Where each declared document's headings are, by document file (when its text is here).
    outlines: BTreeMap<String, Outline>,
}

impl Texts<'_> {
    /// The text of document `doc` in policy directory `dir` (None when it cannot be read).
    fn in_dir(&mut self, dir: &Path, doc: &str) -> Option<&PolicyText> {
        self.cache
            .entry(format!("dir:{doc}"))
            .or_insert_with(|| {
                let safe = Path::new(doc).file_name().is_some_and(|n| n == doc);
                safe.then(|| std::fs::read_to_string(dir.join(doc)).ok().map(|t| PolicyText::new(&t))).flatten()
            })
            .as_ref()
    }

    fn given(&mut self, name: &str, text: &str) -> &PolicyText {
        self.cache
            .entry(format!("text:{name}"))
            .or_insert_with(|| Some(PolicyText::new(text)))
            .as_ref()
            .expect("a given text")
    }

    /// The text of declared document `doc` if a policy check provides it: the document in
    /// `--policy-dir`, or a `--policy FILE` of that file name.
    fn of_document(&mut self, doc: &str) -> Option<&PolicyText> {
        let policies = self.policies;
        for p in policies {
            match p {
                PolicyCheck::Dir(dir) => {
                    if self.in_dir(dir, doc).is_some() {
                        return self.in_dir(dir, doc);
                    }
                }
                PolicyCheck::Text { name, text } => {
                    if Path::new(name).file_name().is_some_and(|n| n == doc) {
                        return Some(self.given(name, text));
                    }
                }
            }
        }
        None
    }
}

/// The schema values of a file as the checks see it: a checklist file (with items), or a
/// declarations-only file.
fn is_checklist_file(raw: &ChecklistFile) -> bool {
    !raw.items.is_empty()
        || raw.id.is_some()
        || raw.title.is_some()
        || raw.description.is_some()
        || raw.version.is_some()
}

fn quoted_list(list: &[Spanned<String>]) -> String {
    list.iter().map(|h| format!("{:?}", h.get_ref())).collect::<Vec<_>>().join(", ")
}

/// Checks parsed checklist files together (ids unique across files, scopes defined,
/// citations of declared documents under their real headings, quotes in the policy when
/// asked) and converts them into the model; every problem goes to `found`, located in the
/// file's text.
fn check(
    parsed: Vec<(&SourceFile, &ChecklistFile)>,
    policies: &[&PolicyCheck],
    coverage: bool,
    found: &mut Found,
) -> ChecklistSet {
    // Scope questions and documents first: items of any file may refer to any of them.
    // Where each id was first defined, as (source, byte offset): the line is worked out
    // only for a duplicate (working it out for every id made the lint quadratic in the
    // size of a file).
    let mut scope_ids: BTreeMap<String, (&SourceFile, usize)> = BTreeMap::new();
    let mut checklist_ids: BTreeMap<String, (&SourceFile, usize)> = BTreeMap::new();
    let mut item_ids: BTreeMap<String, (&SourceFile, usize)> = BTreeMap::new();
    let mut doc_files: BTreeMap<String, (&SourceFile, usize)> = BTreeMap::new();
    let first_defined =
        |(src, offset): (&SourceFile, usize)| format!("{}:{}", src.display_name(), line_col(&src.text, offset).0);
    let mut texts = Texts { policies, cache: BTreeMap::new(), outlines: BTreeMap::new() };
    // Declared documents by file, with where they were declared.
    let mut docs: BTreeMap<String, (&SourceFile, &DocumentEntry)> = BTreeMap::new();
    // Legacy labels: (document, label) -> used by a citation?
    let mut legacy: BTreeMap<(String, String), bool> = BTreeMap::new();
    // Retired ids, and the ids items replace, with where they are written.
    let mut retired: BTreeMap<String, (&SourceFile, usize)> = BTreeMap::new();
    let mut replaced: BTreeMap<String, (&SourceFile, usize, String)> = BTreeMap::new();
    let mut replaces_at: Vec<(&SourceFile, &Spanned<String>, &str)> = Vec::new();
    let mut set = ChecklistSet::default();

    for (src, raw) in &parsed {
        let mut cx = Ctx { file: src.display_name(), text: &src.text, out: found };
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
                checklist: raw.id.as_ref().map(|i| i.get_ref().clone()).unwrap_or_default(),
            });
        }
        for r in &raw.retired {
            let id = r.id.get_ref().trim();
            if !valid_id(id, true) {
                cx.at(r.id.span().start, format!("retired id {id:?} must be lower-case letters, digits, '-' and '.'"));
            }
            cx.nonempty(&r.reason, &format!("reason for retiring {id:?}"));
            if let Some(prev) = retired.insert(id.to_string(), (*src, r.id.span().start)) {
                let prev = first_defined(prev);
                cx.at(r.id.span().start, format!("{id:?} is retired twice (first at {prev})"));
                continue;
            }
            set.retired.push(Retired { id: id.to_string(), reason: r.reason.get_ref().trim().to_string() });
        }
        // The versions this file declares (one policy's): newest first.
        let mut versions: Vec<(String, String)> = Vec::new();
        for d in &raw.document {
            check_document(&mut cx, d, &mut texts);
            let file = d.file.get_ref().trim().to_string();
            if let Some(prev) = doc_files.insert(file.clone(), (*src, d.file.span().start)) {
                let prev = first_defined(prev);
                cx.at(d.file.span().start, format!("document {file:?} is declared twice (first at {prev})"));
                continue;
            }
            for l in &d.legacy_sections {
                cx.nonempty(l, "legacy section");
                legacy.insert((file.clone(), l.get_ref().clone()), false);
            }
            docs.insert(file.clone(), (*src, d));
            // The review offers the versions in declaration order, newest first: a dated
            // version after an older one of the same file would be offered as the newer.
            let effective = d.effective.get_ref().trim();
            if effective != "undated"
                && let Some((older, date)) =
                    versions.iter().find(|(_, e)| e.as_str() != "undated" && e.as_str() < effective)
            {
                cx.at(
                    d.effective.span().start,
                    format!(
                        "documents are declared newest first: {file:?} ({effective}) comes after {older:?} \
                         ({date}), which is older"
                    ),
                );
            }
            versions.push((file.clone(), effective.to_string()));
            set.documents.push(Document {
                file,
                title: d.title.get_ref().trim().to_string(),
                effective: d.effective.get_ref().trim().to_string(),
                applies_to: d.applies_to.as_ref().map(|a| a.get_ref().trim().to_string()),
                headings: d.headings.iter().map(|h| h.get_ref().trim().to_string()).collect(),
                subheadings: d.subheadings.iter().map(|h| h.get_ref().trim().to_string()).collect(),
            });
        }
    }

    for (src, raw) in &parsed {
        let mut cx = Ctx { file: src.display_name(), text: &src.text, out: found };
        if !is_checklist_file(raw) {
            cx.out.declaration_files += 1;
            if raw.document.is_empty() && raw.scope.is_empty() && raw.retired.is_empty() {
                cx.at(
                    0,
                    "this file declares nothing: a checklist file has id, title, description, version and \
                     [[items]]; a declarations file has [[document]] or [[retired]] declarations",
                );
            }
            continue;
        }
        // Where to point at a missing top-level field: the id, else the first item.
        let anchor = raw
            .id
            .as_ref()
            .map(|i| i.span().start)
            .or_else(|| raw.items.first().map(|i| i.id.span().start))
            .or_else(|| raw.title.as_ref().map(|t| t.span().start))
            .unwrap_or(0);
        for (field, present) in [
            ("id", raw.id.is_some()),
            ("title", raw.title.is_some()),
            ("description", raw.description.is_some()),
            ("version", raw.version.is_some()),
        ] {
            if !present {
                cx.at(
                    anchor,
                    format!(
                        "this checklist file has no `{field}`: a file with [[items]] needs id, title, description \
                         and version at the top (only a declarations file, with no items, goes without)"
                    ),
                );
            }
        }
        let cid = raw.id.as_ref().map(|i| i.get_ref().clone()).unwrap_or_default();
        if let Some(id) = &raw.id {
            if !valid_id(&cid, false) {
                cx.at(id.span().start, format!("checklist id {cid:?} must be lower-case letters, digits and '-'"));
            }
            if let Some(prev) = checklist_ids.insert(cid.clone(), (*src, id.span().start)) {
                let prev = first_defined(prev);
                cx.at(id.span().start, format!("duplicate checklist id {cid:?} (first defined at {prev})"));
            }
            if raw.items.is_empty() {
                cx.at(id.span().start, format!("checklist {cid:?} has no items (add at least one [[items]])"));
            }
        }
        if let Some(t) = &raw.title {
            cx.nonempty(t, "title");
        }
        if let Some(d) = &raw.description {
            cx.nonempty(d, "description");
        }
        if let Some(v) = &raw.version
            && (*v.get_ref() < 1 || *v.get_ref() > i64::from(u32::MAX))
        {
            cx.at(v.span().start, "version must be a positive integer");
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
            for r in &it.replaces {
                let old = r.get_ref().trim();
                if !valid_id(old, true) {
                    cx.at(
                        r.span().start,
                        format!("replaced id {old:?} must be lower-case letters, digits, '-' and '.'"),
                    );
                } else if old == id {
                    cx.at(r.span().start, format!("item {id:?} replaces itself: delete {old:?} from its replaces"));
                } else if let Some((psrc, poff, by)) = replaced.get(old) {
                    let prev = first_defined((psrc, *poff));
                    cx.at(
                        r.span().start,
                        format!("{old:?} is replaced by two items, {by:?} (at {prev}) and {id:?}: keep one"),
                    );
                } else {
                    replaced.insert(old.to_string(), (*src, r.span().start, id.clone()));
                    replaces_at.push((*src, r, id.as_str()));
                }
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
                let heading_ok = if docs.is_empty() {
                    false
                } else {
                    check_citation_document(&mut cx, &docs, &mut legacy, &mut texts, id, c)
                };
                for policy in policies {
                    check_quote(&mut cx, policy, &mut texts, id, c);
                }
                if heading_ok {
                    check_under_heading(&mut cx, &mut texts, id, c);
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
                replaces: it.replaces.iter().map(|r| r.get_ref().trim().to_string()).collect(),
            });
        }
        set.checklists.push(Checklist {
            id: cid.clone(),
            title: raw.title.as_ref().map_or("", |t| t.get_ref().trim()).to_string(),
            description: raw.description.as_ref().map_or("", |d| d.get_ref().trim()).to_string(),
            version: raw.version.as_ref().map_or(0, |v| u32::try_from(*v.get_ref()).unwrap_or(0)),
            origin: src.origin.clone(),
            items,
        });
    }

    // A replaced or retired id must be gone from the set, and not both.
    for (src, r, by) in &replaces_at {
        let old = r.get_ref().trim();
        let mut cx = Ctx { file: src.display_name(), text: &src.text, out: found };
        if let Some(live) = item_ids.get(old) {
            let at = first_defined(*live);
            cx.at(
                r.span().start,
                format!(
                    "item {by:?} replaces {old:?}, which is still an item (at {at}): remove that item, or {old:?} \
                     from replaces"
                ),
            );
        }
        if let Some(ret) = retired.get(old) {
            let at = first_defined(*ret);
            cx.at(r.span().start, format!("{old:?} is both replaced by {by:?} and retired (at {at}): keep one"));
        }
    }
    for r in set.retired.clone() {
        let Some(&(src, offset)) = retired.get(&r.id) else { continue };
        if let Some(live) = item_ids.get(&r.id) {
            let at = first_defined(*live);
            let mut cx = Ctx { file: src.display_name(), text: &src.text, out: found };
            cx.at(
                offset,
                format!("retired id {:?} is still an item (at {at}): remove the item, or its [[retired]] entry", r.id),
            );
        }
    }

    if coverage
        && let Some(dir) = policies.iter().find_map(|p| if let PolicyCheck::Dir(d) = p { Some(d) } else { None })
    {
        let mut cov = Coverage::default();
        for d in &set.documents {
            let Some((src, decl)) = docs.get(&d.file) else { continue };
            let Some(outline) = texts.outlines.get(&d.file).cloned() else { continue };
            let Some(text) = texts.in_dir(dir, &d.file) else { continue };
            let path = dir.join(&d.file).display().to_string();
            let doc = coverage::document(&set, src, decl, text, &outline, &path, &mut cov.problems);
            cov.documents.push(doc);
        }
        found.coverage = Some(cov);
    }

    // A legacy label no citation uses any more: the transition is over for it.
    for ((doc, label), used) in &legacy {
        if *used {
            continue;
        }
        let Some((src, d)) = docs.get(doc) else { continue };
        let Some(entry) = d.legacy_sections.iter().find(|l| l.get_ref() == label) else { continue };
        let mut cx = Ctx { file: src.display_name(), text: &src.text, out: found };
        cx.at(
            entry.span().start,
            format!("legacy section {label:?} of {doc} is cited by no item any more: delete it from legacy_sections"),
        );
    }
    set
}

/// The checks of one `[[document]]` declaration, and (with its text) that every heading is
/// a whole line of it, in order.
fn check_document(cx: &mut Ctx<'_>, d: &DocumentEntry, texts: &mut Texts<'_>) {
    let file = d.file.get_ref().trim();
    cx.nonempty(&d.file, "document file");
    if !file.is_empty() && Path::new(file).file_name().is_none_or(|n| n != file) {
        cx.at(d.file.span().start, format!("document file {file:?} must be a file name, without a directory"));
    }
    cx.nonempty(&d.title, &format!("title of document {file:?}"));
    if !valid_effective(d.effective.get_ref()) {
        cx.at(
            d.effective.span().start,
            format!("effective {:?} must be YYYY-MM-DD, YYYY-MM or \"undated\"", d.effective.get_ref()),
        );
    }
    if let Some(a) = &d.applies_to {
        cx.nonempty(a, &format!("applies_to of document {file:?}"));
    }
    if d.headings.is_empty() {
        cx.at(
            d.file.span().start,
            format!("document {file:?} declares no headings: list them in headings = [...], in document order"),
        );
    }
    for e in &d.exclude {
        cx.nonempty(&e.sentence, &format!("excluded sentence of document {file:?}"));
        cx.nonempty(&e.reason, &format!("reason for excluding a sentence of document {file:?}"));
    }
    let mut seen = std::collections::BTreeSet::new();
    for h in d.headings.iter().chain(&d.subheadings) {
        cx.nonempty(h, &format!("heading of document {file:?}"));
        if !seen.insert(h.get_ref().trim()) {
            cx.at(h.span().start, format!("heading {:?} of document {file:?} is listed twice", h.get_ref()));
        }
    }
    for p in texts.policies {
        if let PolicyCheck::Dir(dir) = p
            && texts.in_dir(dir, file).is_none()
        {
            cx.at(
                d.file.span().start,
                format!("declared document {file:?} is not in {} (or cannot be read)", dir.display()),
            );
        }
    }
    let headings: Vec<String> = d.headings.iter().map(|h| h.get_ref().trim().to_string()).collect();
    let subheadings: Vec<String> = d.subheadings.iter().map(|h| h.get_ref().trim().to_string()).collect();
    let Some(text) = texts.of_document(file) else { return };
    let outline = Outline::find(text, &headings, &subheadings);
    for &(sub, i) in &outline.missing {
        let (list, what, previous) = if sub {
            (&d.subheadings, "sub-heading", "the sub-heading before it")
        } else {
            (&d.headings, "heading", "the heading before it")
        };
        let h = &list[i];
        cx.at(
            h.span().start,
            format!(
                "{what} {:?} is not a whole line of {file} after {previous}: list the headings in document order, \
                 each exactly as its line reads (or as the text of a line that is a Markdown link)",
                h.get_ref()
            ),
        );
    }
    texts.outlines.insert(file.to_string(), outline);
}

/// A citation of a set that declares documents: its document is declared, its effective
/// date is the declaration's, its section one of the document's headings (or a legacy
/// label, with a warning). True when the section is a heading (the quote can then be
/// checked to stand under it).
fn check_citation_document(
    cx: &mut Ctx<'_>,
    docs: &BTreeMap<String, (&SourceFile, &DocumentEntry)>,
    legacy: &mut BTreeMap<(String, String), bool>,
    texts: &mut Texts<'_>,
    item: &str,
    c: &CiteEntry,
) -> bool {
    let doc = c.document.get_ref().trim();
    let Some((dsrc, d)) = docs.get(doc) else {
        let declared = docs.keys().map(String::as_str).collect::<Vec<_>>().join(", ");
        cx.at(
            c.document.span().start,
            format!(
                "item {item:?} cites {doc:?}, which no [[document]] declares: cite one of {declared}, or declare it"
            ),
        );
        return false;
    };
    let at = |offset: usize| format!("{}:{}", dsrc.display_name(), line_col(&dsrc.text, offset).0);
    let effective = c.effective.get_ref().trim();
    if effective != d.effective.get_ref().trim() {
        cx.at(
            c.effective.span().start,
            format!(
                "item {item:?}: effective {effective:?} is not that of {doc}, declared effective {:?} (at {}): write {:?}",
                d.effective.get_ref(),
                at(d.effective.span().start),
                d.effective.get_ref()
            ),
        );
    }
    let section = c.section.get_ref().trim();
    if d.headings.iter().chain(&d.subheadings).any(|h| h.get_ref().trim() == section) {
        return true;
    }
    let subs = if d.subheadings.is_empty() {
        String::new()
    } else {
        format!("; its sub-headings: {}", quoted_list(&d.subheadings))
    };
    // With the text: where the quote really stands.
    let outline = texts.outlines.get(doc).cloned();
    let fix = match (outline, texts.of_document(doc)) {
        (Some(outline), Some(text)) => {
            let quote = normalise_for_quote(c.quote.get_ref());
            match policy_text::stands_under(text, &outline, "", &quote) {
                Err(Some((label, line))) => {
                    format!("its quote stands under {label} ({doc}:{}): cite that; the headings are", line + 1)
                }
                _ => "cite the heading its quote stands under, one of".to_string(),
            }
        }
        _ => "cite the heading its quote stands under, one of".to_string(),
    };
    let headings = quoted_list(&d.headings);
    if let Some(used) = legacy.get_mut(&(doc.to_string(), section.to_string())) {
        *used = true;
        cx.warn(
            c.section.span().start,
            format!(
                "item {item:?}: section {section:?} is not a heading of {doc} (accepted for now: it is in its \
                 legacy_sections); {fix} {headings}{subs}"
            ),
        );
        return false;
    }
    cx.at(
        c.section.span().start,
        format!(
            "item {item:?}: section {section:?} is not a heading of {doc} (declared at {}); {fix} {headings}{subs}",
            at(d.file.span().start)
        ),
    );
    false
}

/// With the cited document's text: the quote stands under the heading the citation names.
fn check_under_heading(cx: &mut Ctx<'_>, texts: &mut Texts<'_>, item: &str, c: &CiteEntry) {
    let doc = c.document.get_ref().trim();
    let Some(outline) = texts.outlines.get(doc).cloned() else { return };
    let Some(text) = texts.of_document(doc) else { return };
    let section = c.section.get_ref().trim();
    let quote = normalise_for_quote(c.quote.get_ref());
    if let Err(Some((label, line))) = policy_text::stands_under(text, &outline, section, &quote) {
        cx.at(
            c.quote.span().start,
            format!(
                "item {item:?}: the quote does not stand under {section:?} in {doc}: it stands under {label} \
                 ({doc}:{}); cite that heading",
                line + 1
            ),
        );
    }
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

fn check_quote(cx: &mut Ctx<'_>, policy: &PolicyCheck, texts: &mut Texts<'_>, item: &str, c: &CiteEntry) {
    let quote = normalise_for_quote(c.quote.get_ref());
    match policy {
        PolicyCheck::Text { name, text } => {
            if !texts.given(name, text).norm.contains(&quote) {
                cx.at(
                    c.quote.span().start,
                    format!("item {item:?}: quote (cited from {}) is not in {name}", c.document.get_ref()),
                );
            }
        }
        PolicyCheck::Dir(dir) => {
            let doc = c.document.get_ref();
            match texts.in_dir(dir, doc) {
                None => cx.at(
                    c.document.span().start,
                    format!("item {item:?}: cited document {doc:?} is not in {}", dir.display()),
                ),
                Some(text) if !text.norm.contains(&quote) => {
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
    // Every type of the schema, as the generated code names them.
    #[allow(clippy::wildcard_imports)]
    use crate::store::schema::checklist::*;
    include!(concat!(env!("OUT_DIR"), "/builtin_parsed.rs"))
}

/// The built-in set: the files `build.rs` parsed, checked and converted as any checklist
/// files are (without parsing their TOML again). The test suite lints them clean.
pub fn builtin() -> ChecklistSet {
    let sources = builtin_sources();
    let parsed = builtin_parsed();
    let mut found = Found::default();
    let set = check(sources.iter().zip(&parsed).collect(), &[], false, &mut found);
    if let Some(d) = found.problems.first() {
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
        let want = [
            "a.toml:6:1: unknown field `colour`, expected one of `id`, `title`, `description`, `version`, `scope`,",
            "a.toml:10:12: invalid type: integer `7`, expected a string",
            "a.toml:16:12: unknown variant `urgent`, expected one of `low`, `medium`, `high`, `critical`",
            "a.toml:25:1: missing field `guidance`: add it to this table (until then the table is left out of the other checks)",
        ];
        assert_eq!(m.len(), want.len(), "the empty scope question left by the wrong type is not reported again: {m:?}");
        for (m, want) in m.iter().zip(want) {
            assert!(m.starts_with(want), "{m}\nis not\n{want}");
        }
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

    const DECL: &str = r#"
[[document]]
file = "p.txt"
title = "P"
effective = "2020-02-27"
applies_to = "the web site"
headings = ["A", "B. SECOND"]
subheadings = ["Sub"]

[[document]]
file = "q.txt"
title = "Q"
effective = "undated"
headings = ["Only"]
"#;

    const P_TXT: &str = "Source: a note\nA\nIntro.\nSub\nWe keep\n\"promises\". End\n[B. SECOND](#)\nWe may change.\n";

    #[test]
    fn a_declarations_file_declares_the_documents_in_order() {
        let set = load(&[src("00-policy.toml", DECL), src("a.toml", GOOD)]).unwrap();
        assert_eq!(set.checklists.len(), 1, "a declarations file is no checklist");
        let files: Vec<&str> = set.documents.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(files, ["p.txt", "q.txt"]);
        let p = set.document("p.txt").unwrap();
        assert_eq!(p.applies_to.as_deref(), Some("the web site"));
        assert_eq!(p.headings, ["A", "B. SECOND"]);
        assert!(p.has_heading("Sub") && !p.has_heading("Old label"));
        let l = lint(&[src("00-policy.toml", DECL), src("a.toml", GOOD)], None);
        assert_eq!(l.declaration_files, 1);
        let m = messages(&lint(&[src("00-policy.toml", "# nothing\n")], None));
        assert!(m[0].starts_with("00-policy.toml:1:1: this file declares nothing"), "{m:?}");
    }

    #[test]
    fn a_file_with_items_needs_its_id_title_description_and_version() {
        let text = GOOD.replace("id = \"area\"\n", "").replace("version = 1\n", "");
        let m = messages(&lint(&[src("a.toml", &text)], None));
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].starts_with("a.toml:10:6: this checklist file has no `id`: a file with [[items]] needs"), "{m:?}");
        assert!(m[1].starts_with("a.toml:10:6: this checklist file has no `version`"), "{m:?}");
    }

    #[test]
    fn citations_name_a_declared_document_its_date_and_one_of_its_headings() {
        let files = |good: &str| vec![src("00-policy.toml", DECL), src("a.toml", good)];
        assert!(lint(&files(GOOD), None).diagnostics.is_empty());
        let m = messages(&lint(&files(&GOOD.replace("\"p.txt\"", "\"r.txt\"")), None));
        assert_eq!(
            m,
            [
                "a.toml:19:12: item \"area.one\" cites \"r.txt\", which no [[document]] declares: cite one of p.txt, q.txt, or declare it"
            ]
        );
        let m = messages(&lint(&files(&GOOD.replace("\"2020-02-27\"", "\"2020-02\"")), None));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].starts_with("a.toml:20:13: item \"area.one\": effective \"2020-02\" is not that of p.txt, declared effective \"2020-02-27\" (at 00-policy.toml:5): write"), "{m:?}");
        let m = messages(&lint(&files(&GOOD.replace("section = \"A\"", "section = \"A. FIRST\"")), None));
        assert_eq!(
            m,
            [
                "a.toml:21:11: item \"area.one\": section \"A. FIRST\" is not a heading of p.txt (declared at 00-policy.toml:3); \
              cite the heading its quote stands under, one of \"A\", \"B. SECOND\"; its sub-headings: \"Sub\""
            ]
        );
        // A set that declares no document does not check sections.
        assert!(
            lint(&[src("a.toml", &GOOD.replace("section = \"A\"", "section = \"Anything\""))], None)
                .diagnostics
                .is_empty()
        );
    }

    #[test]
    fn a_legacy_label_is_a_warning_until_no_citation_uses_it() {
        let decl =
            DECL.replace("subheadings = [\"Sub\"]", "subheadings = [\"Sub\"]\nlegacy_sections = [\"Old label\"]");
        let old = GOOD.replace("section = \"A\"", "section = \"Old label\"");
        let l = lint(&[src("00-policy.toml", &decl), src("a.toml", &old)], None);
        assert!(l.diagnostics.is_empty() && l.set.is_some(), "{:?}", l.diagnostics);
        assert_eq!(l.warnings.len(), 1);
        assert!(l.warnings[0].to_string().starts_with("a.toml:21:11: warning: item \"area.one\": section \"Old label\" is not a heading of p.txt (accepted for now"), "{}", l.warnings[0]);
        let m = messages(&lint(&[src("00-policy.toml", &decl), src("a.toml", GOOD)], None));
        assert_eq!(
            m,
            [
                "00-policy.toml:9:20: legacy section \"Old label\" of p.txt is cited by no item any more: delete it from legacy_sections"
            ]
        );
    }

    #[test]
    fn with_the_text_headings_are_whole_lines_and_quotes_stand_under_theirs() {
        let policy = PolicyCheck::Text { name: "policies/p.txt".into(), text: P_TXT.into() };
        let files = |decl: &str, good: &str| vec![src("00-policy.toml", decl), src("a.toml", good)];
        assert_eq!(messages(&lint(&files(DECL, GOOD), Some(&policy))), Vec::<String>::new());
        // Under the sub-heading: the sub-heading or the heading above it may be cited.
        let sub = GOOD.replace("section = \"A\"", "section = \"Sub\"");
        assert_eq!(messages(&lint(&files(DECL, &sub), Some(&policy))), Vec::<String>::new());
        let wrong = GOOD.replace("section = \"A\"", "section = \"B. SECOND\"");
        assert_eq!(
            messages(&lint(&files(DECL, &wrong), Some(&policy))),
            [
                "a.toml:22:9: item \"area.one\": the quote does not stand under \"B. SECOND\" in p.txt: it stands under \"A\" \
              (sub-heading \"Sub\") (p.txt:5); cite that heading"
            ]
        );
        let misnamed = DECL.replace("[\"A\", \"B. SECOND\"]", "[\"A\", \"B. SECOND.\"]");
        let m = messages(&lint(&files(&misnamed, GOOD), Some(&policy)));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with(
                "00-policy.toml:7:18: heading \"B. SECOND.\" is not a whole line of p.txt after the heading before it"
            ),
            "{m:?}"
        );
        // A text of another file name (a new version, say) is no text of p.txt: its quotes
        // are looked for, its headings are not checked.
        let other = PolicyCheck::Text { name: "new.txt".into(), text: P_TXT.into() };
        assert_eq!(messages(&lint(&files(DECL, &wrong), Some(&other))), Vec::<String>::new());
    }

    #[test]
    fn replaced_and_retired_ids_are_gone_from_the_set() {
        let retire = "[[retired]]\nid = \"area.old\"\nreason = \"merged into area.one\"\n";
        let replacing = GOOD.replace("scope = [\"eea\"]", "scope = [\"eea\"]\nreplaces = [\"area.older\"]");
        let set = load(&[src("00-policy.toml", retire), src("a.toml", &replacing)]).unwrap();
        assert_eq!(set.retirement("area.old").unwrap().reason, "merged into area.one");
        assert_eq!(set.replacement("area.older").unwrap().id, "area.one");
        assert!(set.replacement("area.one").is_none());

        let live = GOOD.replace("scope = [\"eea\"]", "scope = [\"eea\"]\nreplaces = [\"area.one\", \"area.two\"]");
        let two = "\n[[items]]\nid = \"area.two\"\nquestion = \"Q?\"\nguidance = \"G.\"\nseverity = \"low\"\nlegal = [\"x\"]\n";
        let m = messages(&lint(
            &[src("00-policy.toml", &retire.replace("area.old", "area.two")), src("a.toml", &(live + two))],
            None,
        ));
        assert_eq!(
            m,
            [
                "00-policy.toml:2:6: retired id \"area.two\" is still an item (at a.toml:26): remove the item, or its [[retired]] entry",
                "a.toml:17:13: item \"area.one\" replaces itself: delete \"area.one\" from its replaces",
                "a.toml:17:25: item \"area.one\" replaces \"area.two\", which is still an item (at a.toml:26): remove that item, or \"area.two\" from replaces",
                "a.toml:17:25: \"area.two\" is both replaced by \"area.one\" and retired (at 00-policy.toml:2): keep one",
            ]
        );
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
