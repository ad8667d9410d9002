//! Where a problem is: `FILE:LINE:COL: message`, the form every error about a file's content takes.

use std::fmt;

/// One problem in one file, at a 1-based line and column (0 when there is no position).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = crate::render::text::escape_controls(&self.message);
        if self.line == 0 {
            write!(f, "{}: {}", self.file, message)
        } else {
            write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, message)
        }
    }
}

impl std::error::Error for Diagnostic {}

impl Diagnostic {
    /// `message` about `file`, at byte `offset` of its `text`.
    pub fn at(file: &std::path::Path, text: &str, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, column) = line_col(text, offset);
        Diagnostic { file: file.display().to_string(), line, column, message: message.into() }
    }

    /// A TOML error in `file`, whose text is `text`, where the parser says it is.
    pub fn toml(file: &std::path::Path, text: &str, e: &toml::de::Error) -> Diagnostic {
        Diagnostic::at(file, text, e.span().map_or(0, |s| s.start), e.message().trim())
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_in_characters() {
        assert_eq!(line_col("abc", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 3), (2, 1));
        assert_eq!(line_col("ab\né d", 6), (2, 3));
        assert_eq!(line_col("x", 99), (1, 2));
    }
}
