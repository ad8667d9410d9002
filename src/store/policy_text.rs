//! A policy text as the lint reads it: its lines, its normalised form (for quotes), where
//! its declared headings are, and which heading a quote stands under.
//!
//! A heading *matches* a line when the line, without surrounding whitespace, is the
//! heading, or is a Markdown link whose text is the heading (`[H. HOW TO CONTACT US](#)`:
//! the captured texts keep a few headings as links). Headings are found in declaration
//! order, each on the first matching line after the previous heading's, so a heading also
//! repeated in a table of contents is found where its section starts, provided the contents
//! do not repeat it exactly (the published texts' contents add a full stop or a bullet).
//!
//! A heading's section runs from its own line to the line before the next heading; a
//! sub-heading's to the line before the next heading or sub-heading. A quote *stands under* a
//! heading when one of its occurrences lies within that heading's section.

use std::ops::Range;

/// One policy text.
pub struct PolicyText {
    /// The text as written.
    pub text: String,
    /// The lines of the text, as written.
    pub lines: Vec<String>,
    /// The text normalised as quotes are ([`normalise_for_quote`](crate::store::checklist_file::normalise_for_quote)).
    pub norm: String,
    /// For each byte of `norm`, the byte of `text` it comes from.
    orig: Vec<u32>,
    /// Where each line starts in `text`.
    line_offset: Vec<usize>,
    /// Where each line's normalised text starts and ends in `norm` (a blank line: empty,
    /// where the next text starts).
    line_norm: Vec<Range<usize>>,
}

impl PolicyText {
    pub fn new(text: &str) -> PolicyText {
        let mut lines = Vec::new();
        let mut line_offset = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            line_offset.push(at);
            lines.push(line.trim_end_matches(['\n', '\r']).to_string());
            at += line.len();
        }
        let mut norm = String::with_capacity(text.len());
        let mut orig: Vec<u32> = Vec::with_capacity(text.len());
        let mut line_norm = Vec::with_capacity(lines.len());
        let offset = |o: usize| u32::try_from(o).unwrap_or(u32::MAX);
        for (n, line) in lines.iter().enumerate() {
            let mut space: Option<usize> = None;
            let mut start = None;
            for (i, c) in line.char_indices() {
                let at = line_offset[n] + i;
                let c = match c {
                    '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
                    '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
                    c => c,
                };
                if c.is_whitespace() {
                    space.get_or_insert(at);
                    continue;
                }
                if start.is_none() {
                    // The first character of a line: one space joins it to the text before.
                    if !norm.is_empty() {
                        norm.push(' ');
                        orig.push(offset(line_offset[n].saturating_sub(1)));
                    }
                    start = Some(norm.len());
                } else if let Some(sp) = space {
                    norm.push(' ');
                    orig.push(offset(sp));
                }
                space = None;
                norm.push(c);
                orig.extend(std::iter::repeat_n(offset(at), c.len_utf8()));
            }
            let start = start.unwrap_or(norm.len() + usize::from(!norm.is_empty()));
            line_norm.push(start..norm.len().max(start));
        }
        PolicyText { text: text.to_string(), lines, norm, orig, line_offset, line_norm }
    }

    /// The 0-based line of byte `offset` of [`PolicyText::norm`].
    pub fn line_at(&self, offset: usize) -> usize {
        let o = self.orig.get(offset).or(self.orig.last()).map_or(0, |&o| o as usize);
        self.line_offset.partition_point(|&start| start <= o).saturating_sub(1)
    }

    /// The 1-based line and column (in characters) in the text of byte `offset` of
    /// [`PolicyText::norm`].
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let o = self.orig.get(offset).or(self.orig.last()).map_or(0, |&o| o as usize);
        crate::diag::line_col(&self.text, o)
    }

    /// Where line `line` (0-based) is in [`PolicyText::norm`].
    pub fn norm_range(&self, line: usize) -> Range<usize> {
        self.line_norm.get(line).cloned().unwrap_or(self.norm.len()..self.norm.len())
    }

    /// Every occurrence of `quote` (normalised) in the text, as byte ranges of `norm`.
    pub fn find_all<'a>(&'a self, quote: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
        let mut from = 0;
        std::iter::from_fn(move || {
            if quote.is_empty() {
                return None;
            }
            let at = self.norm.get(from..)?.find(quote)? + from;
            from = at + self.norm[at..].chars().next().map_or(1, char::len_utf8);
            Some(at..at + quote.len())
        })
    }

    /// The lines (0-based, `start..end`) of an occurrence of `quote`.
    pub fn lines_of(&self, occurrence: &Range<usize>) -> Range<usize> {
        self.line_at(occurrence.start)..self.line_at(occurrence.end.saturating_sub(1).max(occurrence.start)) + 1
    }
}

