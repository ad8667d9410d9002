//! `privcheck report FILE...`: a Markdown (or JSON) report of one results file, or a
//! roll-up of many.
//!
//! A directory stands for every `*.toml` file under it, recursively (hidden directories
//! and symbolic links to directories are skipped), and each must be a results file: one
//! that does not parse is an error naming it, like an unreadable file. Given several files
//! or a directory, the report starts with a roll-up table.

use super::Outcome;
use crate::app::signers::Resolver;
use crate::app::signoff::check_signatures;
use crate::app::{Clock, Context};
use crate::cli::{ReportArgs, ReportFormat};
use crate::error::{Error, Result};
use crate::render::report::{self, Report};
use crate::store::results_file;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The `*.toml` files under `dir`, recursively, in sorted order.
fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, "cannot read directory", e))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, "cannot read directory", e))?;
        let file_type = entry.file_type().map_err(|e| Error::io(&entry.path(), "cannot read", e))?;
        paths.push((entry.path(), file_type));
    }
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, file_type) in paths {
        let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if file_type.is_dir() {
            if !hidden {
                toml_files(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// The results files named by `paths` (directories expanded), each once, and whether the
/// report is a roll-up (several files, or a directory).
pub fn results_files(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, bool)> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut rollup = paths.len() > 1;
    for p in paths {
        if p.is_dir() {
            rollup = true;
            let mut found = Vec::new();
            toml_files(p, &mut found)?;
            if found.is_empty() {
                return Err(Error::Usage(format!("{}: no *.toml results files in this directory", p.display())));
            }
            for f in found {
                if !files.contains(&f) {
                    files.push(f);
                }
            }
        } else if !files.contains(p) {
            files.push(p.clone());
        }
    }
    Ok((files, rollup))
}

pub fn run(cx: &Context, clock: Clock, args: &ReportArgs, out: &mut dyn Write) -> Result<Outcome> {
    let set = cx.checklist_set()?;
    let (paths, rollup) = results_files(&args.paths)?;
    let as_of = AsOfDay { as_of: args.as_of.as_of, clock };
    let mut signers = super::verify::resolver(&args.signers, clock);
    if rollup && let Some(outcome) = rollup_report(&set, &paths, as_of, &mut signers, args.format, out)? {
        return Ok(outcome);
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut latest = None;
    for path in &paths {
        match results_file::read(path, &set) {
            Ok(results) => {
                let signatures = check_signatures(&results, Some(&signers.for_file(path)?.1));
                let today = as_of.of(results.period, &mut latest);
                files.push(report::build(&path.display().to_string(), &results, &set, &signatures, today))
            }
            Err(e) => errors.push(e),
        }
    }
    unreadable(errors, paths.len())?;
    let report = Report::new(files, latest.unwrap_or(clock.today));
    let text = match args.format {
        ReportFormat::Markdown => report::markdown::write(&report, rollup),
        ReportFormat::Json => report::json::write(&report),
    };
    out.write_all(text.as_bytes()).map_err(Error::output)?;
    Ok(Outcome::Ok)
}

/// `--as-of`: the day each file is judged as of, and the day the report says it is as of
/// (with `end`, the latest of the files' period ends).
#[derive(Clone, Copy)]
struct AsOfDay {
    as_of: Option<crate::cli::AsOf>,
    clock: Clock,
}

impl AsOfDay {
    /// The day a file of `period` is judged as of; keeps the latest in `latest`.
    fn of(self, period: crate::model::period::Period, latest: &mut Option<jiff::civil::Date>) -> jiff::civil::Date {
        let day = super::verify::judged_on(self.as_of, self.clock, period);
        *latest = (*latest).max(Some(day));
        day
    }
}

/// Each file's part of a roll-up, kept aside (in a temporary file) until the roll-up table,
/// which comes first, is known.
struct Parts {
    file: std::io::BufWriter<std::fs::File>,
    len: u64,
}

impl Parts {
    fn new() -> std::io::Result<Parts> {
        Ok(Parts { file: std::io::BufWriter::with_capacity(1 << 16, tempfile::tempfile()?), len: 0 })
    }

    /// Keeps `part`; returns where it is.
    fn push(&mut self, part: &str) -> std::io::Result<(u64, usize)> {
        self.file.write_all(part.as_bytes())?;
        let at = (self.len, part.len());
        self.len += part.len() as u64;
        Ok(at)
    }
}

/// A roll-up of several files, written as it is made: each file's part of the report is
/// made as the file is read and kept aside in a temporary file, then the roll-up table is
/// written, then the parts in the roll-up's order. The same text as building the whole
/// [`Report`] first, in a few megabytes of memory, however many files (the report of 1,000
/// files is some 20 MB of text, and their data took four times that in memory).
///
/// `None` when no temporary file can be written: the caller builds the report in memory.
fn rollup_report(
    set: &crate::model::checklist::ChecklistSet,
    paths: &[PathBuf],
    as_of: AsOfDay,
    signers: &mut Resolver,
    format: ReportFormat,
    out: &mut dyn Write,
) -> Result<Option<Outcome>> {
    use std::os::unix::fs::FileExt;
    let mut latest = None;
    let Ok(mut parts) = Parts::new() else { return Ok(None) };
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match results_file::read(path, set) {
            Ok(results) => {
                let signatures = check_signatures(&results, Some(&signers.for_file(path)?.1));
                let today = as_of.of(results.period, &mut latest);
                let f = report::build(&path.display().to_string(), &results, set, &signatures, today);
                let part = match format {
                    ReportFormat::Markdown => report::markdown::rollup_section(&f, &today.to_string()),
                    ReportFormat::Json => report::json::file_part(&f, true),
                };
                let Ok(at) = parts.push(&part) else { return Ok(None) };
                rows.push((report::RollupRow::of(&f), at));
            }
            Err(e) => errors.push(e),
        }
    }
    unreadable(errors, paths.len())?;
    let Ok(file) = parts.file.into_inner() else { return Ok(None) };
    report::RollupRow::sort(&mut rows);
    let today_text = latest.unwrap_or(as_of.clock.today).to_string();
    let table: Vec<report::RollupRow> = rows.iter().map(|(r, _)| r.clone()).collect();
    let head = match format {
        ReportFormat::Markdown => report::markdown::rollup_table(&table, &today_text),
        ReportFormat::Json => report::json::head(&table, &today_text),
    };
    out.write_all(head.as_bytes()).map_err(Error::output)?;
    let mut buf = Vec::new();
    for (k, (_, (offset, len))) in rows.iter().enumerate() {
        buf.resize(*len, 0);
        file.read_exact_at(&mut buf, *offset)
            .map_err(|e| Error::io(Path::new("(temporary file)"), "cannot read back", e))?;
        if format == ReportFormat::Json && k > 0 {
            out.write_all(b",\n").map_err(Error::output)?;
        }
        out.write_all(&buf).map_err(Error::output)?;
    }
    if format == ReportFormat::Json {
        out.write_all(report::json::TAIL.as_bytes()).map_err(Error::output)?;
    }
    Ok(Some(Outcome::Ok))
}

/// The error for the files that could not be read, if any: one file's own message, or
/// all of them.
fn unreadable(mut errors: Vec<Error>, total: usize) -> Result<()> {
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.remove(0)),
        _ => Err(Error::Unreadable { errors, total }),
    }
}
