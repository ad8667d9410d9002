//! The error every command returns when it cannot do its job (exit code 2), by kind.
//!
//! Messages are complete sentences that say where (file, line, column, item) and what;
//! `main` prints them as `privcheck: {message}`, escaped. Tests match the kind, not the text.

use crate::diag::Diagnostic;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file's content is wrong at a place in it (a results, config or checklist file).
    #[error("{0}")]
    Input(#[from] Diagnostic),
    /// The active checklist set does not lint clean.
    #[error("the checklists have problems (run `privcheck lint` for the full list):{}", first_ten(.0))]
    Checklists(Vec<Diagnostic>),
    /// Reading or writing a file failed.
    #[error("{}: {what}: {source}", path.display())]
    Io {
        path: PathBuf,
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// Writing the command's output failed (a closed pipe is not worth a message).
    #[error("cannot write output: {0}")]
    Output(std::io::Error),
    /// Signing, or reading what signing needs (a key, an allowed_signers file), failed.
    #[error("{0}")]
    Signing(String),
    /// privcheck will not do what was asked, because it would lose or overwrite something,
    /// or someone else holds the file.
    #[error("{0}")]
    Refused(String),
    /// The command line asks for something that cannot be (a bad period, a wrong path).
    #[error("{0}")]
    Usage(String),
    /// The terminal cannot be used (none, or it failed).
    #[error("{0}")]
    Terminal(String),
    /// Some of several files could not be read; each is listed with its own error.
    #[error("{} of {total} results files could not be read:\n  {}", .errors.len(), join(.errors))]
    Unreadable { errors: Vec<Error>, total: usize },
    /// Some of several files could not be read, and each was reported already.
    #[error("{failed} of {total} results files could not be read")]
    SomeUnreadable { failed: usize, total: usize },
}

fn first_ten(d: &[Diagnostic]) -> String {
    d.iter().take(10).map(|d| format!("\n  {d}")).collect()
}

fn join(errors: &[Error]) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  ")
}

impl Error {
    /// An I/O error on `path`, shown as "PATH: what: cause".
    pub fn io(path: &std::path::Path, what: &'static str, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), what, source }
    }

    /// Writing the command's output failed.
    pub fn output(err: std::io::Error) -> Self {
        Error::Output(err)
    }

    /// Standard output was closed by its reader (`privcheck report | head`): exit quietly,
    /// as every well-behaved command-line tool does.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// The process exit code for this error: 2 (input or usage), or 0 for a closed pipe.
    pub fn exit_code(&self) -> u8 {
        if self.is_broken_pipe() { 0 } else { 2 }
    }
}

impl From<crate::store::checklist_file::ReadError> for Error {
    fn from(e: crate::store::checklist_file::ReadError) -> Self {
        Error::Io { path: e.path, what: "cannot read checklists", source: e.error }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
