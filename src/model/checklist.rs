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
    /// The item digest of results schema 1: id, question, guidance, severity, the scope ids
    /// and the citations, as a fixed JSON encoding (not `legal`, not `replaces`). Kept for
    /// files written with schema 1; new answers use [`ChecklistSet::item_digest`] (schema 2), which also binds the scope
    /// questions' text and the legal duties.
    pub fn digest_v1(&self) -> String {
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

/// What the policy version a product publishes says on an item's point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InForce<'a> {
    /// Its clauses on the point (the item's citations of that version).
    Says(Vec<&'a Citation>),
    /// Nothing: the reviewer tests the legal duty, and the gap in the policy is a finding.
    /// The silence alone neither passes nor fails the item.
    Silent,
}

impl InForce<'_> {
    /// The line the details pane shows for it.
    pub fn line(&self) -> String {
        match self {
            InForce::Says(cites) => {
                let quotes: Vec<String> =
                    cites.iter().map(|c| format!("{} \u{201c}{}\u{201d}", c.section, c.quote)).collect();
                format!("the version in force says: {}", quotes.join("; "))
            }
            InForce::Silent => {
                "the version in force is silent on this: test the legal duty; the gap in the policy is a finding".into()
            }
        }
    }
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

    /// The published versions a product may show, for the scope screen's question "which
    /// version of the policy does the product publish?": the declared documents that at
    /// least one item cites, in declaration order, which the format keeps newest first
    /// (see `checklists/README.md`). The first is the default answer.
    pub fn policy_versions(&self) -> Vec<&Document> {
        self.documents.iter().filter(|d| self.items().any(|i| i.cite.iter().any(|c| c.document == d.file))).collect()
    }

    /// What the version in force (a document's file name) says on `item`'s point: the
    /// item's citations of that document, or that it is silent.
    pub fn in_force<'a>(&self, item: &'a Item, policy: &str) -> InForce<'a> {
        let says: Vec<&Citation> = item.cite.iter().filter(|c| c.document == policy).collect();
        if says.is_empty() { InForce::Silent } else { InForce::Says(says) }
    }

    /// The item that replaces the (no longer live) item id `old`, if one does.
    pub fn replacement(&self, old: &str) -> Option<&Item> {
        self.items().find(|i| i.replaces.iter().any(|r| r == old))
    }

    /// The retirement of item id `id`, if the set retired it.
    pub fn retirement(&self, id: &str) -> Option<&Retired> {
        self.retired.iter().find(|r| r.id == id)
    }

    /// The digest of `item` an answer made under results schema `schema` records: what the
    /// reviewer relied on when answering. Schema 1: [`Item::digest_v1`]. Schema 2 (and
    /// later): the JSON object `{"privcheck_item":2,"id","question","guidance","severity",
    /// "scope":[{"id","question","help"}],"legal":[...],"cite":[{"document","effective",
    /// "section","quote"}]}`, SHA-256, its first 8 bytes in hex after `sha256:` — so
    /// rewording a scope question or dropping a legal duty makes the answers stale.
    pub fn item_digest(&self, item: &Item, schema: u32) -> String {
        if schema <= 1 {
            return item.digest_v1();
        }
        #[derive(Serialize)]
        struct Scope<'a> {
            id: &'a str,
            question: &'a str,
            help: &'a str,
        }
        #[derive(Serialize)]
        struct Content<'a> {
            privcheck_item: u32,
            id: &'a str,
            question: &'a str,
            guidance: &'a str,
            severity: Severity,
            scope: Vec<Scope<'a>>,
            legal: &'a [String],
            cite: &'a [Citation],
        }
        let scope = item
            .scope
            .iter()
            .map(|id| match self.scope_question(id) {
                Some(q) => Scope { id, question: &q.question, help: &q.help },
                None => Scope { id, question: "", help: "" },
            })
            .collect();
        let content = Content {
            privcheck_item: 2,
            id: &item.id,
            question: &item.question,
            guidance: &item.guidance,
            severity: item.severity,
            scope,
            legal: &item.legal,
            cite: &item.cite,
        };
        let json = serde_json::to_vec(&content).expect("plain strings always serialise");
        format!("sha256:{}", hex(&Sha256::digest(&json)[..8]))
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
        let d = item().digest_v1();
        assert!(d.starts_with("sha256:"));
        assert_eq!(d.len(), "sha256:".len() + 16);
        assert_eq!(d, item().digest_v1());
    }

    fn set_with(item: Item, scope_question: &str) -> ChecklistSet {
        ChecklistSet {
            checklists: vec![Checklist {
                id: "a".into(),
                title: "A".into(),
                description: "d".into(),
                version: 1,
                origin: Origin::BuiltIn("a.toml".into()),
                items: vec![item],
            }],
            scope: vec![ScopeQuestion {
                id: "eea".into(),
                question: scope_question.into(),
                help: "h".into(),
                checklist: "a".into(),
            }],
            ..ChecklistSet::default()
        }
    }

    #[test]
    fn the_schema_2_digest_binds_scope_questions_and_legal_duties() {
        let mut scoped = item();
        scoped.scope = vec!["eea".into()];
        let set = set_with(scoped.clone(), "Does the product serve the EEA?");
        let base = set.item_digest(&scoped, 2);
        assert_ne!(base, set.item_digest(&scoped, 1), "schema 1 and 2 digests differ");
        assert_eq!(set.item_digest(&scoped, 1), scoped.digest_v1());
        let reworded = set_with(scoped.clone(), "Is the product operated from Antarctica?");
        assert_ne!(reworded.item_digest(&scoped, 2), base, "a reworded scope question changes the digest");
        let mut help = set_with(scoped.clone(), "Does the product serve the EEA?");
        help.scope[0].help.push('!');
        assert_ne!(help.item_digest(&scoped, 2), base, "so does its help");
        let mut no_legal = scoped.clone();
        no_legal.legal.clear();
        assert_ne!(set.item_digest(&no_legal, 2), base, "dropping the legal duties changes the digest");
        assert_eq!(set.item_digest(&no_legal, 1), set.item_digest(&scoped, 1), "schema 1 did not bind them");
    }

    #[test]
    fn digest_changes_with_answer_relevant_content_only() {
        let base = item().digest_v1();
        let mut q = item();
        q.question.push('!');
        assert_ne!(q.digest_v1(), base);
        let mut c = item();
        c.cite[0].quote.push('!');
        assert_ne!(c.digest_v1(), base);
        let mut g = item();
        g.guidance.push('!');
        assert_ne!(g.digest_v1(), base);
        let mut l = item();
        l.legal.clear();
        assert_eq!(l.digest_v1(), base, "schema 1: legal references were not bound");
        let mut r = item();
        r.replaces.push("a.old".into());
        assert_eq!(r.digest_v1(), base, "the ids an item replaces do not change what was answered");
    }

    #[test]
    fn the_version_in_force_says_its_clauses_or_is_silent() {
        let set = crate::store::checklist_file::builtin();
        let versions: Vec<&str> = set.policy_versions().iter().map(|d| d.file.as_str()).collect();
        assert_eq!(versions.first(), Some(&"alibaba-com-2020-02-27.txt"), "newest first, the default");
        assert_eq!(versions.len(), set.documents.len(), "the built-in set cites every version it declares");
        let item = set.items().find(|i| i.cite.iter().any(|c| c.document == versions[0])).unwrap();
        let InForce::Says(cites) = set.in_force(item, versions[0]) else { panic!("{} cites it", item.id) };
        assert!(cites.iter().all(|c| c.document == versions[0]));
        let line = set.in_force(item, versions[0]).line();
        assert!(line.starts_with(&format!("the version in force says: {} \u{201c}", cites[0].section)), "{line}");
        let law_only = set.item("governance.records-of-processing").unwrap();
        assert_eq!(set.in_force(law_only, versions[0]), InForce::Silent);
        assert_eq!(
            InForce::Silent.line(),
            "the version in force is silent on this: test the legal duty; the gap in the policy is a finding"
        );
    }
}
