//! `privcheck lint`: check checklist files, and optionally their quotes against policy texts.

use super::Outcome;
use crate::app::Context;
use crate::cli::LintArgs;
use crate::error::{Error, Result};
use crate::store::checklist_file::{self, PolicyCheck};
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
    let lint = checklist_file::lint_all(&sources, &checks.iter().collect::<Vec<_>>());
    let io = Error::output;
    for d in lint.diagnostics.iter().chain(&lint.warnings) {
        writeln!(out, "{d}").map_err(io)?;
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
    writeln!(out, "{summary}").map_err(io)?;
    Ok(if lint.diagnostics.is_empty() { Outcome::Ok } else { Outcome::Findings })
}

/// `1 problem`, `2 problems`.
fn count(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}
