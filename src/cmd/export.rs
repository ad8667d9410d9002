//! `privcheck export --format oscal|saf FILE [-o OUT]`: results for compliance tools.
//!
//! `oscal`: a NIST OSCAL 1.1.2 assessment-results document (see [`crate::render::export::oscal`]).
//! `saf`: MITRE SAF attestations for the items answered pass or fail; items not applicable
//! or unreviewed are left out, since a SAF attestation is only `passed` or `failed` (see
//! [`crate::render::export::saf`]). The same file always exports to the same bytes.

use super::Outcome;
use crate::app::Context;
use crate::app::signoff::check_signatures;
use crate::cli::{ExportArgs, ExportFormat};
use crate::error::{Error, Result};
use crate::render::export::{oscal, saf};
use crate::render::report;
use crate::render::text::escape_controls;
use crate::store::{atomic, results_file};
use std::io::Write;

pub fn run(cx: &Context, args: &ExportArgs, out: &mut dyn Write) -> Result<Outcome> {
    let set = cx.checklist_set()?;
    let results = results_file::read(&args.file, &set)?;
    // A void or incomplete file exports as it is, but not without a word. (What is overdue
    // does not matter here: the period's last day stands for today.)
    let name = args.file.display().to_string();
    let signatures = check_signatures(&results, None);
    for w in report::build(&name, &results, &set, &signatures, results.period.last_day()).warnings() {
        eprintln!("privcheck: warning: {}: {w}", escape_controls(&name));
    }
    let (text, what) = match args.format {
        ExportFormat::Oscal => (oscal::export(&results, &set, &signatures), "OSCAL assessment results".to_string()),
        ExportFormat::Saf => {
            let n = saf::attestations(&results, &set).len();
            (saf::export(&results, &set), format!("{n} SAF attestations"))
        }
    };
    let io = Error::output;
    match &args.output {
        None => out.write_all(text.as_bytes()).map_err(io)?,
        Some(path) => {
            let same = match (std::fs::canonicalize(path), std::fs::canonicalize(&args.file)) {
                (Ok(a), Ok(b)) => a == b,
                _ => false,
            };
            if same {
                return Err(Error::Refused(format!(
                    "{}: is the results file being exported; choose another output file",
                    path.display()
                )));
            }
            atomic::write(path, text.as_bytes()).map_err(|e| Error::io(path, "cannot write", e))?;
            writeln!(out, "{}: {what} written", escape_controls(&path.display().to_string())).map_err(io)?;
        }
    }
    Ok(Outcome::Ok)
}
