//! `privcheck sign FILE`: sign off a results file without the UI, for scripts.

use super::Outcome;
use crate::app::signoff::{Refused, Signer, sign_off};
use crate::app::{Clock, Context};
use crate::cli::SignArgs;
use crate::error::{Error, Result};
use crate::render::text::escape_controls;
use crate::store::results_file;
use std::io::Write;

/// Warns on standard error about every remediation of `results` already past due on
/// `as_of` (`sign`, `new --from`): a warning, never a refusal.
pub fn warn_overdue(path: &std::path::Path, results: &crate::model::results::Results, as_of: jiff::civil::Date) {
    for (item, warning) in results.overdue_warnings(as_of) {
        eprintln!(
            "privcheck: warning: {}: {}: {}",
            crate::render::text::escape_controls(&path.display().to_string()),
            crate::render::text::escape_controls(item),
            crate::render::text::escape_controls(&warning)
        );
    }
}

pub fn run(cx: &Context, clock: Clock, args: &SignArgs, out: &mut dyn Write) -> Result<Outcome> {
    let set = cx.checklist_set()?;
    let shown = escape_controls(&args.file.display().to_string());
    let mut writer = super::take_writer(&args.file, &shown, clock.now)?;
    let Some(text) = writer.read().map_err(|e| Error::io(&args.file, "cannot read results file", e))? else {
        return Err(Error::Usage(format!("{shown}: no such results file")));
    };
    let mut results = results_file::from_toml_for_set(&text, &args.file.display().to_string(), &set)?;
    let dir = args.file.parent().unwrap_or(std::path::Path::new(""));
    let settings = crate::app::settings::find(dir)?;
    let extra = settings.as_ref().map(|s| s.roles.clone()).unwrap_or_default();
    crate::app::signoff::check_role(&args.role, &extra).map_err(Error::Usage)?;
    let signer = Signer::from_config(cx, &args.role, args.key.as_deref(), args.no_sign, Some(dir))?;
    warn_overdue(&args.file, &results, super::verify::judged_on(args.as_of.as_of, clock, results.period));
    let s = match sign_off(&mut results, &set, &signer, clock.now) {
        Ok(s) => s,
        Err(refused @ Refused::Blocked(_)) => {
            // The problems quote the file (a digest it names): shown escaped, line breaks kept.
            writeln!(out, "{}", crate::render::text::escape_controls_multiline(&refused.to_string()))
                .map_err(Error::output)?;
            return Ok(Outcome::Findings);
        }
        Err(Refused::Failed(e)) => return Err(e),
    };
    writer.save(&results_file::to_toml(&results)).map_err(|e| Error::Refused(escape_controls(&e.to_string())))?;
    let how = match &s.key {
        Some(k) => format!("signed with {k}"),
        None => "UNSIGNED: no SSH key was found (see `privcheck help sign`)".to_string(),
    };
    // The name and email come from git's config: escaped, as everything from outside.
    let who = escape_controls(&format!("{} <{}> as {}, {how}", s.name, s.email, s.role));
    writeln!(out, "{shown}: signed off by {who}").map_err(Error::output)?;
    Ok(Outcome::Ok)
}