/// Does `line` match `heading` (see the module comment)?
pub fn is_heading_line(line: &str, heading: &str) -> bool {
    let line = line.trim();
    if line == heading.trim() {
        return true;
    }
    // `[TEXT](URL)`, the whole line.
    let Some(rest) = line.strip_prefix('[') else { return false };
    let Some((text, url)) = rest.split_once("](") else { return false };
    text.trim() == heading.trim() && url.ends_with(')') && !url[..url.len() - 1].contains(')')
}

/// Where the declared headings are in a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// `(heading, 0-based line)`, in document order.
    pub headings: Vec<(String, usize)>,
    /// `(sub-heading, 0-based line)`, in document order.
    pub subheadings: Vec<(String, usize)>,
    /// The declared headings (then sub-headings) found nowhere, by their index in the
    /// declaration: `(false, i)` a heading, `(true, i)` a sub-heading.
    pub missing: Vec<(bool, usize)>,
    /// Lines in the text.
    pub len: usize,
}

impl Outline {
    /// Finds `headings` and `subheadings` in `text` (see the module comment).
    pub fn find(text: &PolicyText, headings: &[String], subheadings: &[String]) -> Outline {
        let mut out = Outline { len: text.lines.len(), ..Outline::default() };
        for (sub, list) in [(false, headings), (true, subheadings)] {
            let mut from = 0;
            for (i, h) in list.iter().enumerate() {
                match (from..text.lines.len()).find(|&n| is_heading_line(&text.lines[n], h)) {
                    Some(n) => {
                        if sub { &mut out.subheadings } else { &mut out.headings }.push((h.clone(), n));
                        from = n + 1;
                    }
                    None => out.missing.push((sub, i)),
                }
            }
        }
        out
    }

    /// The lines (0-based, `start..end`) of the section of `name`, a heading or sub-heading.
    pub fn section(&self, name: &str) -> Option<Range<usize>> {
        if let Some(&(_, start)) = self.headings.iter().find(|(h, _)| h == name) {
            let end = self.headings.iter().map(|&(_, l)| l).filter(|&l| l > start).min().unwrap_or(self.len);
            return Some(start..end);
        }
        let &(_, start) = self.subheadings.iter().find(|(h, _)| h == name)?;
        let end = self
            .headings
            .iter()
            .chain(&self.subheadings)
            .map(|&(_, l)| l)
            .filter(|&l| l > start)
            .min()
            .unwrap_or(self.len);
        Some(start..end)
    }

    /// The heading whose section holds `line`, and the sub-heading too if one does.
    pub fn under(&self, line: usize) -> (Option<&str>, Option<&str>) {
        fn last(list: &[(String, usize)], line: usize, limit: usize) -> Option<(&str, usize)> {
            list.iter()
                .filter(|&&(_, l)| l <= line && l >= limit)
                .max_by_key(|&&(_, l)| l)
                .map(|(h, l)| (h.as_str(), *l))
        }
        let top = last(&self.headings, line, 0);
        let sub = last(&self.subheadings, line, top.map_or(0, |(_, l)| l));
        (top.map(|(h, _)| h), sub.map(|(h, _)| h))
    }

