//! `privcheck verify FILE...`: the CI gate. It fails closed: a sign-off whose signer no
//! signer list vouches for is a finding, never a pass.

use super::Outcome;
use crate::app::signers::{KeyValidity, Resolver, SignerArgs};
use crate::app::signoff::{ROLES, check_signatures};
use crate::app::{Clock, Context};
use crate::cli::{AsOf, Format, KeyValidityWhen, SignersOpts, VerifyArgs};
use crate::error::{Error, Result};
use crate::model::checklist::ChecklistSet;
use crate::model::period::Period;
use crate::model::verify::{self, Policy};
use crate::render::verify::{self as out_verify, FileResult, Totals};
use crate::store::results_file;
use std::io::Write;

/// The signer options as the app takes them.
pub fn resolver(opts: &SignersOpts, clock: Clock) -> Resolver {
    let validity = match opts.key_validity {
        KeyValidityWhen::Signoff => KeyValidity::AtSignOff,
        KeyValidityWhen::Now => KeyValidity::Now(clock.now),
    };
    Resolver::new(
        SignerArgs { allowed_signers: opts.allowed_signers.clone(), role_signers: opts.role_signers.clone() },
        validity,
    )
}

/// The day due dates are judged against for a file of `period`: `--as-of` (a date, or the
/// period's last day with `end`), or today.
pub fn judged_on(as_of: Option<AsOf>, clock: Clock, period: Period) -> jiff::civil::Date {
    match as_of {
        None => clock.today,
        Some(AsOf::Date(d)) => d,
        Some(AsOf::End) => period.last_day(),
    }
}

pub fn run(cx: &Context, clock: Clock, args: &VerifyArgs, out: &mut dyn Write) -> Result<Outcome> {
    if let Some(n) = args.message.or(args.signature) {
        return print_signed(&cx.checklist_set()?, args, n, out);
    }
    let mut resolver = resolver(&args.signers, clock);
    let mut sets: Vec<(Option<std::path::PathBuf>, ChecklistSet)> = Vec::new();
    let mut reports: Vec<FileResult> = Vec::new();
    for path in &args.files {
        let file = path.display().to_string();
        let (settings, signers) = resolver.for_file(path)?;
        // The checklist set of the file's repository, loaded once per folder it names.
        let wanted = settings.as_ref().and_then(|s| s.checklists.clone());
        if !sets.iter().any(|(k, _)| *k == wanted) {
            sets.push((wanted.clone(), cx.checklist_set_in(settings.as_ref())?));
        }
        let set = &sets.iter().find(|(k, _)| *k == wanted).expect("just added").1;
        let results = match results_file::read(path, set) {
            Ok(r) => r,
            Err(e) => {
                reports.push(FileResult::unreadable(file, e.to_string()));
                continue;
            }
        };
        let mut roles: Vec<String> = ROLES.iter().map(|r| r.to_string()).collect();
        let required = if args.require_role.is_empty() {
            settings.as_ref().map(|s| s.require_roles.clone()).unwrap_or_default()
        } else {
            args.require_role.clone()
        };
        // The repository's `deny`, and the command line's besides.
        let mut deny = settings.as_ref().map(|s| s.deny.clone()).unwrap_or_default();
        deny.extend(args.deny.iter().cloned());
        if let Some(s) = settings {
            roles.extend(s.roles.iter().cloned());
        }
        let policy = Policy {
            skip_signatures: args.skip_signatures,
            require_roles: &required,
            roles: &roles,
            today: Some(judged_on(args.as_of.as_of, clock, results.period)),
            now: Some(clock.now),
        };
        let signatures = check_signatures(&results, (!args.skip_signatures).then_some(signers));
        let findings = verify::deny(verify::check(&results, set, &signatures, &policy), &deny);
        reports.push(FileResult::checked(file, findings));
    }
    let checked = !args.skip_signatures;
    let text = match args.format {
        Format::Json => out_verify::json(&reports, checked),
        Format::Text => out_verify::text(&reports, checked),
    };
    out.write_all(text.as_bytes()).map_err(Error::output)?;
    let Totals { errors, with_findings, .. } = Totals::of(&reports);
    if errors > 0 {
        Err(Error::SomeUnreadable { failed: errors, total: reports.len() })
    } else if with_findings > 0 {
        Ok(Outcome::Findings)
    } else {
        Ok(Outcome::Ok)
    }
}

/// `--message N` / `--signature N`: the exact bytes a sign-off signed, or its signature, for
/// checking it with `ssh-keygen -Y verify` (see the README).
fn print_signed(set: &ChecklistSet, args: &VerifyArgs, n: usize, out: &mut dyn Write) -> Result<Outcome> {
    let [path] = args.files.as_slice() else {
        return Err(Error::Usage("--message and --signature take exactly one results file".into()));
    };
    let results = results_file::read(path, set)?;
    let Some(s) = n.checked_sub(1).and_then(|i| results.signoffs.get(i)) else {
        return Err(Error::Usage(format!(
            "{}: has no sign-off {n} (it has {}; they are numbered from 1)",
            path.display(),
            results.signoffs.len()
        )));
    };
    let bytes = if args.message.is_some() {
        s.message(&results.product, results.period)
    } else {
        match &s.signature {
            Some(sig) => sig.clone().into_bytes(),
            None => return Err(Error::Usage(format!("{}: sign-off {n} is unsigned", path.display()))),
        }
    };
    out.write_all(&bytes).map_err(Error::output)?;
    Ok(Outcome::Ok)
}
