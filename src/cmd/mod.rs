//! One module per subcommand. Each returns an [`Outcome`] (exit 0 or 1) or an
//! [`Error`] (exit 2).

pub mod checklists;
pub mod diff;
pub mod export;
pub mod lint;
pub mod new;
pub mod report;
pub mod review;
pub mod sign;
pub mod verify;

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::checklist::ChecklistSet;
use crate::store::checklist_file::{self, SourceFile};
use std::path::PathBuf;

/// How a command that ran ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report: exit 0.
    Ok,
    /// A check found problems: exit 1.
    Findings,
}

/// Everything a command needs from its environment, gathered once.
pub struct Context {
    pub config: Config,
    /// `--checklists`, if given.
    pub checklists: Option<PathBuf>,
}

impl Context {
    /// Where the active checklists come from: `--checklists`, else the config file, else built-in.
    pub fn checklist_dir(&self) -> Option<PathBuf> {
        self.checklists.clone().or_else(|| self.config.checklists.clone())
    }

    pub fn checklist_sources(&self) -> Result<Vec<SourceFile>> {
        match self.checklist_dir() {
            Some(dir) => Ok(checklist_file::read_sources(&[dir])?),
            None => Ok(checklist_file::builtin_sources()),
        }
    }

    /// The active checklist set; an error lists every problem in it.
    pub fn checklist_set(&self) -> Result<ChecklistSet> {
        if self.checklist_dir().is_none() {
            // Parsed when privcheck was built (and linted clean by the tests).
            return Ok(checklist_file::builtin());
        }
        let sources = self.checklist_sources()?;
        checklist_file::load(&sources).map_err(Error::Checklists)
    }
}

pub fn run(cli: Cli) -> Result<Outcome> {
    let cx = Context { config: crate::config::load()?, checklists: cli.checklists };
    match cli.command {
        Some(Command::Checklists) => checklists::run(&cx, &mut std::io::stdout().lock()),
        Some(Command::Lint(args)) => lint::run(&cx, &args, &mut std::io::stdout().lock()),
        Some(Command::Review(r)) => review::run(&cx, r.file, &r.review),
        None => review::run(&cx, None, &cli.review),
        Some(Command::Verify(args)) => verify::run(&cx, &args, &mut std::io::stdout().lock()),
        Some(Command::Sign(args)) => sign::run(&cx, &args, &mut std::io::stdout().lock()),
        Some(Command::New(args)) => new::run(&cx, &args, &mut std::io::stdout().lock()),
        Some(Command::Diff(args)) => diff::run(&cx, &args, &mut std::io::stdout().lock()),
        Some(Command::Report(args)) => report::run(&cx, &args, &mut std::io::stdout().lock()),
        Some(Command::Export(args)) => export::run(&cx, &args, &mut std::io::stdout().lock()),
    }
}