    /// Is `line` a heading or sub-heading line?
    pub fn is_heading(&self, line: usize) -> bool {
        self.headings.iter().chain(&self.subheadings).any(|&(_, l)| l == line)
    }

    /// The line of the first heading (where the policy starts, after any note about the
    /// capture), or 0.
    pub fn start(&self) -> usize {
        self.headings.iter().chain(&self.subheadings).map(|&(_, l)| l).min().unwrap_or(0)
    }
}

/// Where `quote` (normalised) stands in `text`: `Ok(())` when an occurrence lies within the
/// section of `section`, else the heading (and sub-heading) under which its first occurrence
/// stands, with its 0-based line; `Err(None)` when the quote is not in the text.
pub fn stands_under(
    text: &PolicyText,
    outline: &Outline,
    section: &str,
    quote: &str,
) -> Result<(), Option<(String, usize)>> {
    let range = outline.section(section);
    let mut first = None;
    for occ in text.find_all(quote) {
        let lines = text.lines_of(&occ);
        if let Some(r) = &range
            && r.start <= lines.start
            && lines.end <= r.end
        {
            return Ok(());
        }
        first.get_or_insert(lines.start);
    }
    let Some(line) = first else { return Err(None) };
    let (top, sub) = outline.under(line);
    let label = match (top, sub) {
        (Some(t), Some(s)) => format!("{t:?} (sub-heading {s:?})"),
        (Some(t), None) => format!("{t:?}"),
        (None, _) => "no declared heading (before the first)".to_string(),
    };
    Err(Some((label, line)))
}

/// A sentence of a policy text, for coverage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Where it is in [`PolicyText::norm`].
    pub range: Range<usize>,
    /// Its text, normalised.
    pub text: String,
    /// Does it bear a promise ([`is_promise`], or a list item under a promise's lead-in)?
    pub promise: bool,
}

/// Is `line` an entry of a table of contents: a declared heading with a list marker,
/// Markdown link brackets or a final full stop (`[A. COLLECTION OF INFORMATION.](#)`,
/// `• Your rights.`)?
fn is_contents_entry(line: &str, outline: &Outline) -> bool {
    let mut l = line.trim();
    l = l.trim_start_matches(['-', '•']).trim_start();
    if let Some(rest) = l.strip_prefix('[')
        && let Some((text, _)) = rest.split_once("](")
    {
        l = text;
    }
    let l = l.trim().trim_end_matches('.').trim();
    outline
        .headings
        .iter()
        .chain(&outline.subheadings)
        .any(|(h, _)| h.trim().trim_end_matches('.').eq_ignore_ascii_case(l))
}

