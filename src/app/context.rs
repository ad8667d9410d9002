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
    /// The context of a command: the config, `--checklists`, and the `--checklists-add`
    /// folders, which are added after the config file's `extra_checklists` (so
    /// `config.extra_checklists` holds every added folder, in order).
    pub fn new(mut config: Config, checklists: Option<PathBuf>, checklists_add: Vec<PathBuf>) -> Context {
        config.extra_checklists.extend(checklists_add);
        Context { config, checklists }
    }

    /// Where the active checklists come from: `--checklists`, else the config file, else built-in.
    pub fn checklist_dir(&self) -> Option<PathBuf> {
        self.checklists.clone().or_else(|| self.config.checklists.clone())
    }

    /// The folders whose checklist files are added to the active set, in order.
    pub fn added_dirs(&self) -> &[PathBuf] {
        &self.config.extra_checklists
    }

    /// The files of the active set: those of [`Context::checklist_dir`] (or the built-in
    /// ones), then those of each added folder, each folder in file-name order.
    pub fn checklist_sources(&self) -> Result<Vec<SourceFile>> {
        let base = match self.checklist_dir() {
            Some(dir) => checklist_file::read_sources(&[dir])?,
            None => checklist_file::builtin_sources(),
        };
        self.with_added(base)
    }

    /// `sources`, then the files of each added folder.
    fn with_added(&self, mut sources: Vec<SourceFile>) -> Result<Vec<SourceFile>> {
        sources.extend(checklist_file::read_sources(self.added_dirs())?);
        Ok(sources)
    }

    /// The checklist set for a results file whose repository has `settings`: `--checklists`
    /// or the config file first, then the repository's `checklists`, then the built-in set;
    /// the added folders are added to each.
    pub fn checklist_set_in(&self, settings: Option<&Settings>) -> Result<ChecklistSet> {
        match settings.and_then(|s| s.checklists.clone()) {
            Some(dir) if self.checklist_dir().is_none() => {
                let sources = self.with_added(checklist_file::read_sources(&[dir])?)?;
                checklist_file::load(&sources).map_err(Error::Checklists)
            }
            _ => self.checklist_set(),
        }
    }

    /// The active checklist set; an error lists every problem in it (across the added
    /// folders too: an id must be unique in the combined set).
    pub fn checklist_set(&self) -> Result<ChecklistSet> {
        if self.checklist_dir().is_none() && self.added_dirs().is_empty() {
            // Parsed when privcheck was built (and linted clean by the tests).
            return Ok(checklist_file::builtin());
        }
        let sources = self.checklist_sources()?;
        checklist_file::load(&sources).map_err(Error::Checklists)
    }
}
