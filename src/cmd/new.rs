//! `privcheck new --from PREV`: start a period from the previous one.

use super::Outcome;
use crate::app::{Clock, Context};
use crate::cli::NewArgs;
use crate::error::{Error, Result};
use crate::model::carry::carry;
use crate::model::period::Period;
use crate::render::text::escape_controls;
use crate::store::results_file;
use std::io::Write;

pub fn run(cx: &Context, clock: Clock, args: &NewArgs, out: &mut dyn Write) -> Result<Outcome> {
    let set = cx.checklist_set()?;
    let text = results_file::read_text(&args.from)?;
    // Read without the set: answers to items the set no longer has are listed, not refused.
    let mut prev = results_file::from_toml(&text, &args.from.display().to_string())?;
    // An answer to an item the set replaced is an answer to the item that replaces it.
    results_file::apply_replacements(&mut prev, &set);
    let period = match &args.period {
        Some(p) => p.parse::<Period>().map_err(Error::Usage)?,
        None => prev.period.next(),
    };
    if period <= prev.period {
        return Err(Error::Usage(format!(
            "--period {period} is not after {} (the period of {})",
            prev.period,
            args.from.display()
        )));
    }
    let output = args.output.clone().unwrap_or_else(|| args.from.with_file_name(period.file_name()));
    let shown = escape_controls(&output.display().to_string());
    // Under the output's lock: never while a review holds it, never over a file.
    let mut writer = super::take_writer(&output, &shown, clock.now)?;
    if output.exists() {
        return Err(Error::Refused(format!("{shown}: already exists; privcheck never overwrites a results file")));
    }
    let (next, report) = carry(&prev, &set, period, clock.now);
    super::sign::warn_overdue(&output, &next, super::verify::judged_on(args.as_of.as_of, clock, next.period));
    writer.save(&results_file::to_toml(&next)).map_err(|e| Error::Refused(escape_controls(&e.to_string())))?;
    drop(writer);
    let output_shown = shown;
    let io = Error::output;
    writeln!(
        out,
        "{output_shown}: started {period} from {} ({})",
        prev.period,
        escape_controls(&args.from.display().to_string())
    )
    .map_err(io)?;
    let n = report.to_confirm.len();
    let what = if n == 1 { "answer carried" } else { "answers carried" };
    writeln!(out, "  {n} {what}: confirm them in the review (c, or C for an area), or answer again").map_err(io)?;
    let list = |ids: &[String]| ids.join(", ");
    if !report.changed.is_empty() {
        writeln!(
            out,
            "  {} {} since {}, unreviewed again: {}",
            report.changed.len(),
            if report.changed.len() == 1 { "item changed" } else { "items changed" },
            prev.period,
            list(&report.changed)
        )
        .map_err(io)?;
    }
    if !report.added.is_empty() {
        let what = if report.added.len() == 1 { "new item" } else { "new items" };
        writeln!(out, "  {} {what}: {}", report.added.len(), list(&report.added)).map_err(io)?;
    }
    if !report.removed.is_empty() {
        // Say where each went: merged into the item that replaces it, or retired and why.
        let gone: Vec<String> = report
            .removed
            .iter()
            .map(|id| match (set.replacement(id), set.retirement(id)) {
                (Some(by), _) => format!("{id} (merged into {})", by.id),
                (None, Some(r)) => format!("{id} (retired: {})", r.reason),
                (None, None) => id.clone(),
            })
            .collect();
        let n = gone.len();
        let what = if n == 1 { "item no longer exists" } else { "items no longer exist" };
        writeln!(out, "  {n} {what} (not carried): {}", escape_controls(&gone.join(", "))).map_err(io)?;
    }
    Ok(Outcome::Ok)
}
