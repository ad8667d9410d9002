//! `privcheck report FILE...`: a Markdown (JSON, CSV) report of one results file, or a
//! roll-up of many.
//!
//! A directory stands for every `*.toml` file under it, recursively (hidden directories
//! and symbolic links to directories are skipped). Given several files or a directory, the
//! report starts with a roll-up: by default the latest period of each product
//! (`--all-periods`, `--period P`). The roll-up survives bad files: a file that cannot be
//! read is listed with its error (in the output and on standard error) and the exit code is
//! 2, but every readable file is in the report; a TOML file found in a directory that is
//! not a results file (no `schema` nor `period`) is skipped with a note; a file answered
//! against another checklist set than the one in force (its folder's `.privcheck.toml`
//! `checklists`, else `--checklists` or the built-in set) is reported with its items by id.
//!
//! Each file is checked as `privcheck verify` checks it (the same signer lists, the same
//! policy: [`super::verify::findings`]). The files are read on every core, each worker
//! keeping its files' parts of the report in a temporary file of its own; the output is the
//! same bytes whatever the number of workers.

use super::Outcome;
use crate::app::settings::Settings;
use crate::app::signers::SignerPolicy;
use crate::app::signoff::check_signatures;
use crate::app::{Clock, Context};
use crate::cli::{ReportArgs, ReportFormat, RollupArgs};
use crate::error::{Error, Result};
use crate::model::checklist::ChecklistSet;
use crate::render::report::rollup::{self, Skipped, Unreadable};
use crate::render::report::{self, FileReport, Periods, Summary, VerifyView};
use crate::render::text::escape_controls;
use crate::store::results_file;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One file to read: its path, and whether it was found in a directory (rather than named).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    pub found: bool,
}

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

/// The files named by `paths` (directories expanded), each once, and whether the report is
/// a roll-up (several files, or a directory).
pub fn results_files(paths: &[PathBuf]) -> Result<(Vec<Input>, bool)> {
    let mut files: Vec<Input> = Vec::new();
    // Each file once (a set: with thousands of files, a scan of the list per file is slow).
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
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
                if seen.insert(f.clone()) {
                    files.push(Input { path: f, found: true });
                }
            }
        } else if seen.insert(p.clone()) {
            files.push(Input { path: p.clone(), found: false });
        }
    }
    Ok((files, rollup))
}

/// The periods `--all-periods` and `--period` ask for (a period in any case: `2026-q3`).
pub fn periods(args: &RollupArgs) -> Result<Periods> {
    match (&args.period, args.all_periods) {
        (Some(p), _) => p.to_ascii_uppercase().parse().map(Periods::One).map_err(Error::Usage),
        (None, true) => Ok(Periods::All),
        (None, false) => Ok(Periods::Latest),
    }
}

/// What a folder's files are read and checked with: its repository's settings, the signer
/// lists in force, and which checklist set (an index in the sets loaded); or why its files
/// cannot be read (a bad `.privcheck.toml`, signer list or checklist folder).
type Folder = std::result::Result<(Option<Settings>, SignerPolicy, usize), String>;

/// How far reading the files has got, for a browser that shows its first frame before
/// they are all read; `cancel` stops the reading (what was read so far is returned).
#[derive(Debug, Default)]
pub struct Progress {
    pub total: std::sync::atomic::AtomicUsize,
    pub done: std::sync::atomic::AtomicUsize,
    pub cancel: std::sync::atomic::AtomicBool,
}

/// Everything the workers share.
struct Shared<'a> {
    inputs: &'a [Input],
    /// The folder of each input.
    folder_of: Vec<usize>,
    folders: Vec<Folder>,
    sets: Vec<ChecklistSet>,
    require_role: &'a [String],
    deny: &'a [String],
    /// `--as-of`: the day due dates are judged against, per file.
    as_of: Option<crate::cli::AsOf>,
    clock: Clock,
    /// The format of the parts to keep; `None`: keep none (the roll-up only).
    format: Option<ReportFormat>,
    rollup: bool,
    progress: Option<&'a Progress>,
}

