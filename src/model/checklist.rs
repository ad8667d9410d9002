//! The checklist set: areas, items and scope questions, as the rest of privcheck sees them.
//!
//! These types are the validated form of the checklist files (see `store::checklist_file`
//! for the parsing and the lint). Nothing here knows about files or terminals.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::PathBuf;

/// How bad a failure of an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a checklist came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary; the file name under `checklists/`.
    BuiltIn(String),
    /// Read from a file.
    Path(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::BuiltIn(name) => write!(f, "built-in:{name}"),
            Origin::Path(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A citation of the policy: the clause an item comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub document: String,
    pub effective: String,
    pub section: String,
    pub quote: String,
}

/// One control a reviewer answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    /// Id of the checklist (area) the item belongs to.
    pub checklist: String,
    pub question: String,
    pub guidance: String,
    pub severity: Severity,
    /// Scope ids that must all be answered yes for the item to apply.
    pub scope: Vec<String>,
    pub legal: Vec<String>,
    pub cite: Vec<Citation>,
    /// Ids of items this one replaces: an answer to one of them is read as an answer to
    /// this item. Not in the digest.
    pub replaces: Vec<String>,
}

impl Item {
    /// A short digest of everything about the item that an answer depends on:
    /// id, question, guidance, severity, scope and citations (not `legal`, not
    /// `replaces`). Stable across releases: it is computed from a fixed JSON encoding of
    /// those fields.
    pub fn digest(&self) -> String {
        #[derive(Serialize)]
        struct Content<'a> {
            id: &'a str,
            question: &'a str,
            guidance: &'a str,
            severity: Severity,
            scope: &'a [String],
            cite: &'a [Citation],
        }
        let content = Content {
            id: &self.id,
            question: &self.question,
            guidance: &self.guidance,
            severity: self.severity,
            scope: &self.scope,
            cite: &self.cite,
        };
        let json = serde_json::to_vec(&content).expect("plain strings always serialise");
        let hash = Sha256::digest(&json);
        format!("sha256:{}", hex(&hash[..8]))
    }
}

/// Lower-case hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A yes/no question about the product that decides which items apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeQuestion {
    pub id: String,
    pub question: String,
    pub help: String,
    /// The checklist that declares it (empty when a declarations-only file does).
    pub checklist: String,
}

/// One obligation area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    pub id: String,
    pub title: String,
    pub description: String,
    pub version: u32,
    pub origin: Origin,
    pub items: Vec<Item>,
}

/// A published version of the policy, as the set declares it (`[[document]]`): the
/// documents citations may cite, and what the lint checks them against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The policy text's file name: what a citation's `document` says.
    pub file: String,
    pub title: String,
    /// `YYYY-MM-DD`, `YYYY-MM` or `undated`: what a citation's `effective` says.
    pub effective: String,
    /// What the text covers, when it is not the whole product (the 2014 text covers only the
    /// group's investor website).
    pub applies_to: Option<String>,
    /// The document's headings, in document order, each a whole line of its text: what a
    /// citation's `section` may say.
    pub headings: Vec<String>,
    /// Headings within a heading's section (`Your rights` within `I. VISITORS FROM THE
    /// EUROPEAN UNION`), in document order; a citation may name one of these too.
    pub subheadings: Vec<String>,
}

impl Document {
    /// Is `section` one of this document's headings or sub-headings?
    pub fn has_heading(&self, section: &str) -> bool {
        self.headings.iter().chain(&self.subheadings).any(|h| h == section)
    }
}

/// The active set of checklists, in review order, with the scope questions they declare.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChecklistSet {
    pub checklists: Vec<Checklist>,
    pub scope: Vec<ScopeQuestion>,
    /// The published policy versions the set declares, in declaration order (the built-in
    /// set: newest first). Empty for a set that declares none: its sections are not checked.
    pub documents: Vec<Document>,
    /// Item ids removed from the set on purpose (`[[retired]]`), in declaration order.
    pub retired: Vec<Retired>,
}

/// An item id the set no longer has, on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retired {
    pub id: String,
    pub reason: String,
}

impl ChecklistSet {
    /// Every item, in review order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.checklists.iter().flat_map(|c| c.items.iter())
    }

    pub fn item_count(&self) -> usize {
        self.checklists.iter().map(|c| c.items.len()).sum()
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items().find(|i| i.id == id)
    }

    pub fn checklist(&self, id: &str) -> Option<&Checklist> {
        self.checklists.iter().find(|c| c.id == id)
    }

    pub fn scope_question(&self, id: &str) -> Option<&ScopeQuestion> {
        self.scope.iter().find(|q| q.id == id)
    }

    /// The declared document with this file name.
    pub fn document(&self, file: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.file == file)
    }

    /// The item that replaces the (no longer live) item id `old`, if one does.
    pub fn replacement(&self, old: &str) -> Option<&Item> {
        self.items().find(|i| i.replaces.iter().any(|r| r == old))
    }

    /// The retirement of item id `id`, if the set retired it.
    pub fn retirement(&self, id: &str) -> Option<&Retired> {
        self.retired.iter().find(|r| r.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> Item {
        Item {
            id: "a.one".into(),
            checklist: "a".into(),
            question: "Q?".into(),
            guidance: "G".into(),
            severity: Severity::High,
            scope: vec![],
            legal: vec!["GDPR Art. 32".into()],
            cite: vec![Citation {
                document: "p.txt".into(),
                effective: "2020-02-27".into(),
                section: "G".into(),
                quote: "q".into(),
            }],
            replaces: vec![],
        }
    }

    #[test]
    fn digest_is_stable_and_short() {
        let d = item().digest();
        assert!(d.starts_with("sha256:"));
        assert_eq!(d.len(), "sha256:".len() + 16);
        assert_eq!(d, item().digest());
    }

    #[test]
    fn digest_changes_with_answer_relevant_content_only() {
        let base = item().digest();
        let mut q = item();
        q.question.push('!');
        assert_ne!(q.digest(), base);
        let mut c = item();
        c.cite[0].quote.push('!');
        assert_ne!(c.digest(), base);
        let mut g = item();
        g.guidance.push('!');
        assert_ne!(g.digest(), base);
        let mut l = item();
        l.legal.clear();
        assert_eq!(l.digest(), base, "legal references do not change what was answered");
        let mut r = item();
        r.replaces.push("a.old".into());
        assert_eq!(r.digest(), base, "the ids an item replaces do not change what was answered");
    }
}
