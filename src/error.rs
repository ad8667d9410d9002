//! The error every command returns when it cannot do its job (exit code 2).
//!
//! Messages are complete sentences that say where (file, line, column, item) and what;
//! `main` prints them as `privcheck: {message}`.

use std::fmt;

#[derive(Debug)]
pub struct Error {
    message: String,
    /// Standard output was closed by its reader (`privcheck report | head`): not worth a
    /// message, as for every well-behaved command-line tool.
    broken_pipe: bool,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error { message: message.into(), broken_pipe: false }
    }

    /// Writing the command's output failed.
    pub fn output(err: std::io::Error) -> Self {
        Error {
            broken_pipe: err.kind() == std::io::ErrorKind::BrokenPipe,
            ..Error::new(format!("cannot write output: {err}"))
        }
    }

    pub fn is_broken_pipe(&self) -> bool {
        self.broken_pipe
    }

    /// An I/O error on `path`, as "PATH: what: cause".
    pub fn io(path: &std::path::Path, what: &str, err: std::io::Error) -> Self {
        Error::new(format!("{}: {what}: {err}", path.display()))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<crate::store::location::Diagnostic> for Error {
    fn from(d: crate::store::location::Diagnostic) -> Self {
        Error::new(d.to_string())
    }
}

impl From<crate::store::checklist_file::ReadError> for Error {
    fn from(e: crate::store::checklist_file::ReadError) -> Self {
        Error::new(e.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
