//! One module per subcommand. Each returns an [`Outcome`] (exit 0 or 1) or an
//! [`Error`] (exit 2).

pub mod browse;
pub mod checklists;
pub mod diff;
pub mod docs;
pub mod export;
pub mod init;
pub mod lint;
pub mod merge;
pub mod new;
pub mod report;
pub mod review;
pub mod sign;
pub mod verify;

use crate::app::{Clock, Context, config};
use crate::cli::{Cli, ColorWhen, Command};
use crate::error::Result;

/// How a command that ran ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report: exit 0.
    Ok,
    /// A check found problems: exit 1.
    Findings,
}

/// Should standard output be coloured? `--color`, then (for `auto`) what anstream decides:
/// a terminal, and neither `NO_COLOR` nor `TERM=dumb` (`CLICOLOR_FORCE` forces it).
/// The writer of the results file at `path` for a command that changes it and then ends
/// (`sign`, `new`): refused while someone else, a review say, holds its lock. `shown` is the
/// path as messages show it (escaped).
fn take_writer(path: &std::path::Path, shown: &str, now: jiff::Timestamp) -> Result<crate::store::writer::Writer> {
    use crate::error::Error;
    use crate::store::writer::{Opened, Writer};
    match Writer::open(path, &crate::store::lock::Holder::this_process(now))
        .map_err(|e| Error::Refused(format!("{shown}: {e}")))?
    {
        Opened::Writer { writer, .. } => Ok(writer),
        Opened::Busy(who) => Err(Error::Refused(format!(
            "{shown}: being edited by {}; try again when they are done",
            crate::render::text::escape_controls(&who)
        ))),
    }
}

fn color_wanted(when: ColorWhen) -> bool {
    let choice = match when {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::AlwaysAnsi,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

pub fn run(cli: Cli) -> Result<Outcome> {
    let cx = Context::new(config::load()?, cli.checklists, cli.checklists_add);
    let clock = Clock::system();
    match cli.command {
        Some(Command::Checklists) => checklists::run(&cx, &mut std::io::stdout().lock()),
        Some(Command::Lint(args)) => lint::run(&cx, &args, &mut std::io::stdout().lock()),
        Some(Command::Review(r)) => review::run(&cx, clock, cli.color, r.file, &r.review),
        None => review::run(&cx, clock, cli.color, None, &cli.review),
        Some(Command::Verify(args)) => verify::run(&cx, clock, &args, &mut std::io::stdout().lock()),
        Some(Command::Sign(args)) => sign::run(&cx, clock, &args, &mut std::io::stdout().lock()),
        Some(Command::New(args)) => new::run(&cx, clock, &args, &mut std::io::stdout().lock()),
        Some(Command::Diff(args)) => diff::run(&cx, &args, color_wanted(cli.color), &mut std::io::stdout().lock()),
        Some(Command::Report(args)) => report::run(&cx, clock, &args, &mut std::io::stdout().lock()),
        Some(Command::Browse(args)) => browse::run(&cx, clock, cli.color, &args),
        Some(Command::Export(args)) => export::run(&cx, &args, &mut std::io::stdout().lock()),
        Some(Command::Init(args)) => init::run(&args, &mut std::io::stdout().lock()),
        Some(Command::MergeFile(args)) => merge::run(&cx, &args, &mut std::io::stdout().lock()),
        Some(Command::Completions(args)) => docs::completions(args.shell, &mut std::io::stdout().lock()),
        Some(Command::Man) => docs::man(&mut std::io::stdout().lock()),
    }
}
