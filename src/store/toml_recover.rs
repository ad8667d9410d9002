//! Typed TOML parsing that finds every schema error of a file, not only the first.
//!
//! serde stops at the first error (an unknown field, a value of the wrong type, a missing
//! field). To report them all in one run, the document is parsed once into `toml`'s
//! span-carrying tree ([`DeTable`]) and read from it (a clean file: once, without a copy);
//! after each error, the offending node is taken out of
//! the tree or replaced by a neutral value of the expected type, and the typed parse runs
//! again, up to [`MAX_ERRORS`] times. Every other node keeps its span, so every position
//! reported (and every span of the value finally parsed) is where it is in the text.
//!
//! What is done after each kind of error:
//! - an unknown field: the key and its value are removed;
//! - a value of the wrong type (`expected a string`, `i64`, `a sequence`): the value is
//!   replaced by an empty string, 0 or an empty array, keeping its span (the semantic checks
//!   that then find it empty report at the same position, and the lint drops those
//!   repeats), otherwise removed;
//! - a missing field: the table that lacks it is removed (an `[[items]]` entry, say); its
//!   other schema errors were reported before serde noticed the missing field.
//!
//! Syntax errors stop the typed parse: they are all reported (`toml`'s recovering parser,
//! one per line, as later errors on a line are usually consequences of the first), and the
//! file gets no further checks.

use serde::de::DeserializeOwned;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

/// At most this many schema errors are reported for one file.
pub const MAX_ERRORS: usize = 50;

/// One problem, at a byte offset of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub offset: usize,
    pub message: String,
}

/// What parsing one file found: the typed value when the file could be read past its schema
/// errors (with the offending nodes left out), and every error.
pub struct Parsed<T> {
    pub value: Option<T>,
    pub errors: Vec<Located>,
    /// Where the string values are in the text, when it is valid TOML (for checks on the
    /// written form, such as escapes in strings).
    pub string_spans: Option<Vec<Range<usize>>>,
}

/// Parses `text` as a `T`, collecting every schema error; see the module comment.
pub fn parse<T: DeserializeOwned>(text: &str) -> Parsed<T> {
    let (tree, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        let mut errors: Vec<Located> = Vec::new();
        let mut lines_seen = std::collections::BTreeSet::new();
        for e in syntax {
            let offset = e.span().map_or(0, |s| s.start);
            let line = text.get(..offset.min(text.len())).map_or(0, |b| b.matches('\n').count());
            if lines_seen.insert(line) && errors.len() < MAX_ERRORS {
                errors.push(Located { offset, message: e.message().trim().to_string() });
            }
        }
        return Parsed { value: None, errors, string_spans: None };
    }
    let mut spans = Vec::new();
    strings(tree.get_ref(), &mut spans);
    let string_spans = Some(spans.into_iter().map(|(span, _)| span).collect());
    // The common case, a clean file: straight from the tree, without a copy.
    let first = match T::deserialize(toml::de::Deserializer::from(tree)) {
        Ok(value) => return Parsed { value: Some(value), errors: Vec::new(), string_spans },
        Err(e) => e,
    };
    // The tree again, to take the offending nodes out of one by one.
    let (mut work, _) = DeTable::parse_recoverable(text);
    let mut errors = Vec::new();
    let mut last: Option<Range<usize>> = None;
    let mut next = Some(first);
    while let Some(e) = next.take() {
        let message = e.message().trim().to_string();
        let span = e.span();
        let said = if message.starts_with("missing field") {
            format!("{message}: add it to this table (until then the table is left out of the other checks)")
        } else {
            message.clone()
        };
        errors.push(Located { offset: span.as_ref().map_or(0, |s| s.start), message: said });
        let fixable = span.as_ref().is_some_and(|s| *s != work.span() && last.as_ref() != Some(s));
        let Some(span) = span.filter(|_| fixable) else { break };
        if errors.len() >= MAX_ERRORS || !repair(work.get_mut(), &span, &message) {
            break;
        }
        last = Some(span);
        match T::deserialize(toml::de::Deserializer::from(work.clone())) {
            Ok(value) => return Parsed { value: Some(value), errors, string_spans },
            Err(e) => next = Some(e),
        }
    }
    if errors.len() >= MAX_ERRORS {
        let offset = errors.last().map_or(0, |e| e.offset);
        errors.push(Located {
            offset,
            message: format!("more than {MAX_ERRORS} errors in this file: fix these and run the lint again"),
        });
    }
    Parsed { value: None, errors, string_spans }
}

/// The neutral value replacing one of the wrong type, from serde's "expected ..." wording.
fn placeholder<'a>(message: &str) -> Option<DeValue<'a>> {
    let expected = message.rsplit("expected ").next()?;
    match expected.trim() {
        "a string" => Some(DeValue::String(std::borrow::Cow::Borrowed(""))),
        "i64" => Some(DeValue::Integer(Default::default())),
        "a sequence" => Some(DeValue::Array(DeArray::new())),
        _ => None,
    }
}

