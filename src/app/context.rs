//! Everything a command needs from its environment, gathered once: the user's config and
//! where the active checklists come from.

use super::config::Config;
use super::settings::Settings;
use crate::error::{Error, Result};
use crate::model::checklist::ChecklistSet;
use crate::store::checklist_file::{self, SourceFile};
use std::path::PathBuf;

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

    /// The checklist set for a results file whose repository has `settings`: `--checklists`
    /// or the config file first, then the repository's `checklists`, then the built-in set.
    pub fn checklist_set_in(&self, settings: Option<&Settings>) -> Result<ChecklistSet> {
        match settings.and_then(|s| s.checklists.clone()) {
            Some(dir) if self.checklist_dir().is_none() => {
                let sources = checklist_file::read_sources(&[dir])?;
                checklist_file::load(&sources).map_err(Error::Checklists)
            }
            _ => self.checklist_set(),
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
