//! What `privcheck verify` prints: a line per finding and a summary (text), or one JSON
//! document with a format version.

use crate::model::verify::{Finding, Level};
use crate::render::text::escape_controls;
use serde::Serialize;

/// The version of the JSON structure (`privcheck_verify` in the output).
pub const JSON_VERSION: u32 = 1;

/// What verify found in one file.
#[derive(Debug, Serialize)]
pub struct FileResult {
    pub file: String,
    /// "ok" (nothing, or warnings only), "findings" (an error, or a denied warning) or "error".
    pub result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub findings: Vec<Finding>,
}

impl FileResult {
    pub fn checked(file: String, findings: Vec<Finding>) -> FileResult {
        let result = if crate::model::verify::fails(&findings) { "findings" } else { "ok" };
        FileResult { file, result, error: None, findings }
    }

    pub fn unreadable(file: String, error: String) -> FileResult {
        FileResult { file, result: "error", error: Some(error), findings: Vec::new() }
    }
}

/// Counts over the files checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub checked: usize,
    /// Files that pass: no finding, or warnings only.
    pub ok: usize,
    /// Files that fail: an error-level finding (a denied warning is one).
    pub with_findings: usize,
    /// Files that could not be read.
    pub errors: usize,
    /// Error-level findings.
    pub findings: usize,
    /// Findings that are warnings (not denied): shown, but they do not fail the gate.
    pub warnings: usize,
}

impl Totals {
    pub fn of(files: &[FileResult]) -> Totals {
        let errors = files.iter().filter(|r| r.error.is_some()).count();
        let with_findings = files.iter().filter(|r| crate::model::verify::fails(&r.findings)).count();
        let warnings = files.iter().flat_map(|r| &r.findings).filter(|f| f.level == Level::Warning).count();
        Totals {
            checked: files.len(),
            ok: files.len() - errors - with_findings,
            with_findings,
            errors,
            findings: files.iter().map(|r| r.findings.len()).sum::<usize>() - warnings,
            warnings,
        }
    }
}

/// The text form: `FILE: SUBJECT: message` per finding (`FILE: SUBJECT: warning: message
/// [CODE]` for a warning), then a summary line. When signatures were not checked
/// (`--skip-signatures`), every line says so.
pub fn text(files: &[FileResult], signatures_checked: bool) -> String {
    let unchecked = if signatures_checked { "" } else { " [signatures not checked]" };
    let mut out = String::new();
    for r in files {
        if let Some(e) = &r.error {
            out.push_str(&escape_controls(e));
            out.push('\n');
        }
        for f in &r.findings {
            let (warning, code) = match f.level {
                Level::Warning => ("warning: ", format!(" [{}]", f.code)),
                Level::Error => ("", String::new()),
            };
            out.push_str(&format!(
                "{}: {}: {warning}{}{code}{unchecked}\n",
                escape_controls(&r.file),
                escape_controls(&f.subject),
                escape_controls(&f.message)
            ));
        }
    }
    let t = Totals::of(files);
    let noun = if t.checked == 1 { "file" } else { "files" };
    out.push_str(&format!(
        "{} {noun} checked: {} ok, {} with findings ({} finding{}), {} unreadable{}{}\n",
        t.checked,
        t.ok,
        t.with_findings,
        t.findings,
        if t.findings == 1 { "" } else { "s" },
        t.errors,
        match t.warnings {
            0 => String::new(),
            1 => "; 1 warning (fails with --deny)".to_string(),
            n => format!("; {n} warnings (fail with --deny)"),
        },
        if signatures_checked { "" } else { "; signatures not checked (--skip-signatures): digests only" }
    ));
    out
}

/// The JSON form.
pub fn json(files: &[FileResult], signatures_checked: bool) -> String {
    #[derive(Serialize)]
    struct All<'a> {
        privcheck_verify: u32,
        signatures_checked: bool,
        files: &'a [FileResult],
        #[serde(flatten)]
        totals: Totals,
    }
    let mut s = serde_json::to_string_pretty(&All {
        privcheck_verify: JSON_VERSION,
        signatures_checked,
        files,
        totals: Totals::of(files),
    })
    .expect("verify results always serialise");
    s.push('\n');
    s
}
