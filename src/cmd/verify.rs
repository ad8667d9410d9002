//! `privcheck verify FILE...`: the CI gate.

use super::Outcome;
use crate::app::signoff::check_signatures;
use crate::app::{Clock, Context};
use crate::cli::{Format, VerifyArgs};
use crate::error::{Error, Result};
use crate::model::verify::{self, Policy};
use crate::render::verify::{self as out_verify, FileResult, Totals};
use crate::sign::AllowedSigners;
use crate::store::results_file;
use std::io::Write;

pub fn run(cx: &Context, clock: Clock, args: &VerifyArgs, out: &mut dyn Write) -> Result<Outcome> {
    let set = cx.checklist_set()?;
    let allowed = match &args.allowed_signers {
        // The error names the file already (and the line); its text comes from the file.
        Some(p) => Some(AllowedSigners::load(p).map_err(|e| Error::Signing(e.to_string()))?),
        None => None,
    };
    let today = clock.today;
    let policy = Policy { require_signed: allowed.is_some(), require_roles: &args.require_role, today: Some(today) };
    let reports: Vec<FileResult> = args
        .files
        .iter()
        .map(|path| {
            let file = path.display().to_string();
            match results_file::read(path, &set) {
                Err(e) => FileResult::unreadable(file, e.to_string()),
                Ok(results) => {
                    let signatures = check_signatures(&results, allowed.as_ref());
                    FileResult::checked(file, verify::check(&results, &set, &signatures, &policy))
                }
            }
        })
        .collect();
    let text = match args.format {
        Format::Json => out_verify::json(&reports),
        Format::Text => out_verify::text(&reports),
    };
    out.write_all(text.as_bytes()).map_err(Error::output)?;
    let Totals { errors, with_findings, .. } = Totals::of(&reports);
    if errors > 0 {
        Err(Error::SomeUnreadable { failed: errors, total: reports.len() })
    } else if with_findings > 0 {
        Ok(Outcome::Findings)
    } else {
        Ok(Outcome::Ok)
    }
}
