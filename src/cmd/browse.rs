//! `privcheck browse DIR...`: the roll-up of `privcheck report` in the terminal
//! ([`crate::tui::browse`]). The files are read and checked as the report reads them
//! ([`super::report::read_fleet`]); Enter opens a team's review read-only in the review UI.

use super::Outcome;
use super::report::{self, Fleet, Progress};
use crate::app::{Clock, Context};
use crate::cli::{BrowseArgs, ColorWhen};
use crate::error::{Error, Result};
use crate::render::report::rollup;
use crate::render::text::escape_controls;
use crate::tui::browse::{Browse, Team};
use std::path::Path;
use std::sync::atomic::Ordering::Relaxed;

/// Why a review opened from the browser is read-only.
const WHY: &str = "opened from browse; q goes back";

/// A row's file, the index of its checklist set in the fleet, and whether it is read by id.
pub type RowFile = (String, usize, bool);

/// The browser of what `args` names (its rows in the roll-up's order), and each row's file.
pub fn browser(fleet: &mut Fleet, args: &BrowseArgs, clock: Clock) -> Result<(Browse, Vec<RowFile>)> {
    let periods = report::periods(&args.files)?;
    let (roll, order) = rollup::rollup(&fleet.summaries, &periods, Vec::new(), Vec::new(), clock.today);
    let mut files = Vec::with_capacity(order.len());
    let mut teams = Vec::with_capacity(order.len());
    for &i in &order {
        let s = &mut fleet.summaries[i];
        files.push((s.row.file.clone(), fleet.set_of[i], s.row.by_id));
        teams.push(Team { row: s.row.clone(), failed: std::mem::take(&mut s.failed) });
    }
    let source = args.files.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" ");
    let mut b = Browse::new(teams, roll.failures, source, roll.periods);
    b.not_shown = roll.not_shown;
    b.unreadable = fleet.unreadable.len();
    b.skipped = fleet.skipped.len();
    if b.unreadable > 0 {
        b.message = Some((
            crate::tui::app::Level::Error,
            format!(
                "{} {} could not be read: listed when browse ends (privcheck report lists them too).",
                b.unreadable,
                crate::tui::view::plural(b.unreadable, "file", "files")
            ),
        ));
    }
    Ok((b, files))
}

/// The teams as they are read: the reading thread until it is done, then the fleet.
struct Reading<'s, 'a> {
    reader: Option<std::thread::ScopedJoinHandle<'s, Result<Fleet>>>,
    progress: &'a Progress,
    args: &'a BrowseArgs,
    clock: Clock,
    fleet: Option<Fleet>,
    files: Vec<RowFile>,
}

impl crate::tui::browse::Source for Reading<'_, '_> {
    fn poll(&mut self, b: &mut Browse) -> Result<()> {
        let Some(reader) = self.reader.take_if(|r| r.is_finished()) else {
            if self.reader.is_some() {
                b.loading = Some((self.progress.done.load(Relaxed), self.progress.total.load(Relaxed)));
            }
            return Ok(());
        };
        let mut fleet = reader.join().expect("the reading thread panicked")?;
        let (read, files) = browser(&mut fleet, self.args, self.clock)?;
        b.fill(read);
        self.files = files;
        self.fleet = Some(fleet);
        Ok(())
    }

    fn open(&mut self, team: usize) -> std::result::Result<crate::tui::app::App, String> {
        let (Some(fleet), Some((file, set, by_id))) = (&self.fleet, self.files.get(team)) else {
            return Err("Still reading the files.".into());
        };
        if *by_id {
            return Err(format!(
                "{}: answered against another checklist set; open it with privcheck --checklists DIR review --read-only",
                escape_controls(file)
            ));
        }
        super::review::read_only(fleet.sets[*set].clone(), Path::new(file), self.clock.today, WHY).map_err(|e| {
            format!("Cannot open {}: {}", escape_controls(file), escape_controls(&e.to_string()).replace('\n', " "))
        })
    }
}

pub fn run(cx: &Context, clock: Clock, color: ColorWhen, args: &BrowseArgs) -> Result<Outcome> {
    // The paths and periods are checked before the terminal is taken.
    let periods = report::periods(&args.files)?;
    report::results_files(&args.files.paths)?;
    let source = args.files.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" ");
    let mut b = Browse::new(Vec::new(), Vec::new(), source, periods.name());
    b.loading = Some((0, 0));
    let progress = Progress::default();
    let theme = super::review::theme(color);
    // The first frame at once; the files are read on the other cores meanwhile.
    let fleet = std::thread::scope(|s| -> Result<Option<Fleet>> {
        let reader = s.spawn(|| report::read_fleet(cx, clock, &args.files, &progress));
        let mut reading =
            Reading { reader: Some(reader), progress: &progress, args, clock, fleet: None, files: Vec::new() };
        let shown = crate::tui::browse::run(b, theme, &mut reading);
        // Quit while reading: stop the workers.
        progress.cancel.store(true, Relaxed);
        shown?;
        Ok(reading.fleet)
    })?;
    let Some(fleet) = fleet else { return Ok(Outcome::Ok) };
    for u in &fleet.unreadable {
        eprintln!("privcheck: {}", escape_controls(&u.describe()));
    }
    if !fleet.unreadable.is_empty() {
        return Err(Error::SomeUnreadable {
            failed: fleet.unreadable.len(),
            total: fleet.inputs - fleet.skipped.len(),
        });
    }
    Ok(Outcome::Ok)
}