/// What reading one file gave.
enum Done {
    Read { summary: Box<Summary>, set: usize, part: Option<(u64, usize)>, warnings: Vec<String> },
    Skipped(Skipped),
    Unreadable(Unreadable, Error),
}

/// What one worker did: each of its files (by index) and the parts it kept.
type Worked = Result<(Vec<(usize, Done)>, Kept)>;

/// Each file's part of the report, kept aside until the roll-up, which comes first, is
/// known: in a temporary file, or in memory when none can be made.
enum Parts {
    File(std::io::BufWriter<std::fs::File>, u64),
    Memory(Vec<u8>),
}

/// The parts written, to read back.
enum Kept {
    File(std::fs::File),
    Memory(Vec<u8>),
}

impl Parts {
    fn new() -> Parts {
        match tempfile::tempfile() {
            Ok(f) => Parts::File(std::io::BufWriter::with_capacity(1 << 16, f), 0),
            Err(_) => Parts::Memory(Vec::new()),
        }
    }

    /// Keeps `part`; returns where it is.
    fn push(&mut self, part: &str) -> std::io::Result<(u64, usize)> {
        match self {
            Parts::File(w, len) => {
                w.write_all(part.as_bytes())?;
                let at = (*len, part.len());
                *len += part.len() as u64;
                Ok(at)
            }
            Parts::Memory(v) => {
                let at = (v.len() as u64, part.len());
                v.extend_from_slice(part.as_bytes());
                Ok(at)
            }
        }
    }

    fn finish(self) -> std::io::Result<Kept> {
        match self {
            Parts::File(w, _) => Ok(Kept::File(w.into_inner().map_err(std::io::IntoInnerError::into_error)?)),
            Parts::Memory(v) => Ok(Kept::Memory(v)),
        }
    }
}

impl Kept {
    fn read(&self, (offset, len): (u64, usize), buf: &mut Vec<u8>) -> std::io::Result<()> {
        use std::os::unix::fs::FileExt;
        buf.resize(len, 0);
        match self {
            Kept::File(f) => f.read_exact_at(buf, offset),
            Kept::Memory(v) => {
                let start = usize::try_from(offset).expect("in memory");
                buf.copy_from_slice(&v[start..start + len]);
                Ok(())
            }
        }
    }
}

fn temporary(what: &'static str) -> impl Fn(std::io::Error) -> Error {
    move |e| Error::io(Path::new("(temporary file)"), what, e)
}

/// `e` as the roll-up lists it.
fn unreadable_of(path: &Path, e: &Error) -> Unreadable {
    match e {
        Error::Input(d) => Unreadable {
            file: d.file.clone(),
            line: (d.line > 0).then_some(d.line),
            column: (d.line > 0).then_some(d.column),
            message: d.message.clone(),
        },
        Error::Io { what, source, .. } => Unreadable {
            file: path.display().to_string(),
            line: None,
            column: None,
            message: format!("{what}: {source}"),
        },
        other => Unreadable { file: path.display().to_string(), line: None, column: None, message: other.to_string() },
    }
}

/// Does `text`, which is not a valid results file, look like one (so that it is reported
/// unreadable rather than skipped)? It is not TOML at all, or it has `schema` or `period`.
fn looks_like_results(text: &str) -> bool {
    match toml::from_str::<toml::Table>(text) {
        Ok(t) => t.contains_key("schema") || t.contains_key("period"),
        Err(_) => true,
    }
}

/// A file read: its report, the index of its checklist set, what is void or incomplete
/// about it, and the day it was judged as of.
type Read1 = (FileReport, usize, Vec<String>, jiff::civil::Date);

