//! `privcheck lint`: check checklist files, and optionally their quotes against policy texts.

use super::Outcome;
use crate::app::Context;
use crate::cli::LintArgs;
use crate::error::{Error, Result};
use crate::render::text::escape_controls;
use crate::store::checklist_file::{self, LintOptions, PolicyCheck};
use crate::store::coverage::{Account, Coverage};
use std::io::Write;

pub fn run(cx: &Context, args: &LintArgs, out: &mut dyn Write) -> Result<Outcome> {
    let sources =
        if args.paths.is_empty() { cx.checklist_sources()? } else { checklist_file::read_sources(&args.paths)? };
    let mut checks = Vec::new();
    for p in &args.policy {
        let text = std::fs::read_to_string(p).map_err(|e| Error::io(p, "cannot read policy text", e))?;
        checks.push(PolicyCheck::Text { name: p.display().to_string(), text });
    }
    if let Some(dir) = &args.policy_dir {
        if !dir.is_dir() {
            return Err(Error::Usage(format!("{}: not a directory of policy texts", dir.display())));
        }
        checks.push(PolicyCheck::Dir(dir.clone()));
    }
    // One run: every problem of every file, the quotes' too, whatever else is wrong.
    let options = LintOptions { policies: checks.iter().collect(), coverage: args.coverage };
    let lint = checklist_file::lint_with(&sources, &options);
    let io = Error::output;
    for d in lint.diagnostics.iter().chain(&lint.warnings) {
        writeln!(out, "{d}").map_err(io)?;
    }
    let mut coverage_problems = 0;
    if let Some(coverage) = &lint.coverage {
        write_coverage(out, coverage).map_err(io)?;
        coverage_problems = coverage.problems.len();
    }
    let declarations = lint.declaration_files;
    let files = sources.len() - declarations;
    let mut summary = if lint.diagnostics.is_empty() {
        let quotes = if checks.is_empty() { "" } else { ", every quote found" };
        format!("{} clean{quotes}", count(files, "checklist file"))
    } else {
        format!("{} in {}", count(lint.diagnostics.len(), "problem"), count(files, "checklist file"))
    };
    if declarations > 0 {
        summary.push_str(&format!(" (and {})", count(declarations, "declarations file")));
    }
    if !lint.warnings.is_empty() {
        summary.push_str(&format!("; {}", count(lint.warnings.len(), "warning")));
    }
    if let Some(coverage) = &lint.coverage {
        let (mut n, mut uncovered) = (0, 0);
        for d in &coverage.documents {
            let c = d.counts();
            n += c.0;
            uncovered += c.3;
        }
        if coverage_problems == 0 {
            summary.push_str(&format!("; every one of {} accounted for", count(n, "promise sentence")));
        } else {
            summary.push_str(&format!(
                "; coverage: {} of {} uncovered, {}",
                uncovered,
                count(n, "promise sentence"),
                count(coverage_problems, "coverage problem")
            ));
        }
    }
    writeln!(out, "{summary}").map_err(io)?;
    Ok(if lint.diagnostics.is_empty() && coverage_problems == 0 { Outcome::Ok } else { Outcome::Findings })
}

/// Per document: the counts, then each promise-bearing sentence with what became of it
/// (an uncovered one as a problem, `FILE:LINE:COL: ...`); then the stale exclusions.
fn write_coverage(out: &mut dyn Write, coverage: &Coverage) -> std::io::Result<()> {
    let mut uncovered = coverage.problems.iter();
    for d in &coverage.documents {
        let (n, cited, excluded, open) = d.counts();
        writeln!(
            out,
            "coverage of {}: {}, {cited} cited, {excluded} excluded with a reason, {open} uncovered",
            escape_controls(&d.file),
            count(n, "promise sentence")
        )?;
        for s in &d.sentences {
            let at = format!("{}:{}:{}", escape_controls(&d.path), s.line, s.column);
            let text = escape_controls(&s.text);
            match &s.account {
                Account::Cited(items) => writeln!(out, "  {at}: cited by {}: \"{text}\"", items.join(", "))?,
                Account::Excluded(reason) => {
                    writeln!(out, "  {at}: excluded ({}): \"{text}\"", escape_controls(reason))?;
                }
                Account::Uncovered => {
                    if let Some(d) = uncovered.next() {
                        writeln!(out, "{d}")?;
                    }
                }
            }
        }
    }
    for d in uncovered {
        writeln!(out, "{d}")?;
    }
    Ok(())
}

/// `1 problem`, `2 problems`.
fn count(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}
