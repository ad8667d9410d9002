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

use crate::store::checklist_file::normalise_for_quote;
use std::ops::Range;

/// One policy text.
pub struct PolicyText {
    /// The lines of the text, as written.
    pub lines: Vec<String>,
    /// The text normalised as quotes are ([`normalise_for_quote`]).
    pub norm: String,
    /// For each byte of `norm`, the (0-based) line it comes from.
    line_of: Vec<u32>,
    /// Where each line starts in `norm` (a blank line: where the next text starts).
    line_start: Vec<usize>,
}

impl PolicyText {
    pub fn new(text: &str) -> PolicyText {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut norm = String::with_capacity(text.len());
        let mut line_of = Vec::with_capacity(text.len());
        let mut line_start = Vec::with_capacity(lines.len() + 1);
        for (n, line) in lines.iter().enumerate() {
            let part = normalise_for_quote(line);
            if part.is_empty() {
                line_start.push(norm.len() + usize::from(!norm.is_empty()));
                continue;
            }
            if !norm.is_empty() {
                norm.push(' ');
                line_of.push(u32::try_from(n).unwrap_or(u32::MAX));
            }
            line_start.push(norm.len());
            norm.push_str(&part);
            line_of.extend(std::iter::repeat_n(u32::try_from(n).unwrap_or(u32::MAX), part.len()));
        }
        line_start.push(norm.len() + 1);
        PolicyText { lines, norm, line_of, line_start }
    }

    /// The 0-based line of byte `offset` of [`PolicyText::norm`].
    pub fn line_at(&self, offset: usize) -> usize {
        self.line_of.get(offset).or(self.line_of.last()).map_or(0, |&l| l as usize)
    }

    /// Where line `line` (0-based) starts in [`PolicyText::norm`].
    pub fn norm_start(&self, line: usize) -> usize {
        self.line_start.get(line).copied().unwrap_or(self.norm.len())
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_normalised_text_maps_back_to_lines() {
        let text = PolicyText::new("a  b\n\n  c\nd“e”\n");
        assert_eq!(text.norm, "a b c d\"e\"");
        assert_eq!(text.line_at(0), 0);
        assert_eq!(text.line_at(4), 2);
        assert_eq!(text.line_at(6), 3);
        assert_eq!(text.norm_start(2), 4);
        let found: Vec<std::ops::Range<usize>> = text.find_all("c d").collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0], 4..7);
        assert_eq!(text.lines_of(&(4..7)), 2..4);
    }
}