/// Reads, checks and reports one file.
fn read_one(sh: &Shared<'_>, k: usize) -> std::result::Result<Read1, Box<Done>> {
    let input = &sh.inputs[k];
    let path = &input.path;
    let name = path.display().to_string();
    let fail = |e: Error| Box::new(Done::Unreadable(unreadable_of(path, &e), e));
    let (settings, policy, set_index) = match &sh.folders[sh.folder_of[k]] {
        Ok((settings, policy, set)) => (settings.as_ref(), policy, *set),
        Err(message) => return Err(fail(Error::Usage(format!("{name}: {message}")))),
    };
    let set = &sh.sets[set_index];
    let text = results_file::read_text(path).map_err(fail)?;
    // Read against the folder's set (one parse, for nearly every file); a file that does
    // not read so is answered against another set, or not a results file at all.
    let (results, foreign) = match results_file::from_toml_for_set(&text, &name, set) {
        Ok(r) => (r, None),
        Err(d) => match results_file::from_toml(&text, &name) {
            Ok(r) => (r, Some(d)),
            Err(_) if input.found && !looks_like_results(&text) => {
                let reason = if path.file_name().is_some_and(|n| n == crate::app::settings::FILE_NAME) {
                    "the repository's privcheck settings, not a results file".to_string()
                } else {
                    "not a results file (it has no `schema` or `period`)".to_string()
                };
                return Err(Box::new(Done::Skipped(Skipped { file: name, reason })));
            }
            Err(d) => return Err(fail(Error::Input(d))),
        },
    };
    let today = super::verify::judged_on(sh.as_of, sh.clock, results.period);
    let f = match foreign {
        Some(d) => {
            let signatures = check_signatures(&results, Some(policy));
            let mut f = report::build_by_id(&name, &results, set, &signatures, today);
            f.verify = VerifyView::unreadable(d.to_string());
            f
        }
        None => {
            let asked = super::verify::Asked { require_role: sh.require_role, deny: sh.deny, as_of: sh.as_of };
            let (signatures, findings) =
                super::verify::findings(&results, set, settings, Some(policy), &asked, sh.clock);
            let mut f = report::build(&name, &results, set, &signatures, today);
            f.verify = VerifyView::checked(findings);
            f
        }
    };
    let warnings = f.warnings();
    Ok((f, set_index, warnings, today))
}