/// The length of the list marker at the start of `s` (`- `, `• `, `- o `, `o `, `1. `,
/// `ii) `, `and v) `), or 0.
fn marker_len(s: &str) -> usize {
    let mut i = 0;
    let b = s.as_bytes();
    let skip_space = |mut i: usize| {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        i
    };
    if s.starts_with('-') {
        i = skip_space(1);
    } else if s.starts_with('•') {
        i = skip_space('•'.len_utf8());
    }
    if s[i..].starts_with("o ") {
        i = skip_space(i + 1);
    }
    let rest = &s[i..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && rest[digits..].starts_with(". ") {
        return skip_space(i + digits + 1);
    }
    let (and, rest) = match rest.strip_prefix("and ") {
        Some(r) => (4, r),
        None => (0, rest),
    };
    let roman = rest.bytes().take_while(|c| matches!(c, b'i' | b'v' | b'x')).count();
    if roman > 0 && rest[roman..].starts_with(") ") {
        return skip_space(i + and + roman + 1);
    }
    i
}

/// Does line `l` continue the paragraph `prev` rather than start one (see [`sentences`])?
fn continues(prev: &str, l: &str) -> bool {
    let roman = {
        let r = l.strip_prefix("and ").unwrap_or(l);
        let n = r.bytes().take_while(|c| matches!(c, b'i' | b'v' | b'x')).count();
        n > 0 && r[n..].starts_with(") ") && &r[..n] != "i"
    };
    if roman && prev.contains("i)") {
        return true;
    }
    let lower = l.chars().next().is_some_and(char::is_lowercase);
    lower && !l.starts_with("o ") && !l.starts_with("and ") && !prev.trim_end().ends_with(['.', '!', '?', ':', ';'])
}

const ABBREVIATIONS: &[&str] = &["e.g", "i.e", "inc", "ltd", "co", "no", "etc", "u.s", "art", "mr", "dr", "vs"];

/// Splits a normalised paragraph into sentences: `(start, end)` byte ranges of `p`.
fn split_sentences(p: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = p.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if !matches!(c, '.' | '!' | '?') {
            k += 1;
            continue;
        }
        let mut j = k + 1;
        while j < chars.len() && matches!(chars[j].1, '"' | '\'' | ')' | ']' | '*') {
            j += 1;
        }
        let end = chars.get(j).map_or(p.len(), |&(o, _)| o);
        let next_starts = j + 1 < chars.len()
            && chars[j].1 == ' '
            && (chars[j + 1].1.is_uppercase()
                || chars[j + 1].1.is_ascii_digit()
                || matches!(chars[j + 1].1, '"' | '(' | '[' | '*'));
        // The word before the full stop: an abbreviation or a single capital does not end a sentence.
        let word = p[start..i].rsplit(' ').next().unwrap_or("").trim_start_matches(|c: char| !c.is_alphanumeric());
        let abbreviation = c == '.'
            && (ABBREVIATIONS.contains(&word.to_lowercase().as_str())
                || (word.chars().count() == 1 && word.chars().all(char::is_uppercase)));
        if next_starts && !abbreviation {
            out.push(start..end);
            start = chars[j + 1].0;
            k = j + 1;
            continue;
        }
        k = j.max(k + 1);
    }
    if !p[start..].trim().is_empty() {
        out.push(start..p.len());
    }
    out
}

/// The words of a sentence, lower-case (letters, digits and apostrophes).
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Words that bear a promise wherever they are (see [`is_promise`]).
const PROMISE_WORDS: &[&str] = &[
    "will",
    "shall",
    "won't",
    "we'll",
    "may",
    "might",
    "only",
    "never",
    "cannot",
    "don't",
    "doesn't",
    "protected",
    "secure",
    "unsubscribe",
    "withdraw",
];

/// Phrases that bear a promise wherever they are.
const PROMISE_PHRASES: &[&[&str]] = &[
    &["do", "not"],
    &["does", "not"],
    &["not", "directed"],
    &["not", "targeted"],
    &["not", "intended"],
    &["right", "to"],
    &["opt", "out"],
    &["contact", "us"],
    &["please", "contact"],
    &["should", "contact"],
    &["must", "contact"],
    &["send", "your", "request"],
    &["send", "us"],
    &["you", "have", "the", "right"],
    &["you", "also", "have", "the", "right"],
    &["you", "can"],
    &["you", "also", "can"],
    &["you", "are", "entitled"],
    &["you", "agree"],
    &["you", "are", "deemed"],
];

/// Who makes the policy's promises, as a sentence names them.
const OPERATOR: &[&[&str]] =
    &[&["we"], &["alibaba"], &["alibaba", "com"], &["the", "platform"], &["our", "platform"], &["our", "personnel"]];

/// Words between the operator and its verb (`we also use`).
const ADVERBS: &[&str] = &["also", "only", "generally", "normally", "automatically", "then", "strongly"];

