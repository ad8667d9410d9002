//! `privcheck diff OLD NEW [--format human|markdown|json]`: what changed between two results
//! files, item by item.
//!
//! The files are read without a checklist set, so files answered against different checklist
//! versions still compare; the active set only adds the questions it knows and the order of
//! items. Exit 0 whether or not there are differences; 2 when a file cannot be read.
//! Every piece of text from a file is escaped for where it goes (terminal or Markdown).

use super::Outcome;
use crate::app::Context;
use crate::cli::{DiffArgs, DiffFormat};
use crate::error::{Error, Result};
use crate::model::checklist::ChecklistSet;
use crate::model::diff::diff;
use crate::model::results::Results;
use crate::render::diff::{Files, human, json, markdown};
use crate::render::text::escape_controls;
use crate::store::results_file;
use std::io::Write;
use std::path::Path;

pub fn run(cx: &Context, args: &DiffArgs, color: bool, out: &mut dyn Write) -> Result<Outcome> {
    let old = read(&args.old)?;
    let new = read(&args.new)?;
    // The set only decorates: a set that does not load must not keep two files from comparing.
    let set = cx.checklist_set().unwrap_or_else(|e| {
        eprintln!("privcheck: warning: {}; items are shown by id only", escape_controls(&e.to_string()));
        ChecklistSet::default()
    });
    let d = diff(&old, &new).with_set(&set);
    let files = Files { old: args.old.display().to_string(), new: args.new.display().to_string() };
    let text = match args.format {
        DiffFormat::Human => human(&d, &files, color),
        DiffFormat::Markdown => markdown(&d, &files),
        DiffFormat::Json => json(&d, &files),
    };
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(Error::output)?;
    Ok(Outcome::Ok)
}

/// Reads a results file as written, without a checklist set.
fn read(path: &Path) -> Result<Results> {
    let text = results_file::read_text(path)?;
    Ok(results_file::from_toml(&text, &path.display().to_string())?)
}
