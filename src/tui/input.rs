//! The one text editor of the review: the note editor (many lines, wrapped), the fields of
//! the small forms and the search box (one line). All are `ratatui-textarea` underneath,
//! with the same editing keys (Ctrl-u / Ctrl-w / Ctrl-k clear to the start, a word, to the
//! end), and a paste arrives as one insertion, however long.
//!
//! What is typed is cleaned as it arrives: control characters, bidirectional and invisible
//! characters never enter the text (see `render::text::is_hazard`).

use crate::render::text::clean_typed;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone)]
pub struct Editor {
    area: TextArea<'static>,
    /// One line only: Enter and line breaks are not text.
    single_line: bool,
}

impl PartialEq for Editor {
    fn eq(&self, other: &Editor) -> bool {
        self.single_line == other.single_line && self.area.lines() == other.area.lines()
    }
}

impl Eq for Editor {}

impl Editor {
    /// A one-line editor holding `text` (line breaks become spaces), the cursor at its end.
    pub fn line(text: &str) -> Editor {
        let text = clean_typed(text).replace('\n', " ");
        let mut area = TextArea::new(vec![text]);
        area.move_cursor(CursorMove::End);
        Editor { area, single_line: true }
    }

    /// A many-line editor holding `text`, wrapping long lines at words (or inside a word
    /// too long for a line), the cursor at the end.
    pub fn lines(text: &str) -> Editor {
        let lines: Vec<String> = clean_typed(text).lines().map(String::from).collect();
        let mut area = TextArea::new(if lines.is_empty() { vec![String::new()] } else { lines });
        area.set_wrap_mode(WrapMode::WordOrGlyph);
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        Editor { area, single_line: false }
    }

    /// The text (lines joined with `\n`).
    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    /// The widget, for drawing the many-line editor.
    pub fn widget(&self) -> &TextArea<'static> {
        &self.area
    }

    /// Applies an editing key. Enter in a one-line editor, and keys that are not editing
    /// keys, change nothing.
    pub fn handle(&mut self, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') if ctrl => {
                self.area.delete_line_by_head();
            }
            KeyCode::Char('w') if ctrl => {
                self.area.delete_word();
            }
            KeyCode::Char('k') if ctrl => {
                self.area.delete_line_by_end();
            }
            KeyCode::Char('a') if ctrl => self.area.move_cursor(CursorMove::Head),
            KeyCode::Char('e') if ctrl => self.area.move_cursor(CursorMove::End),
            KeyCode::Enter if self.single_line => {}
            KeyCode::Enter => self.area.insert_newline(),
            KeyCode::Char(c) if !ctrl && !crate::render::text::is_hazard(c) => self.area.insert_char(c),
            KeyCode::Char(_) if !ctrl => {}
            KeyCode::Tab if self.single_line => {}
            KeyCode::Tab => {
                self.area.insert_str("    ");
            }
            // Undo and redo inside the editor, everything else (arrows, Home, End,
            // Backspace, Delete, word moves) as ratatui-textarea does it.
            _ => {
                if !ctrl || matches!(key.code, KeyCode::Left | KeyCode::Right | KeyCode::Char('h' | 'd')) {
                    self.area.input(key);
                }
            }
        }
    }

    /// A paste: one insertion of the cleaned text (line breaks become spaces on one line).
    pub fn paste(&mut self, text: &str) {
        let clean = clean_typed(text);
        let clean = if self.single_line { clean.replace('\n', " ") } else { clean };
        self.area.insert_str(clean);
    }

    /// The part of a one-line editor's text to show in `width` columns, keeping the cursor
    /// visible, and the cursor's column within it.
    pub fn view(&self, width: usize) -> (String, usize) {
        let line = self.area.lines().first().map(String::as_str).unwrap_or("");
        let chars: Vec<char> = line.chars().collect();
        let cursor = self.area.cursor().1.min(chars.len());
        let mut start = 0;
        loop {
            let before: String = chars[start..cursor].iter().collect();
            if before.width() < width.max(1) || start >= cursor {
                let mut shown = String::new();
                for c in &chars[start..] {
                    shown.push(*c);
                    if shown.width() > width.saturating_sub(1) {
                        shown.pop();
                        break;
                    }
                }
                return (shown, before.width());
            }
            start += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(s: &str) -> Editor {
        let mut i = Editor::line("");
        for c in s.chars() {
            i.handle(key(KeyCode::Char(c)));
        }
        i
    }

    #[test]
    fn edits_at_the_cursor() {
        let mut i = typed("helo");
        i.handle(key(KeyCode::Left));
        i.handle(key(KeyCode::Char('l')));
        assert_eq!(i.text(), "hello");
        i.handle(key(KeyCode::Home));
        i.handle(key(KeyCode::Delete));
        assert_eq!(i.text(), "ello");
        i.handle(key(KeyCode::End));
        i.handle(key(KeyCode::Backspace));
        assert_eq!(i.text(), "ell");
        i.handle(ctrl('w'));
        assert_eq!(i.text(), "");
        let mut i = typed("one two three");
        i.handle(key(KeyCode::Left));
        i.handle(ctrl('k'));
        assert_eq!(i.text(), "one two thre");
        i.handle(ctrl('u'));
        assert_eq!(i.text(), "");
    }

    #[test]
    fn the_same_keys_edit_a_note() {
        let mut n = Editor::lines("first line\nsecond");
        n.handle(ctrl('u'));
        assert_eq!(n.text(), "first line\n");
        n.handle(key(KeyCode::Char('x')));
        n.handle(key(KeyCode::Enter));
        n.handle(key(KeyCode::Char('y')));
        assert_eq!(n.text(), "first line\nx\ny");
    }

    #[test]
    fn one_line_has_no_line_breaks() {
        let mut i = typed("a");
        i.handle(key(KeyCode::Enter));
        i.paste("b\nc\r\nd");
        assert_eq!(i.text(), "ab c d");
    }

    #[test]
    fn keeps_the_cursor_in_view() {
        let i = typed("abcdefghij");
        let (shown, col) = i.view(5);
        assert_eq!((shown.as_str(), col), ("ghij", 4));
        assert_eq!(Editor::line("漢字").view(10), ("漢字".to_string(), 4));
    }

    #[test]
    fn control_and_invisible_characters_never_enter() {
        let i = Editor::line("a\x1b[31mb\nc");
        assert_eq!(i.text(), "a[31mb c");
        let mut n = Editor::lines("");
        n.paste("x\u{202e}y\u{200b}z\x07\nnext");
        assert_eq!(n.text(), "xyz\nnext");
        let mut t = typed("q");
        t.handle(key(KeyCode::Char('\u{202e}')));
        assert_eq!(t.text(), "q");
    }

    #[test]
    fn a_big_paste_is_one_insertion() {
        let mut n = Editor::lines("");
        let big = "word ".repeat(200_000) + "\nend";
        n.paste(&big);
        assert_eq!(n.text(), big);
        // (Its speed is measured in the benchmarks, not here.)
    }
}