/// What the operator does, in a promise (`we use`, `Alibaba.com collects`).
const OPERATOR_VERBS: &[&[&str]] = &[
    &["use"],
    &["uses"],
    &["collect"],
    &["collects"],
    &["record"],
    &["records"],
    &["retain"],
    &["retains"],
    &["process"],
    &["processes"],
    &["share"],
    &["shares"],
    &["disclose"],
    &["discloses"],
    &["provide"],
    &["provides"],
    &["employ"],
    &["employs"],
    &["keep"],
    &["keeps"],
    &["take"],
    &["takes"],
    &["ask"],
    &["asks"],
    &["gather"],
    &["gathers"],
    &["limit"],
    &["limits"],
    &["recommend"],
    &["recommends"],
    &["respond"],
    &["responds"],
    &["reserve"],
    &["reserves"],
    &["offer"],
    &["offers"],
    &["receive"],
    &["receives"],
    &["obtain"],
    &["obtains"],
    &["can"],
    &["are", "committed"],
    &["commit"],
    &["have", "established"],
    &["have", "taken"],
    &["have", "in", "place"],
    &["try"],
    &["tries"],
    &["strive"],
    &["protect"],
    &["protects"],
    &["transfer"],
    &["transfers"],
    &["delete"],
    &["deletes"],
    &["anonymise"],
    &["anonymize"],
    &["notify"],
    &["notifies"],
    &["welcome"],
    &["respect"],
    &["rely"],
    &["embed"],
    &["implement"],
];

fn starts_with_phrase(w: &[String], phrase: &[&str]) -> bool {
    w.len() >= phrase.len() && w.iter().zip(phrase).all(|(a, b)| a == b)
}

/// Does `sentence` bear a promise? Ignoring case, on whole words, it contains:
/// - a modal of commitment or permission: `will`, `shall`, `won't`, `we'll`, `may`, `might`;
/// - a negation or restriction of practice: `do not`, `does not`, `don't`, `doesn't`,
///   `never`, `cannot`, `only`, `not directed`, `not targeted`, `not intended`;
/// - the operator (`we`, `Alibaba`, `Alibaba.com`, `the Platform`, `our Platform`, `our
///   personnel`), after `also`, `only`, `generally`, `normally`, `automatically`, `then` or
///   `strongly`, doing something: [`OPERATOR_VERBS`] (`we use`, `we retain`, `we ask`, `we
///   take`, `we are committed`, `Alibaba uses`, ...);
/// - a right or choice: `you have the right`, `right to`, `you can`, `you may`, `you are
///   entitled`, `you agree`, `you are deemed`, `opt out`, `unsubscribe`, `withdraw`;
/// - a way to reach the operator: `contact us`, `please contact`, `should contact`, `must
///   contact`, `send your request`, `send us`;
/// - a security claim: `protected`, `secure`, `encrypt…`.
pub fn is_promise(sentence: &str) -> bool {
    let w = words(sentence);
    (0..w.len()).any(|i| {
        let rest = &w[i..];
        if PROMISE_WORDS.contains(&rest[0].as_str()) || rest[0].starts_with("encrypt") {
            return true;
        }
        if PROMISE_PHRASES.iter().any(|p| starts_with_phrase(rest, p)) {
            return true;
        }
        OPERATOR.iter().any(|op| {
            if !starts_with_phrase(rest, op) {
                return false;
            }
            let mut j = op.len();
            while j < rest.len() && ADVERBS.contains(&rest[j].as_str()) {
                j += 1;
            }
            OPERATOR_VERBS.iter().any(|v| starts_with_phrase(&rest[j..], v))
        })
    })
}

