//! `privcheck` / `privcheck review [FILE]`: open a review in the terminal UI.

use super::Outcome;
use crate::app::signoff::Signer;
use crate::app::{Clock, Context};
use crate::cli::{ColorWhen, ReviewArgs};
use crate::error::{Error, Result};
use crate::model::period::Period;
use crate::model::results::Results;
use crate::store::{atomic, lock, results_file};
use crate::tui::{self, app::App};
use std::path::{Path, PathBuf};

fn default_product(cx: &Context, path: &Path) -> String {
    if let Some(p) = &cx.config.product {
        return p.clone();
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::canonicalize(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "product".to_string())
}

pub fn run(cx: &Context, clock: Clock, color: ColorWhen, file: Option<PathBuf>, args: &ReviewArgs) -> Result<Outcome> {
    let period = match &args.period {
        Some(p) => p.parse::<Period>().map_err(Error::Usage)?,
        None => Period::containing(clock.today),
    };
    let path = file.unwrap_or_else(|| PathBuf::from(period.file_name()));
    atomic::check_target(&path).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    let set = cx.checklist_set()?;
    let exists = path.exists();
    let mut results = if exists {
        let r = results_file::read(&path, &set)?;
        if args.period.is_some() && r.period != period {
            return Err(Error::Usage(format!("{}: holds the review of {}, not {period}", path.display(), r.period)));
        }
        r
    } else {
        let product = args.product.clone().unwrap_or_else(|| default_product(cx, &path));
        Results::new(&product, period, &set)
    };
    results.align(&set);

    let (lock, read_only, stale) = match lock::acquire(&path, &lock::Holder::this_process(clock.now)) {
        Ok(lock::Acquired::Held { lock, stale }) => {
            atomic::remove_stale_temps(&path);
            (Some(lock), None, stale)
        }
        Ok(lock::Acquired::Busy(who)) => (None, Some(who), None),
        Err(e) => return Err(Error::io(&path, "cannot create the lock file beside it", e)),
    };
    // Who reviews and which key signs comes from git's config: a run of git per setting,
    // milliseconds. The UI works it out once its first frame is drawn, before the first key.
    let config = cx.config.clone();
    let dir = path.parent().map(PathBuf::from);
    let identity = Box::new(move || identity(config, dir));
    let mut app = App::new(set, results, path, clock.today);
    if let Some(who) = &read_only {
        app.message = Some((tui::app::Level::Warn, format!("Read-only: {who} is editing this file.")));
    }
    app.read_only = read_only;
    let mut theme = tui::theme::Theme::from_env();
    match color {
        ColorWhen::Auto => {}
        ColorWhen::Always => theme.color = true,
        ColorWhen::Never => theme.color = false,
    }
    tui::run(tui::Start { app, identity, lock, stale, exists, theme })?;
    Ok(Outcome::Ok)
}

/// The reviewer recorded with answers, and who signs with which key.
fn identity(config: crate::app::config::Config, dir: Option<PathBuf>) -> tui::Identity {
    let cx = Context { config, checklists: None };
    let signer = Signer::from_config(&cx, "reviewer", None, false, dir.as_deref()).map_err(|e| e.to_string());
    let signer_text = match &signer {
        Ok(s) => s.describe(),
        Err(e) => format!("cannot sign: {e}"),
    };
    // The signer's name is the reviewer's name (`Config::reviewer_name`): asked once.
    let reviewer = match &signer {
        Ok(s) => s.name.clone(),
        Err(_) => cx.config.reviewer_name(dir.as_deref()),
    };
    tui::Identity { reviewer, signer, signer_text }
}
