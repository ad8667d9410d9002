//! `privcheck` / `privcheck review [FILE]`: open a review in the terminal UI.

use super::Outcome;
use crate::app::signoff::Signer;
use crate::app::{Clock, Context};
use crate::cli::{ColorWhen, ReviewArgs};
use crate::error::{Error, Result};
use crate::model::checklist::ChecklistSet;
use crate::model::period::Period;
use crate::model::results::Results;
use crate::render::text::escape_controls;
use crate::store::lock::Holder;
use crate::store::results_file;
use crate::store::writer::{self, Opened, Writer};
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
    let shown = escape_controls(&path.display().to_string());
    if path.extension().is_none_or(|e| e != "toml") {
        return Err(Error::Usage(format!(
            "{shown}: a results file's name ends in .toml (a typo would start a new, empty review)"
        )));
    }
    writer::check_target(&path).map_err(|e| Error::Usage(format!("{shown}: {e}")))?;
    let set = cx.checklist_set()?;
    // The lock first, then the file: what a save may replace is exactly what was read.
    let (writer, read_only, stale, text) = if args.read_only {
        let text = path.exists().then(|| results_file::read_text(&path)).transpose()?;
        (None, Some("opened with --read-only".to_string()), None, text)
    } else {
        match Writer::open(&path, &Holder::this_process(clock.now)).map_err(|e| Error::io(&path, "cannot open", e))? {
            Opened::Writer { mut writer, stale } => {
                let text = writer.read().map_err(|e| Error::io(&path, "cannot read results file", e))?;
                (Some(writer), None, stale, text)
            }
            Opened::Busy(who) => {
                let text = path.exists().then(|| results_file::read_text(&path)).transpose()?;
                (None, Some(format!("{who} is editing this file")), None, text)
            }
        }
    };
    let exists = text.is_some();
    let mut results = match &text {
        Some(text) => {
            let r = results_file::from_toml_for_set(text, &path.display().to_string(), &set)?;
            if args.period.is_some() && r.period != period {
                return Err(Error::Usage(format!("{shown}: holds the review of {}, not {period}", r.period)));
            }
            r
        }
        None => {
            let product = args.product.clone().unwrap_or_else(|| default_product(cx, &path));
            Results::new(&product, period, &set)
        }
    };
    results.align(&set);

    // Who reviews and which key signs comes from git's config: a run of git per setting,
    // milliseconds. The UI works it out once its first frame is drawn, before the first key.
    let config = cx.config.clone();
    let dir = path.parent().map(PathBuf::from);
    let identity = Box::new(move || identity(config, dir));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut app = App::new(set, results, path, clock.today);
    app.message = match &read_only {
        Some(why) => Some((tui::app::Level::Warn, format!("Read-only: {why}."))),
        None if !exists => Some((tui::app::Level::Info, format!("New file {name}: created on the first answer."))),
        None => None,
    };
    if let Some(why) = read_only {
        app.make_read_only(why);
    }
    let theme = theme(color);
    tui::run(tui::Start { app, identity, writer, stale, exists, theme })?;
    Ok(Outcome::Ok)
}

/// How the terminal UI looks: from the environment (`NO_COLOR`, the locale) and `--color`.
pub fn theme(color: ColorWhen) -> tui::theme::Theme {
    let mut theme = tui::theme::Theme::from_env();
    match color {
        ColorWhen::Auto => {}
        ColorWhen::Always => theme.color = true,
        ColorWhen::Never => theme.color = false,
    }
    theme
}

/// The review of the results file at `path` against `set`, read-only: `why` says why (in
/// its first message; its header says READ-ONLY).
pub fn read_only(set: ChecklistSet, path: &Path, today: jiff::civil::Date, why: &str) -> Result<App> {
    let text = results_file::read_text(path)?;
    let mut results = results_file::from_toml_for_set(&text, &path.display().to_string(), &set)?;
    results.align(&set);
    let mut app = App::new(set, results, path.to_path_buf(), today);
    app.message = Some((tui::app::Level::Warn, format!("Read-only: {why}.")));
    app.make_read_only(why);
    Ok(app)
}

/// The reviewer recorded with answers, and who signs with which key.
fn identity(config: crate::app::config::Config, dir: Option<PathBuf>) -> tui::Identity {
    let cx = Context { config, checklists: None };
    let signer = Signer::from_config(&cx, "reviewer", None, false, dir.as_deref()).map_err(|e| e.to_string());
    let signer_info = match &signer {
        Ok(s) => tui::app::SignerInfo { name: s.name.clone(), email: s.email.clone(), key: s.key_text() },
        Err(e) => tui::app::SignerInfo {
            name: cx.config.reviewer_name(dir.as_deref()),
            email: String::new(),
            key: format!("cannot sign: {e}"),
        },
    };
    // The signer's name is the reviewer's name (`Config::reviewer_name`): asked once.
    let reviewer = match &signer {
        Ok(s) => s.name.clone(),
        Err(_) => cx.config.reviewer_name(dir.as_deref()),
    };
    tui::Identity { reviewer, signer, signer_info }
}