/// The sentences of a policy text, for coverage (see `checklists/README.md`, "Coverage"):
/// from the first declared heading on, heading lines and table-of-contents entries left
/// out; each line a paragraph or list item, joined to the line before when it continues it
/// (a wrapped line: it starts in lower case and the line before does not end a sentence or
/// a clause; or `ii)`, `and v)` continuing an inline enumeration); list markers dropped;
/// split after `.`, `!` or `?` followed by a capital letter, a digit or an opening quote or
/// bracket, except after an abbreviation (`e.g.`, `Inc.`, `Ltd.`, `No.`) or a single capital
/// (`section J.`). A sentence is promise-bearing by [`is_promise`], or as a list item
/// (marked, or starting in lower case and ending in `;`, `.`, `,` or `:`) under a lead-in
/// that ends in `:` and bears a promise (the lists of purposes, recipients and rights).
pub fn sentences(text: &PolicyText, outline: &Outline) -> Vec<Sentence> {
    // Paragraphs as ranges of lines.
    let mut paragraphs: Vec<Range<usize>> = Vec::new();
    let mut open = false;
    for n in outline.start()..text.lines.len() {
        let line = text.lines[n].trim();
        if line.is_empty() || outline.is_heading(n) || is_contents_entry(line, outline) {
            open = false;
            continue;
        }
        if open
            && let Some(last) = paragraphs.last_mut()
            && continues(&text.norm[text.norm_range(last.end - 1)], &text.norm[text.norm_range(n)])
        {
            last.end = n + 1;
            continue;
        }
        paragraphs.push(n..n + 1);
        open = true;
    }
    let mut out = Vec::new();
    let mut lead = false;
    for para in paragraphs {
        let range = text.norm_range(para.start).start..text.norm_range(para.end - 1).end;
        let p = &text.norm[range.clone()];
        let marker = marker_len(p);
        // A list item: marked, or unmarked but in lower case and ending like one (`...;`).
        let item = marker > 0
            || (p.chars().next().is_some_and(char::is_lowercase) && p.trim_end().ends_with([';', '.', ',', ':']));
        let body = &p[marker..];
        let base = range.start + marker;
        let parts = split_sentences(body);
        let mut last_promise = false;
        for (k, r) in parts.iter().enumerate() {
            let s = &body[r.clone()];
            let promise = is_promise(s) || (k == 0 && item && lead);
            last_promise = promise;
            out.push(Sentence { range: base + r.start..base + r.end, text: s.trim().to_string(), promise });
        }
        let ends_lead_in = parts.last().is_some_and(|r| body[r.clone()].trim_end().ends_with(':'));
        if ends_lead_in {
            lead = last_promise || (item && lead);
        } else if !item {
            lead = false;
        }
    }
    out
}

/// Does a citation's quote, or an exclusion's piece (normalised), account for `sentence`?
/// When one of its occurrences in the text overlaps the sentence by at least 30 characters,
/// or by the whole sentence when it is shorter (the quote contains the sentence, or a piece
/// of the quote that long lies within it).
pub fn covers(text: &PolicyText, piece: &str, sentence: &Sentence) -> bool {
    text.find_all(piece).any(|occ| overlaps_enough(text, &occ, sentence))
}

