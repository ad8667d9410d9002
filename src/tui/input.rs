//! A one-line text input: the search box and the fields of the small forms.

use crate::render::text::clean_typed;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Cursor position in characters.
    cursor: usize,
}

impl LineInput {
    pub fn new(text: &str) -> Self {
        let text = clean_typed(text).replace('\n', " ");
        let cursor = text.chars().count();
        LineInput { text, cursor }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    fn byte(&self, chars: usize) -> usize {
        self.text.char_indices().nth(chars).map_or(self.text.len(), |(i, _)| i)
    }

    /// Applies an editing key. Returns false when the key is not an editing key.
    pub fn handle(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let len = self.text.chars().count();
        match key.code {
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = len,
            KeyCode::Char('u') if ctrl => {
                let b = self.byte(self.cursor);
                self.text.replace_range(..b, "");
                self.cursor = 0;
            }
            KeyCode::Char('k') if ctrl => {
                let b = self.byte(self.cursor);
                self.text.truncate(b);
            }
            KeyCode::Char('w') if ctrl => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                let (a, b) = (self.byte(start), self.byte(self.cursor));
                self.text.replace_range(a..b, "");
                self.cursor = start;
            }
            KeyCode::Char(c) if !ctrl && !crate::render::text::is_hazard(c) => {
                let b = self.byte(self.cursor);
                self.text.insert(b, c);
                self.cursor += 1;
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let (a, b) = (self.byte(self.cursor - 1), self.byte(self.cursor));
                self.text.replace_range(a..b, "");
                self.cursor -= 1;
            }
            KeyCode::Delete if self.cursor < len => {
                let (a, b) = (self.byte(self.cursor), self.byte(self.cursor + 1));
                self.text.replace_range(a..b, "");
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(len),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = len,
            KeyCode::Backspace | KeyCode::Delete => {}
            _ => return false,
        }
        true
    }

    /// The part of the text to show in `width` columns, keeping the cursor visible, and the
    /// cursor's column within it.
    pub fn view(&self, width: usize) -> (String, usize) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut start = 0;
        loop {
            let before: String = chars[start..self.cursor].iter().collect();
            if before.width() < width.max(1) || start >= self.cursor {
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

    fn typed(s: &str) -> LineInput {
        let mut i = LineInput::default();
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
        i.handle(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(i.text(), "");
    }

    #[test]
    fn keeps_the_cursor_in_view() {
        let i = typed("abcdefghij");
        let (shown, col) = i.view(5);
        assert_eq!((shown.as_str(), col), ("ghij", 4));
        assert_eq!(LineInput::new("漢字").view(10), ("漢字".to_string(), 4));
    }

    #[test]
    fn control_characters_are_not_typed() {
        let i = LineInput::new("a\x1b[31mb\nc");
        assert_eq!(i.text(), "a[31mb c");
    }
}
