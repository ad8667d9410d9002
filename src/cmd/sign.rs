//! `privcheck sign FILE`: sign off a results file without the UI, for scripts.

use super::Outcome;
use crate::app::signoff::{Refused, Signer, sign_off};
use crate::app::{Clock, Context};
use crate::cli::SignArgs;
use crate::error::{Error, Result};
use crate::store::{lock, results_file};
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
    let _lock = match lock::acquire(&args.file, &lock::Holder::this_process(clock.now))
        .map_err(|e| Error::io(&args.file, "cannot lock", e))?
    {
        lock::Acquired::Held { lock, .. } => {
            crate::store::atomic::remove_stale_temps(&args.file);
            lock
        }
        lock::Acquired::Busy(who) => {
            return Err(Error::Refused(format!(
                "{}: being edited by {who}; try again when they are done",
                args.file.display()
            )));
        }
    };
    let mut results = results_file::read(&args.file, &set)?;
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
    results_file::save(&args.file, &results).map_err(|e| Error::io(&args.file, "cannot save", e))?;
    let how = match &s.key {
        Some(k) => format!("signed with {k}"),
        None => "UNSIGNED: no SSH key was found (see `privcheck help sign`)".to_string(),
    };
    writeln!(out, "{}: signed off by {} <{}> as {}, {how}", args.file.display(), s.name, s.email, s.role)
        .map_err(Error::output)?;
    Ok(Outcome::Ok)
}
