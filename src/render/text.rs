//! Text from files shown safely: one place that decides how untrusted text (checklist
//! prose, notes, evidence, product names) reaches a terminal or a report.
//!
//! Control characters (C0, DEL, C1), and the zero-width, invisible and bidirectional
//! characters that could hide or reorder text ([`is_hazard`]), are made visible as `\u{..}`
//! escapes instead of being interpreted. Line breaks and tabs are kept where the caller allows.

/// Is `c` a character that must never reach a terminal as-is? The one list of hidden and
/// reordering characters: the renderers escape them and `privcheck lint` reports them in
/// checklist files.
///
/// - control characters: C0 (line feed and tab included: callers that keep them say so), DEL, C1;
/// - bidirectional controls: U+061C arabic letter mark, U+200E/U+200F LRM/RLM, U+202A–U+202E
///   embeddings and overrides, U+2066–U+2069 isolates;
/// - zero-width and invisible characters: U+200B–U+200D zero-width space and joiners, U+2060
///   word joiner, U+FEFF byte-order mark, U+00AD soft hyphen, U+180E Mongolian vowel separator,
///   U+115F/U+1160 Hangul choseong/jungseong fillers, U+3164 Hangul filler, U+FFA0 halfwidth
///   Hangul filler, U+FFF9–U+FFFB interlinear annotation controls, U+E0000–U+E007F tags;
/// - U+2028/U+2029 line and paragraph separators (a terminal may break the line on them).
pub fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}'                 // arabic letter mark
            | '\u{00AD}'               // soft hyphen
            | '\u{115F}' | '\u{1160}'  // Hangul choseong/jungseong fillers
            | '\u{180E}'               // Mongolian vowel separator
            | '\u{200B}'..='\u{200F}'   // zero-width space/joiners, LRM, RLM
            | '\u{2028}' | '\u{2029}'   // line/paragraph separators
            | '\u{202A}'..='\u{202E}'   // bidi embeddings and overrides
            | '\u{2060}'               // word joiner
            | '\u{2066}'..='\u{2069}'   // bidi isolates
            | '\u{3164}'               // Hangul filler
            | '\u{FEFF}'               // byte-order mark, zero-width no-break space
            | '\u{FFA0}'               // halfwidth Hangul filler
            | '\u{FFF9}'..='\u{FFFB}'   // interlinear annotation controls
            | '\u{E0000}'..='\u{E007F}') // tag characters
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
    fn every_hidden_character_is_a_hazard() {
        // Bidirectional controls.
        for c in ['\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}'] {
            assert!(is_hazard(c), "U+{:04X}", c as u32);
        }
        for c in ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert!(is_hazard(c), "U+{:04X}", c as u32);
        }
        // Zero-width and invisible characters.
        for c in [
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{180E}',
            '\u{115F}',
            '\u{1160}',
            '\u{3164}',
            '\u{FFA0}',
            '\u{FFF9}',
            '\u{FFFA}',
            '\u{FFFB}',
            '\u{E0000}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{E007F}',
        ] {
            assert!(is_hazard(c), "U+{:04X}", c as u32);
        }
        // Controls: C0, DEL, C1; line separators.
        for c in ['\0', '\x07', '\x1b', '\r', '\x7f', '\u{85}', '\u{9b}', '\u{2028}', '\u{2029}'] {
            assert!(is_hazard(c), "U+{:04X}", c as u32);
        }
        // Visible text, and the neighbours of the ranges, are not.
        for c in
            ['a', 'é', '漢', ' ', '\u{A0}', '\u{061B}', '\u{2010}', '\u{2070}', '\u{FFFC}', '\u{E0080}', '\u{1161}']
        {
            assert!(!is_hazard(c), "U+{:04X}", c as u32);
        }
        assert_eq!(escape_controls("soft\u{AD}hy\u{E0041}"), "soft\\u{ad}hy\\u{e0041}");
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