/// Does this occurrence of a quote (a range of [`PolicyText::norm`]) account for
/// `sentence` ([`covers`], for a quote whose occurrences are already known)?
pub fn overlaps_enough(text: &PolicyText, occurrence: &Range<usize>, sentence: &Sentence) -> bool {
    const ENOUGH: usize = 30;
    let (a, b) = (occurrence.start.max(sentence.range.start), occurrence.end.min(sentence.range.end));
    a < b && text.norm[a..b].chars().count() >= sentence.text.chars().count().min(ENOUGH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::checklist_file::normalise_for_quote;

    const TEXT: &str = "\
Source: a capture note
Contents
A. FIRST.
- Information you give
[A. FIRST](#)
Information you give
We keep
promises.
Information we collect
We collect “little”.
[B. SECOND](https://example.com/b)
We may   change.
";

    fn outline(text: &PolicyText) -> Outline {
        Outline::find(
            text,
            &["A. FIRST".into(), "B. SECOND".into()],
            &["Information you give".into(), "Information we collect".into()],
        )
    }

    #[test]
    fn headings_are_whole_lines_or_links_to_them_in_order() {
        assert!(is_heading_line("  A. FIRST ", "A. FIRST"));
        assert!(is_heading_line("[H. HOW TO CONTACT US](#)", "H. HOW TO CONTACT US"));
        assert!(!is_heading_line("A. FIRST.", "A. FIRST"));
        assert!(!is_heading_line("- A. FIRST", "A. FIRST"));
        assert!(!is_heading_line("[A. FIRST](#) and more", "A. FIRST"));
        let text = PolicyText::new(TEXT);
        let o = outline(&text);
        assert_eq!(o.headings, [("A. FIRST".to_string(), 4), ("B. SECOND".to_string(), 10)]);
        assert_eq!(o.subheadings[0], ("Information you give".to_string(), 5), "after the contents' bullet");
        assert!(o.missing.is_empty());
        assert_eq!(o.start(), 4);
        let o = Outline::find(&text, &["B. SECOND".into(), "A. FIRST".into()], &[]);
        assert_eq!(o.missing, [(false, 1)], "out of order: not found after the previous one");
    }

    #[test]
    fn sections_and_quotes_under_them() {
        let text = PolicyText::new(TEXT);
        let o = outline(&text);
        assert_eq!(o.section("A. FIRST"), Some(4..10));
        assert_eq!(o.section("Information you give"), Some(5..8));
        assert_eq!(o.section("B. SECOND"), Some(10..12));
        assert_eq!(o.section("nothing"), None);
        let q = |s: &str| normalise_for_quote(s);
        assert_eq!(stands_under(&text, &o, "A. FIRST", &q("We keep promises.")), Ok(()), "across a line break");
        assert_eq!(stands_under(&text, &o, "Information you give", &q("We keep promises.")), Ok(()));
        assert_eq!(stands_under(&text, &o, "A. FIRST", &q("We collect \"little\"")), Ok(()));
        assert_eq!(stands_under(&text, &o, "B. SECOND", &q("We may change.")), Ok(()));
        assert_eq!(
            stands_under(&text, &o, "B. SECOND", &q("We keep")),
            Err(Some(("\"A. FIRST\" (sub-heading \"Information you give\")".into(), 6)))
        );
        assert_eq!(
            stands_under(&text, &o, "A. FIRST", &q("a capture note")),
            Err(Some(("no declared heading (before the first)".into(), 0)))
        );
        assert_eq!(stands_under(&text, &o, "A. FIRST", &q("not there")), Err(None));
        assert_eq!(stands_under(&text, &o, "B. SECOND", &q("[B. SECOND]")), Ok(()), "the heading's own line");
    }

    #[test]
    fn promise_bearing_sentences() {
        for yes in [
            "We will not sell your data.",
            "we do not share it",
            "We don't keep logs.",
            "We may disclose it to couriers.",
            "We shall keep it safe.",
            "We are committed to privacy.",
            "We take appropriate steps.",
            "We also use cookies for analytics.",
            "We retain your data for a year.",
            "We ask for your consent.",
            "Alibaba uses the PII to send news.",
            "Our personnel will never ask for your password.",
            "You have the right to object.",
            "You can opt out at any time.",
            "You may disable cookies.",
            "You are entitled to a copy.",
            "The Sites are not targeted to minors.",
            "The Site and its content are not directed at minors.",
            "Cookies do not provide your email address.",
            "It is only transmitted exceptionally.",
            "The session cookies use encrypted data.",
            "Your account is protected by a password.",
            "Please contact us at the address below.",
            "Click unsubscribe in any e-mail.",
        ] {
            assert!(is_promise(yes), "{yes}");
        }
        for no in [
            "A cookie is a small amount of data.",
            "Cookies set by the website owner are called first party cookies.",
            "Marketing Cookies.",
            "Your user name or nickname",
            "We at Alibaba.com recognize the importance of privacy.",
            "This Privacy Policy also applies to such use of our services.",
            "Williams is a name, and mayor a title.",
        ] {
            assert!(!is_promise(no), "{no}");
        }
    }

    const POLICY: &str = "\
Source: a capture note: we will not be listed
Contents
- A. FIRST.
A. FIRST
We collect little. A cookie is a file. Contact us at section J. \"HERE\" below.
We use the data for these purposes:
- sending receipts;
- o printing labels, e.g. for
parcels;
checking fraud;
Cookies are files. We use them to i) log you in,
ii) count visits, and v) nothing else.
c/o The Legal Department
B. SECOND
We will delete it (see Art. 17). Done.
";

    #[test]
    fn sentences_are_split_for_these_texts() {
        let text = PolicyText::new(POLICY);
        let outline = Outline::find(&text, &["A. FIRST".into(), "B. SECOND".into()], &[]);
        let got: Vec<(String, bool)> = sentences(&text, &outline).into_iter().map(|s| (s.text, s.promise)).collect();
        let want = [
            ("We collect little.", true),
            ("A cookie is a file.", false),
            ("Contact us at section J. \"HERE\" below.", true),
            ("We use the data for these purposes:", true),
            ("sending receipts;", true),
            ("printing labels, e.g. for parcels;", true),
            ("checking fraud;", true),
            ("Cookies are files.", false),
            ("We use them to i) log you in, ii) count visits, and v) nothing else.", true),
            ("c/o The Legal Department", false),
            ("We will delete it (see Art. 17).", true),
            ("Done.", false),
        ];
        let want: Vec<(String, bool)> = want.iter().map(|(s, p)| (s.to_string(), *p)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_quote_covers_a_sentence_with_30_characters_or_all_of_it() {
        let text =
            PolicyText::new("A\nWe will keep your data for one year after the account closes. Then we delete it.\n");
        let outline = Outline::find(&text, &["A".into()], &[]);
        let s = sentences(&text, &outline);
        assert_eq!(s.len(), 2);
        let q = |x: &str| normalise_for_quote(x);
        assert!(covers(&text, &q("keep your data for one year after the"), &s[0]), "38 characters within");
        assert!(!covers(&text, &q("keep your data for one year"), &s[0]), "27 characters are not enough");
        assert!(covers(&text, &q("Then we delete it."), &s[1]), "the whole of a short sentence");
        assert!(!covers(&text, &q("closes. Then we"), &s[1]), "a short piece of a short sentence");
        assert!(covers(&text, &q("the account closes. Then we delete it."), &s[1]), "a quote containing it");
        assert!(covers(&text, &q("one year after the account closes. Then"), &s[0]));
        assert!(!covers(&text, &q("not in the text at all, not at all"), &s[0]));
    }

    #[test]
    fn the_normalised_text_maps_back_to_lines() {
        let raw = "a  b\n\n  c\r\nd“e”\n";
        let text = PolicyText::new(raw);
        assert_eq!(text.norm, "a b c d\"e\"");
        assert_eq!(text.norm, normalise_for_quote(raw), "what quotes are matched against");
        assert_eq!(text.line_at(0), 0);
        assert_eq!(text.line_at(4), 2);
        assert_eq!(text.line_at(6), 3);
        assert_eq!(text.position(4), (3, 3));
        assert_eq!(text.position(7), (4, 2), "the typographic quote, where it is written");
        assert_eq!(text.position(8), (4, 3));
        assert_eq!(text.norm_range(2), 4..5);
        assert_eq!(text.norm_range(1), 4..4);
        let found: Vec<std::ops::Range<usize>> = text.find_all("c d").collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0], 4..7);
        assert_eq!(text.lines_of(&(4..7)), 2..4);
    }
}