/// Reads the files `k` of `worker` of `workers` takes (every `workers`-th), keeping their
/// parts of the report in `parts`.
fn work(sh: &Shared<'_>, worker: usize, workers: usize) -> Worked {
    let mut parts = Parts::new();
    let mut done = Vec::new();
    for k in crate::app::cores::items_of(sh.inputs.len(), worker, workers) {
        if let Some(p) = sh.progress {
            if p.cancel.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            p.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let d = match read_one(sh, k) {
            Err(d) => *d,
            Ok((f, set, warnings, day)) => {
                let today = day.to_string();
                let part = match (sh.format, sh.rollup) {
                    (Some(ReportFormat::Markdown), true) => Some(report::markdown::rollup_section(&f, &today)),
                    (Some(ReportFormat::Markdown), false) => Some(report::markdown::single(&f, &today)),
                    (Some(ReportFormat::Json), _) => Some(report::json::file_part(&f, true)),
                    (Some(ReportFormat::Csv) | None, _) => None,
                };
                let part = part.map(|p| parts.push(&p)).transpose().map_err(temporary("cannot write"))?;
                Done::Read { summary: Box::new(Summary::of(&f, day)), set, part, warnings }
            }
        };
        done.push((k, d));
    }
    Ok((done, parts.finish().map_err(temporary("cannot write"))?))
}

/// The folder of each input, and what its files are read with: worked out once per
/// folder, in the order of the inputs (the signer lists' warnings are printed then).
fn folders(
    cx: &Context,
    args: &RollupArgs,
    clock: Clock,
    inputs: &[Input],
) -> Result<(Vec<usize>, Vec<Folder>, Vec<ChecklistSet>)> {
    let mut resolver = super::verify::resolver(&args.signers, clock);
    // The active set first: when it cannot be loaded, nothing can be reported.
    let mut sets: Vec<(Option<PathBuf>, ChecklistSet)> = vec![(None, cx.checklist_set()?)];
    let mut dirs: std::collections::BTreeMap<PathBuf, usize> = std::collections::BTreeMap::new();
    let mut folder_of = Vec::with_capacity(inputs.len());
    let mut folders: Vec<Folder> = Vec::new();
    for input in inputs {
        let dir = match input.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if let Some(&i) = dirs.get(&dir) {
            folder_of.push(i);
            continue;
        }
        let folder = match resolver.for_file(&input.path) {
            Err(e) => Err(e.to_string()),
            Ok((settings, policy)) => {
                // The set `checklist_set_in` would load: the folder's own unless
                // --checklists or the config names one.
                let wanted =
                    settings.as_ref().and_then(|s| s.checklists.clone()).filter(|_| cx.checklist_dir().is_none());
                match sets.iter().position(|(k, _)| *k == wanted) {
                    Some(i) => Ok((settings.clone(), policy.clone(), i)),
                    None => match cx.checklist_set_in(settings.as_ref()) {
                        Ok(set) => {
                            sets.push((wanted, set));
                            Ok((settings.clone(), policy.clone(), sets.len() - 1))
                        }
                        Err(e) => Err(e.to_string()),
                    },
                }
            }
        };
        folders.push(folder);
        dirs.insert(dir, folders.len() - 1);
        folder_of.push(folders.len() - 1);
    }
    Ok((folder_of, folders, sets.into_iter().map(|(_, s)| s).collect()))
}

/// The files of a roll-up, read and checked: what the roll-up needs of each readable file
/// (in the order of the inputs), the files that could not be read or were skipped, and the
/// checklist set each was read with.
pub struct Fleet {
    /// Several files or a directory (not one file named).
    pub rollup: bool,
    /// How many files were named or found.
    pub inputs: usize,
    pub summaries: Vec<Summary>,
    /// For each summary, the checklist set its file was read with (an index in `sets`).
    pub set_of: Vec<usize>,
    pub sets: Vec<ChecklistSet>,
    pub unreadable: Vec<Unreadable>,
    pub skipped: Vec<Skipped>,
    /// Why each unreadable file could not be read.
    errors: Vec<Error>,
    /// For each summary: its file and what is void or incomplete about it.
    warnings: Vec<(String, Vec<String>)>,
    /// For each summary: where its part of the report is kept (worker, place).
    locations: Vec<Option<(usize, (u64, usize))>>,
    kept: Vec<Kept>,
}

/// Reads and checks the files `args` names, on every core, as `privcheck report` does,
/// keeping no report parts: what `privcheck browse` shows. An unreadable file is in
/// [`Fleet::unreadable`], not an error.
/// `progress` counts the files as they are read.
pub fn read_fleet(cx: &Context, clock: Clock, args: &RollupArgs, progress: &Progress) -> Result<Fleet> {
    read(cx, clock, args, None, Some(progress))
}

fn read(
    cx: &Context,
    clock: Clock,
    args: &RollupArgs,
    format: Option<ReportFormat>,
    progress: Option<&Progress>,
) -> Result<Fleet> {
    let (inputs, rollup) = results_files(&args.paths)?;
    if let Some(p) = progress {
        p.total.store(inputs.len(), std::sync::atomic::Ordering::Relaxed);
    }
    let (folder_of, folders, sets) = folders(cx, args, clock, &inputs)?;
    let sh = Shared {
        inputs: &inputs,
        folder_of,
        folders,
        sets,
        require_role: &args.require_role,
        deny: &args.deny,
        as_of: args.as_of.as_of,
        clock,
        format,
        rollup,
        progress,
    };
    let results: Vec<Worked> = crate::app::cores::per_worker(inputs.len(), |w, n| work(&sh, w, n));
    // Back in the order of the inputs.
    let mut kept = Vec::with_capacity(results.len());
    let mut slots: Vec<Option<(usize, Done)>> = (0..inputs.len()).map(|_| None).collect();
    for (w, r) in results.into_iter().enumerate() {
        let (done, k) = r?;
        kept.push(k);
        for (i, d) in done {
            slots[i] = Some((w, d));
        }
    }
    let mut fleet = Fleet {
        rollup,
        inputs: inputs.len(),
        summaries: Vec::new(),
        set_of: Vec::new(),
        sets: sh.sets,
        unreadable: Vec::new(),
        skipped: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        locations: Vec::new(),
        kept,
    };
    for (w, d) in slots.into_iter().flatten() {
        match d {
            Done::Read { summary, set, part, warnings } => {
                fleet.warnings.push((summary.row.file.clone(), warnings));
                fleet.summaries.push(*summary);
                fleet.set_of.push(set);
                fleet.locations.push(part.map(|p| (w, p)));
            }
            Done::Skipped(s) => fleet.skipped.push(s),
            Done::Unreadable(u, e) => {
                fleet.unreadable.push(u);
                fleet.errors.push(e);
            }
        }
    }
    Ok(fleet)
}

pub fn run(cx: &Context, clock: Clock, args: &ReportArgs, out: &mut dyn Write) -> Result<Outcome> {
    let periods = periods(&args.files)?;
    let Fleet { rollup, inputs, summaries, unreadable, skipped, mut errors, warnings, locations, kept, .. } =
        read(cx, clock, &args.files, Some(args.format), None)?;
    if !rollup && let Some(e) = errors.pop() {
        // One file, and it cannot be read: its own error, and nothing on standard output.
        return Err(e);
    }
    for u in &unreadable {
        eprintln!("privcheck: {}", escape_controls(&u.describe()));
    }
    for s in &skipped {
        eprintln!("privcheck: note: {}: skipped: {}", escape_controls(&s.file), escape_controls(&s.reason));
    }
    let failed = unreadable.len();
    // The day the roll-up is as of: `--as-of`'s, with `end` the latest of the files' ends.
    let today = match args.files.as_of.as_of {
        Some(crate::cli::AsOf::End) => summaries
            .iter()
            .filter_map(|s| s.row.period.parse::<crate::model::period::Period>().ok())
            .map(|p| p.last_day())
            .max()
            .unwrap_or(clock.today),
        Some(crate::cli::AsOf::Date(d)) => d,
        None => clock.today,
    };
    let (roll, order) = rollup::rollup(&summaries, &periods, unreadable, skipped, today);
    if !rollup && order.is_empty() && !summaries.is_empty() {
        return Err(Error::Usage(format!(
            "{}: is of period {}, not {}",
            summaries[0].row.file,
            summaries[0].row.period,
            periods.name()
        )));
    }
    warn(&warnings, &order, rollup);
    let head = match (args.format, rollup) {
        (ReportFormat::Markdown, true) => report::markdown::rollup_head(&roll),
        (ReportFormat::Markdown, false) => String::new(),
        (ReportFormat::Json, _) => report::json::head(&roll),
        (ReportFormat::Csv, _) => report::csv::write(&roll),
    };
    out.write_all(head.as_bytes()).map_err(Error::output)?;
    let mut buf = Vec::new();
    let mut first = true;
    for &i in &order {
        let Some((w, at)) = locations[i] else { continue };
        kept[w].read(at, &mut buf).map_err(temporary("cannot read back"))?;
        if args.format == ReportFormat::Json && !first {
            out.write_all(b",\n").map_err(Error::output)?;
        }
        first = false;
        out.write_all(&buf).map_err(Error::output)?;
    }
    if args.format == ReportFormat::Json {
        out.write_all(report::json::TAIL.as_bytes()).map_err(Error::output)?;
    }
    out.flush().map_err(Error::output)?;
    if failed > 0 {
        return Err(Error::SomeUnreadable { failed, total: inputs - roll.skipped.len() });
    }
    Ok(Outcome::Ok)
}

/// Says on standard error which files shown are void or incomplete: each, for one file;
/// how many, for a roll-up (whose table says which).
fn warn(warnings: &[(String, Vec<String>)], shown: &[usize], rollup: bool) {
    if !rollup {
        for (file, ws) in shown.iter().map(|&i| &warnings[i]) {
            for w in ws {
                eprintln!("privcheck: warning: {}: {w}", escape_controls(file));
            }
        }
        return;
    }
    let with = |word: &str| shown.iter().filter(|&&i| warnings[i].1.iter().any(|w| w.contains(word))).count();
    let (void, incomplete) = (with("void"), with("incomplete"));
    if void > 0 || incomplete > 0 {
        eprintln!(
            "privcheck: warning: of the {} files shown, {void} have a void sign-off and {incomplete} are incomplete (unreviewed items or carried answers to confirm)",
            shown.len()
        );
    }
}
