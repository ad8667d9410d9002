//! `privcheck lint --coverage`: is every promise of every declared document accounted for?
//!
//! Each promise-bearing sentence of a declared document ([`policy_text::sentences`]) is
//! *cited* when a citation of that document covers it ([`policy_text::covers`]), *excluded*
//! when a `[[document.exclude]]` of the document covers it (with its reason), and
//! *uncovered* otherwise: an uncovered sentence is a problem, and so is an exclusion that
//! covers no promise-bearing sentence (stale: the text or the rule changed).

use crate::diag::{Diagnostic, line_col};
use crate::model::checklist::ChecklistSet;
use crate::render::text::escape_controls;
use crate::store::checklist_file::{SourceFile, normalise_for_quote};
use crate::store::policy_text::{self, Outline, PolicyText};
use crate::store::schema::checklist::DocumentEntry;

/// What became of one promise-bearing sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    /// Cited by these items (ids, in set order).
    Cited(Vec<String>),
    /// Left out on purpose, for this reason.
    Excluded(String),
    Uncovered,
}

/// One promise-bearing sentence and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromiseSentence {
    /// 1-based, in the policy text.
    pub line: usize,
    pub column: usize,
    /// The sentence, normalised (whitespace collapsed).
    pub text: String,
    pub account: Account,
}

/// The coverage of one declared document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentCoverage {
    /// The document's file name.
    pub file: String,
    /// Where its text was read (for `FILE:LINE` in messages).
    pub path: String,
    pub sentences: Vec<PromiseSentence>,
}

impl DocumentCoverage {
    /// `(promise sentences, cited, excluded, uncovered)`.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut c = (self.sentences.len(), 0, 0, 0);
        for s in &self.sentences {
            match s.account {
                Account::Cited(_) => c.1 += 1,
                Account::Excluded(_) => c.2 += 1,
                Account::Uncovered => c.3 += 1,
            }
        }
        c
    }
}

/// The coverage of every declared document whose text was read, and its problems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub documents: Vec<DocumentCoverage>,
    /// Uncovered sentences (in the policy texts) and stale exclusions (in the checklists).
    pub problems: Vec<Diagnostic>,
}

/// The coverage of the declared document `decl` (declared in `src`) with text `text`,
/// read at `path`, by the citations of `set`.
pub fn document(
    set: &ChecklistSet,
    src: &SourceFile,
    decl: &DocumentEntry,
    text: &PolicyText,
    outline: &Outline,
    path: &str,
    problems: &mut Vec<Diagnostic>,
) -> DocumentCoverage {
    let file = decl.file.get_ref().trim();
    let sentences: Vec<_> = policy_text::sentences(text, outline).into_iter().filter(|s| s.promise).collect();
    // Where each quote and each exclusion is in the text, found once.
    let occurrences = |piece: &str| -> Vec<std::ops::Range<usize>> {
        let piece = normalise_for_quote(piece);
        text.find_all(&piece).collect()
    };
    let quotes: Vec<(&str, Vec<std::ops::Range<usize>>)> = set
        .items()
        .flat_map(|i| i.cite.iter().filter(|c| c.document == file).map(move |c| (i.id.as_str(), &c.quote)))
        .map(|(id, q)| (id, occurrences(q)))
        .collect();
    let exclusions: Vec<Vec<std::ops::Range<usize>>> =
        decl.exclude.iter().map(|e| occurrences(e.sentence.get_ref())).collect();
    let mut used = vec![false; exclusions.len()];
    let mut out = Vec::with_capacity(sentences.len());
    let accounts = |occ: &[std::ops::Range<usize>], s| occ.iter().any(|o| policy_text::overlaps_enough(text, o, s));
    for s in &sentences {
        let mut cited: Vec<String> = Vec::new();
        for (id, occ) in &quotes {
            if !cited.iter().any(|c| c == id) && accounts(occ, s) {
                cited.push((*id).to_string());
            }
        }
        let mut excluded = None;
        for (k, occ) in exclusions.iter().enumerate() {
            if accounts(occ, s) {
                used[k] = true;
                excluded.get_or_insert(k);
            }
        }
        let account = match (cited.is_empty(), excluded) {
            (false, _) => Account::Cited(cited),
            (true, Some(k)) => Account::Excluded(decl.exclude[k].reason.get_ref().trim().to_string()),
            (true, None) => Account::Uncovered,
        };
        let (line, column) = text.position(s.range.start);
        if account == Account::Uncovered {
            problems.push(Diagnostic {
                file: path.to_string(),
                line,
                column,
                message: format!(
                    "promise no item cites: \"{}\": cite it from an item, or exclude it with a reason \
                     ([[document.exclude]] of {file} in {})",
                    s.text,
                    src.display_name()
                ),
            });
        }
        out.push(PromiseSentence { line, column, text: s.text.clone(), account });
    }
    for (k, e) in decl.exclude.iter().enumerate() {
        if used[k] || e.sentence.get_ref().trim().is_empty() {
            continue;
        }
        let (line, column) = line_col(&src.text, e.sentence.span().start);
        problems.push(Diagnostic {
            file: src.display_name(),
            line,
            column,
            message: format!(
                "exclusion {:?} matches no promise-bearing sentence of {file}: delete it, or copy the sentence \
                 again (at least 30 characters of it, or all of it)",
                escape_controls(e.sentence.get_ref())
            ),
        });
    }
    DocumentCoverage { file: file.to_string(), path: path.to_string(), sentences: out }
}