/// Takes the node at `span` out of the tree (or replaces it); false when there is none.
/// Depth first, so that the innermost node with that span is the one repaired (an array
/// of tables has the span of its first table's header).
fn repair(table: &mut DeTable<'_>, span: &Range<usize>, message: &str) -> bool {
    let missing = message.starts_with("missing field");
    let mut remove = None;
    for (k, v) in table.iter_mut() {
        if repair_value(v, span, message) {
            return true;
        }
        if k.span() == *span {
            remove = Some(k.get_ref().to_string());
            break;
        }
        if v.span() == *span {
            if !missing && let Some(p) = placeholder(message) {
                *v.get_mut() = p;
                return true;
            }
            remove = Some(k.get_ref().to_string());
            break;
        }
    }
    match remove {
        Some(key) => table.remove(key.as_str()).is_some(),
        None => false,
    }
}

fn repair_value(v: &mut Spanned<DeValue<'_>>, span: &Range<usize>, message: &str) -> bool {
    match v.get_mut() {
        DeValue::Table(t) => repair(t, span, message),
        DeValue::Array(a) => {
            for e in a.iter_mut() {
                if repair_value(e, span, message) {
                    return true;
                }
            }
            let Some(i) = a.iter().position(|e| e.span() == *span) else { return false };
            if !message.starts_with("missing field")
                && let Some(p) = placeholder(message)
            {
                *a.as_mut()[i].get_mut() = p;
                return true;
            }
            let old = std::mem::replace(a, DeArray::new());
            *a = old.into_iter().enumerate().filter(|(j, _)| *j != i).map(|(_, e)| e).collect();
            true
        }
        _ => false,
    }
}

/// Every string value of the tree with its span (keys are not included), in no particular
/// order.
pub fn strings<'a>(table: &'a DeTable<'_>, out: &mut Vec<(Range<usize>, &'a str)>) {
    fn value<'a>(v: &'a Spanned<DeValue<'_>>, out: &mut Vec<(Range<usize>, &'a str)>) {
        match v.get_ref() {
            DeValue::String(s) => out.push((v.span(), s.as_ref())),
            DeValue::Array(a) => a.iter().for_each(|e| value(e, out)),
            DeValue::Table(t) => strings(t, out),
            _ => {}
        }
    }
    for (_, v) in table.iter() {
        value(v, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        id: Option<Spanned<String>>,
        version: Option<Spanned<i64>>,
        #[serde(default)]
        items: Vec<Entry>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Entry {
        id: Spanned<String>,
        question: Spanned<String>,
        #[serde(default)]
        scope: Vec<Spanned<String>>,
    }

    fn at(text: &str, e: &Located) -> (usize, usize, String) {
        let (l, c) = crate::diag::line_col(text, e.offset);
        (l, c, e.message.clone())
    }

    #[test]
    fn a_clean_file_parses_with_its_spans() {
        let text = "id = \"a\"\n[[items]]\nid = \"x\"\nquestion = \"q\"\n";
        let p = parse::<File>(text);
        assert!(p.errors.is_empty());
        let f = p.value.unwrap();
        assert_eq!(&text[f.items[0].question.span()], "\"q\"");
    }

    #[test]
    fn every_schema_error_is_found_in_one_run() {
        let text = "\
id = 1
version = \"2\"
colour = \"red\"

[[items]]
id = \"a\"
question = \"q\"
scope = [\"s\", 3]
extra = true

[[items]]
id = \"b\"

[[items]]
id = \"c\"
question = \"fine\"
";
        let p = parse::<File>(text);
        let mut got: Vec<_> = p.errors.iter().map(|e| at(text, e)).collect();
        got.sort();
        let want = [
            (1, 6, "invalid type: integer `1`, expected a string"),
            (2, 11, "invalid type: string \"2\", expected i64"),
            (3, 1, "unknown field `colour`, expected one of `id`, `version`, `items`"),
            (8, 15, "invalid type: integer `3`, expected a string"),
            (9, 1, "unknown field `extra`, expected one of `id`, `question`, `scope`"),
            (
                11,
                1,
                "missing field `question`: add it to this table (until then the table is left out of the other checks)",
            ),
        ];
        let want: Vec<_> = want.iter().map(|(l, c, m)| (*l, *c, m.to_string())).collect();
        assert_eq!(got, want);
        assert!(p.value.is_some(), "the rest of the file is read");
        let f = p.value.unwrap();
        assert_eq!(f.id.map(|i| i.into_inner()), Some(String::new()), "the id of the wrong type is now empty");
        assert_eq!(f.version.map(|v| v.into_inner()), Some(0));
        let ids: Vec<&str> = f.items.iter().map(|i| i.id.get_ref().as_str()).collect();
        assert_eq!(ids, ["a", "c"], "the item missing a field is left out");
        assert_eq!(f.items[0].scope.len(), 2);
        assert_eq!(&text[f.items[1].question.span()], "\"fine\"");
    }

    #[test]
    fn syntax_errors_are_reported_once_per_line_and_stop_the_typed_parse() {
        let text = "id = \nversion = 1\nx = \"open\n";
        let p = parse::<File>(text);
        assert!(p.value.is_none() && p.string_spans.is_none());
        let lines: Vec<usize> = p.errors.iter().map(|e| at(text, e).0).collect();
        assert_eq!(lines, [1, 3]);
    }

    #[test]
    fn too_many_errors_stop_at_the_limit() {
        let text: String = (0..80).map(|n| format!("k{n} = 1\n")).collect();
        let p = parse::<File>(&text);
        assert_eq!(p.errors.len(), MAX_ERRORS + 1);
        assert!(p.errors.last().unwrap().message.contains("more than 50 errors"));
    }
}
