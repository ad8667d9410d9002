//! Text from files shown safely: one place that decides how untrusted text (checklist
//! prose, notes, evidence, product names) reaches a terminal or a report.
//!
//! Control characters (C0, DEL, C1), and the zero-width and bidirectional-override
//! characters that could hide or reorder text, are made visible as `\u{..}` escapes
//! instead of being interpreted. Line breaks and tabs are kept where the caller allows.

/// Is `c` a character that must never reach a terminal as-is?
pub fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'   // zero-width space/joiners, LRM, RLM
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{2028}' | '\u{2029}' // line/paragraph separators
            | '\u{FEFF}')
}

fn escape(s: &str, keep_newlines: bool) -> String {
    if !s.chars().any(is_hazard) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\t' => out.push_str("    "),
            c if is_hazard(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Escapes every hazard, line breaks included: for one-line output.
pub fn escape_controls(s: &str) -> String {
    escape(s, false)
}

/// Escapes every hazard but keeps line breaks: for multi-line text.
pub fn escape_controls_multiline(s: &str) -> String {
    escape(s, true)
}

/// Removes hazards a user typed into an editor (a raw ESC, a stray control key), keeping
/// line breaks; tabs become four spaces. Used on notes before they are saved.
pub fn clean_typed(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' => Some("\n".to_string()),
            '\t' => Some("    ".to_string()),
            '\r' => None,
            c if is_hazard(c) => None,
            c => Some(c.to_string()),
        })
        .collect()
}

/// Escapes text for Markdown (GitHub-flavoured), for one line or one table cell: hazards
/// become visible escapes, line breaks become spaces, HTML is neutralised with entities,
/// and the characters with inline Markdown meaning are backslash-escaped, so a note
/// containing `|`, backticks, `*`, links or HTML neither breaks a table nor injects markup.
/// (Block markup such as `#` or `- ` only acts at the start of a line, and callers always
/// put the text after a prefix.)
pub fn escape_markdown(s: &str) -> String {
    let s = escape_controls(&s.replace(['\n', '\r'], " "));
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_sequences_and_bidi() {
        assert_eq!(escape_controls("a\x1b[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape_controls("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(escape_controls("l1\nl2"), "l1\\u{a}l2");
        assert_eq!(escape_controls_multiline("l1\nl2\u{9b}"), "l1\nl2\\u{9b}");
        assert_eq!(escape_controls("plain é 漢"), "plain é 漢");
    }

    #[test]
    fn markdown_is_neutralised() {
        assert_eq!(escape_markdown("a|b `c` <script>x</script>"), "a\\|b \\`c\\` &lt;script&gt;x&lt;/script&gt;");
        assert_eq!(escape_markdown("[link](http://x) *b*\nnext"), "\\[link\\](http://x) \\*b\\* next");
        assert_eq!(escape_markdown("\x1b[2J"), "\\\\u{1b}\\[2J");
    }

    #[test]
    fn typed_text_is_cleaned() {
        assert_eq!(clean_typed("a\x1bb\r\nc\u{200B}\td"), "ab\nc    d");
    }
}
