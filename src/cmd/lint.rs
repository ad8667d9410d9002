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
    let diagnostics = checklist_file::lint_all(&sources, &checks.iter().collect::<Vec<_>>()).diagnostics;
    let io = Error::output;
    for d in &diagnostics {
        writeln!(out, "{d}").map_err(io)?;
    }
    let files = sources.len();
    if diagnostics.is_empty() {
        let quotes = if checks.is_empty() { String::new() } else { ", every quote found".to_string() };
        writeln!(out, "{files} checklist files clean{quotes}").map_err(io)?;
        Ok(Outcome::Ok)
    } else {
        writeln!(out, "{} problems in {files} checklist files", diagnostics.len()).map_err(io)?;
        Ok(Outcome::Findings)
    }
}
