//! `privcheck verify FILE...`: the CI gate.

use super::Outcome;
use crate::app::{Clock, Context};
use crate::cli::{Format, VerifyArgs};
use crate::error::{Error, Result};
use crate::sign::AllowedSigners;
use crate::store::results_file;
use crate::text::escape_controls;
use crate::verify::{self, Finding, Policy};
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct FileReport {
    file: String,
    /// "ok", "findings" or "error".
    result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    findings: Vec<Finding>,
}

pub fn run(cx: &Context, clock: Clock, args: &VerifyArgs, out: &mut dyn Write) -> Result<Outcome> {
    let set = cx.checklist_set()?;
    let allowed = match &args.allowed_signers {
        // The error names the file already (and the line); its text comes from the file.
        Some(p) => Some(AllowedSigners::load(p).map_err(|e| Error::Signing(e.to_string()))?),
        None => None,
    };
    let today = clock.today;
    let policy = Policy { allowed_signers: allowed.as_ref(), require_roles: &args.require_role, today: Some(today) };
    let reports: Vec<FileReport> = args
        .files
        .iter()
        .map(|path| {
            let file = path.display().to_string();
            match results_file::read(path, &set) {
                Err(e) => FileReport { file, result: "error", error: Some(e.to_string()), findings: vec![] },
                Ok(results) => {
                    let findings = verify::check(&results, &set, &policy);
                    let result = if findings.is_empty() { "ok" } else { "findings" };
                    FileReport { file, result, error: None, findings }
                }
            }
        })
        .collect();
    let errors = reports.iter().filter(|r| r.error.is_some()).count();
    let with_findings = reports.iter().filter(|r| !r.findings.is_empty()).count();
    let total: usize = reports.iter().map(|r| r.findings.len()).sum();
    let io = Error::output;
    match args.format {
        Format::Json => {
            #[derive(Serialize)]
            struct All<'a> {
                files: &'a [FileReport],
                checked: usize,
                ok: usize,
                with_findings: usize,
                errors: usize,
                findings: usize,
            }
            let all = All {
                files: &reports,
                checked: reports.len(),
                ok: reports.len() - errors - with_findings,
                with_findings,
                errors,
                findings: total,
            };
            serde_json::to_writer_pretty(&mut *out, &all).map_err(|e| Error::output(e.into()))?;
            writeln!(out).map_err(io)?;
        }
        Format::Text => {
            for r in &reports {
                if let Some(e) = &r.error {
                    writeln!(out, "{}", escape_controls(e)).map_err(io)?;
                }
                for f in &r.findings {
                    writeln!(
                        out,
                        "{}: {}: {}",
                        escape_controls(&r.file),
                        escape_controls(&f.subject),
                        escape_controls(&f.message)
                    )
                    .map_err(io)?;
                }
            }
            let files = if reports.len() == 1 { "file" } else { "files" };
            writeln!(
                out,
                "{} {files} checked: {} ok, {with_findings} with findings ({total} finding{}), {errors} unreadable",
                reports.len(),
                reports.len() - errors - with_findings,
                if total == 1 { "" } else { "s" }
            )
            .map_err(io)?;
        }
    }
    if errors > 0 {
        Err(Error::SomeUnreadable { failed: errors, total: reports.len() })
    } else if with_findings > 0 {
        Ok(Outcome::Findings)
    } else {
        Ok(Outcome::Ok)
    }
}
