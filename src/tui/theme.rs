//! How things look: symbols (Unicode, or ASCII in a non-UTF-8 locale) and styles (colour,
//! or none under `NO_COLOR`). A status is always a symbol and a word; colour only adds.

use crate::model::results::Status;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub ascii: bool,
    pub color: bool,
}

const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// The ASCII stand-in for one on-screen symbol that is not ASCII. The ASCII theme draws
/// nothing else, whatever the checklist prose, notes or names hold (`§`, curly quotes,
/// accented letters): a terminal in a non-UTF-8 locale would show them as garbage.
pub fn ascii_fallback(symbol: &str) -> &'static str {
    match symbol {
        "§" => "S",
        "‘" | "’" | "′" => "'",
        "“" | "”" | "″" | "«" | "»" => "\"",
        "–" | "—" | "‐" | "‑" | "−" | "·" | "•" => "-",
        "…" => ".",
        "↑" => "^",
        "↓" => "v",
        "←" => "<",
        "→" => ">",
        "\u{a0}" => " ",
        _ => "?",
    }
}

impl Theme {
    /// From the environment: `NO_COLOR` (any non-empty value) turns colour off; a locale
    /// (`LC_ALL`, else `LC_CTYPE`, else `LANG`) that is not UTF-8 selects ASCII.
    pub fn from_env() -> Theme {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let locale = var("LC_ALL").or_else(|| var("LC_CTYPE")).or_else(|| var("LANG")).unwrap_or_default();
        let l = locale.to_lowercase();
        let utf8 = l.contains("utf-8") || l.contains("utf8");
        Theme { ascii: !utf8, color: var("NO_COLOR").is_none() }
    }

    pub fn border(&self) -> border::Set<'static> {
        if self.ascii { ASCII_BORDER } else { border::PLAIN }
    }

    /// The symbol of a status: never colour alone.
    pub fn glyph(&self, s: Status) -> &'static str {
        match (s, self.ascii) {
            (Status::Pass, false) => "✓",
            (Status::Fail, false) => "✗",
            (Status::NotApplicable, false) => "–",
            (Status::Unreviewed, false) => "○",
            (Status::Pass, true) => "+",
            (Status::Fail, true) => "X",
            (Status::NotApplicable, true) => "-",
            (Status::Unreviewed, true) => ".",
        }
    }

    /// The short word of a status, padded to the same width.
    pub fn word(&self, s: Status) -> &'static str {
        match s {
            Status::Pass => "pass",
            Status::Fail => "FAIL",
            Status::NotApplicable => "n/a ",
            Status::Unreviewed => "todo",
        }
    }

    pub fn carried_mark(&self) -> &'static str {
        if self.ascii { "~" } else { "↻" }
    }

    pub fn pointer(&self) -> &'static str {
        if self.ascii { ">" } else { "▶" }
    }

    pub fn ellipsis(&self) -> &'static str {
        if self.ascii { "..." } else { "…" }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color { Style::new().fg(c) } else { Style::new() }
    }

    pub fn status(&self, s: Status) -> Style {
        match s {
            Status::Pass => self.fg(Color::Green),
            Status::Fail => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Status::NotApplicable => self.fg(Color::Blue),
            Status::Unreviewed => self.fg(Color::Yellow),
        }
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        if self.color { Style::new().fg(Color::DarkGray) } else { Style::new() }
    }

    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn heading(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn focus_border(&self) -> Style {
        self.fg(Color::Cyan)
    }
}
