//! The checklist file format as written: the one definition of what a checklist file may
//! say. The run-time lint reads files into these types, and `build.rs` includes this file
//! (with `#[path]`) to parse the built-in checklists when privcheck is built and embed them
//! already parsed, as Rust code that builds these same values.
//!
//! Every field keeps where it was written (a [`Spanned`]) so the lint can point at it; what
//! the values mean (valid ids, known scopes, dates) is checked in `store::checklist_file`,
//! which turns them into `model::checklist`. Adding a field: add it here, to the model, and
//! to the conversion in `store::checklist_file`; say in the field's comment whether it
//! enters the item digest (`model::digest`).

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// One checklist file: an area of obligations, with its items and the scope questions it
/// declares; or a declarations-only file (no `id`, no items): the set's documents.
///
/// `id`, `title`, `description` and `version` are optional here only for declarations-only
/// files: the lint requires all four in a file with items (with a position).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistFile {
    #[serde(default)]
    pub id: Option<Spanned<String>>,
    #[serde(default)]
    pub title: Option<Spanned<String>>,
    #[serde(default)]
    pub description: Option<Spanned<String>>,
    #[serde(default)]
    pub version: Option<Spanned<i64>>,
    #[serde(default)]
    pub scope: Vec<ScopeEntry>,
    #[serde(default)]
    pub items: Vec<ItemEntry>,
    /// `[[document]]`: the published policy versions the set's citations may cite. Not in
    /// any item digest (a citation's own fields are).
    #[serde(default)]
    pub document: Vec<DocumentEntry>,
    /// `[[retired]]`: item ids the set no longer has, on purpose: answers to them are
    /// dropped when a results file is read. Not in any item digest.
    #[serde(default)]
    pub retired: Vec<RetiredEntry>,
}

/// `[[retired]]`: an item removed from the set (not merged into another: that is `replaces`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RetiredEntry {
    pub id: Spanned<String>,
    /// Why it went (shown when its answers are dropped).
    pub reason: Spanned<String>,
}

/// `[[document]]`: a published version of the policy, by the file name of its text.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentEntry {
    /// The text's file name, as citations name it (`alibaba-com-2020-02-27.txt`).
    pub file: Spanned<String>,
    pub title: Spanned<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `undated`; citations of the document must say the same.
    pub effective: Spanned<String>,
    /// What the text covers when it is not the whole product.
    #[serde(default)]
    pub applies_to: Option<Spanned<String>>,
    /// The document's headings in document order, each an exact whole line of the text (or
    /// a line that is a Markdown link to it, `[H. HOW TO CONTACT US](#)`).
    pub headings: Vec<Spanned<String>>,
    /// Headings within a heading's section, in document order, each a whole line too.
    #[serde(default)]
    pub subheadings: Vec<Spanned<String>>,
    /// Section labels still cited that are not headings (a transition: each use is a
    /// warning, not a problem; an entry no citation uses is a problem). Lint only.
    #[serde(default)]
    pub legacy_sections: Vec<Spanned<String>>,
    /// `[[document.exclude]]`: promise-bearing sentences deliberately left uncited, each
    /// with its reason (`privcheck lint --coverage`). Lint only.
    #[serde(default)]
    pub exclude: Vec<ExcludeEntry>,
}

/// `[[document.exclude]]`: a sentence of the document no item cites, on purpose.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExcludeEntry {
    /// A verbatim piece of the sentence (at least 30 characters of it, or all of it).
    pub sentence: Spanned<String>,
    /// Why no item tests it.
    pub reason: Spanned<String>,
}

/// `[[scope]]`: a yes/no question that decides which items apply.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeEntry {
    pub id: Spanned<String>,
    pub question: Spanned<String>,
    #[serde(default)]
    pub help: Option<Spanned<String>>,
}

/// `[[items]]`: one control a reviewer answers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ItemEntry {
    pub id: Spanned<String>,
    pub question: Spanned<String>,
    pub guidance: Spanned<String>,
    /// `low`, `medium`, `high` or `critical`.
    pub severity: Spanned<String>,
    #[serde(default)]
    pub scope: Vec<Spanned<String>>,
    #[serde(default)]
    pub legal: Vec<Spanned<String>>,
    #[serde(default)]
    pub cite: Vec<CiteEntry>,
    /// Ids of items this one replaces (merged into it, or renamed): an answer to one of
    /// them is read as an answer to this item (stale, as its digest is the old item's).
    /// Not in the item digest: it changes nothing a reviewer answers.
    #[serde(default)]
    pub replaces: Vec<Spanned<String>>,
}

/// `[[items.cite]]`: the clause of a policy document an item comes from.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CiteEntry {
    pub document: Spanned<String>,
    pub effective: Spanned<String>,
    pub section: Spanned<String>,
    pub quote: Spanned<String>,
}

/// How the code `build.rs` writes builds a value of these types from a literal: every
/// string, number and flag is written `Lit::lit(...)`, and the field's type decides what
/// it becomes (a plain value, or a [`Spanned`] one with an empty span).
pub trait Lit<T> {
    fn lit(value: T) -> Self;
}

impl Lit<&str> for String {
    fn lit(value: &str) -> Self {
        value.to_string()
    }
}

impl Lit<i64> for i64 {
    fn lit(value: i64) -> Self {
        value
    }
}

impl Lit<bool> for bool {
    fn lit(value: bool) -> Self {
        value
    }
}

impl<V, T: Lit<V>> Lit<V> for Spanned<T> {
    fn lit(value: V) -> Self {
        Spanned::new(0..0, T::lit(value))
    }
}
