//! Colour for the non-interactive outputs, through `anstyle`: a style only ever adds to a
//! word that says the same thing (a status is never colour alone). Whether colour is wanted
//! is decided by the shell (`--color`, `NO_COLOR`, a terminal or not), and passed in.

use crate::model::results::Status;
use crate::model::signoff::SignOffStatus;
use anstyle::{AnsiColor, Effects, Style};

const BOLD: Style = Style::new().effects(Effects::BOLD);
const DIM: Style = Style::new().effects(Effects::DIMMED);
const RED: Style = AnsiColor::Red.on_default();
const GREEN: Style = AnsiColor::Green.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const CYAN: Style = AnsiColor::Cyan.on_default();
const ALARM: Style = AnsiColor::Red.on_default().effects(Effects::BOLD);

/// Styles text, or leaves it plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    pub const PLAIN: Paint = Paint { on: false };

    pub fn style(self, style: Style, s: &str) -> String {
        if self.on { format!("{}{s}{}", style.render(), style.render_reset()) } else { s.to_string() }
    }

    pub fn bold(self, s: &str) -> String {
        self.style(BOLD, s)
    }

    pub fn dim(self, s: &str) -> String {
        self.style(DIM, s)
    }

    pub fn red(self, s: &str) -> String {
        self.style(RED, s)
    }

    pub fn green(self, s: &str) -> String {
        self.style(GREEN, s)
    }

    /// A status in its word, coloured by what it means.
    pub fn status(self, s: Status) -> String {
        let style = match s {
            Status::Fail => ALARM,
            Status::Pass => GREEN,
            Status::NotApplicable => CYAN,
            Status::Unreviewed => YELLOW,
        };
        self.style(style, s.label())
    }

    /// A sign-off state in its word, coloured by what it means.
    pub fn signoff(self, s: SignOffStatus) -> String {
        let style = match s {
            SignOffStatus::Valid => GREEN,
            SignOffStatus::Void | SignOffStatus::Invalid => ALARM,
            SignOffStatus::Unsigned | SignOffStatus::Unverified => YELLOW,
            SignOffStatus::None => Style::new(),
        };
        self.style(style, s.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_is_plain_and_colour_only_adds() {
        assert_eq!(Paint::PLAIN.status(Status::Fail), "FAIL");
        let on = Paint { on: true }.status(Status::Fail);
        assert_eq!(anstream::adapter::strip_str(&on).to_string(), "FAIL");
        assert_eq!(on, "\x1b[1m\x1b[31mFAIL\x1b[0m");
    }
}
