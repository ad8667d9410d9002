//! `privcheck verify FILE...`: the CI gate. It fails closed: a sign-off whose signer no
//! signer list vouches for is a finding, never a pass.

use super::Outcome;
use crate::app::settings::Settings;
use crate::app::signers::{KeyValidity, Resolver, SignerArgs, SignerPolicy};
use crate::app::signoff::{ROLES, check_signatures};
use crate::app::{Clock, Context};
use crate::cli::{AsOf, Format, KeyValidityWhen, SignersOpts, VerifyArgs};
use crate::error::{Error, Result};
use crate::model::checklist::ChecklistSet;
use crate::model::period::Period;
use crate::model::results::Results;
use crate::model::signoff::Signature;
use crate::model::verify::{self, Finding, Policy};
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
    // Each file's folder settings and checklist set first (in order: a folder's warnings
    // are printed once, and a bad folder stops here), then the files on every core.
    let mut set_of = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let (settings, _) = resolver.for_file(path)?;
        // The checklist set of the file's repository, loaded once per folder it names.
        let wanted = settings.as_ref().and_then(|s| s.checklists.clone());
        let i = match sets.iter().position(|(k, _)| *k == wanted) {
            Some(i) => i,
            None => {
                sets.push((wanted, cx.checklist_set_in(settings.as_ref())?));
                sets.len() - 1
            }
        };
        set_of.push(i);
    }
    let check = |k: usize| {
        let path = &args.files[k];
        let file = path.display().to_string();
        let (settings, signers) = resolver.cached(path).expect("resolved above");
        let set = &sets[set_of[k]].1;
        match results_file::read(path, set) {
            Ok(results) => {
                let signers = (!args.skip_signatures).then_some(signers);
                let asked = Asked { require_role: &args.require_role, deny: &args.deny, as_of: args.as_of.as_of };
                let (_, findings) = findings(&results, set, settings.as_ref(), signers, &asked, clock);
                FileResult::checked(file, findings)
            }
            Err(e) => FileResult::unreadable(file, e.to_string()),
        }
    };
    let n = args.files.len();
    let done = crate::app::cores::per_worker(n, |w, workers| {
        crate::app::cores::items_of(n, w, workers).map(|k| (k, check(k))).collect::<Vec<_>>()
    });
    let mut slots: Vec<Option<FileResult>> = (0..n).map(|_| None).collect();
    for (k, r) in done.into_iter().flatten() {
        slots[k] = Some(r);
    }
    let reports: Vec<FileResult> = slots.into_iter().flatten().collect();
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

/// What the command line asks of the check besides the repository's settings.
pub struct Asked<'a> {
    /// `--require-role` (empty: the settings' `require_roles`).
    pub require_role: &'a [String],
    /// `--deny`, on top of the settings' `deny`.
    pub deny: &'a [String],
    /// `--as-of`: the day due dates are judged against (default: today).
    pub as_of: Option<AsOf>,
}

/// What `privcheck verify` finds in `results` (read against `set`), in a repository with
/// `settings`: the verdict on each sign-off's signature, and the findings. `signers` `None`
/// is `--skip-signatures`. `privcheck report` shows the same result.
pub fn findings(
    results: &Results,
    set: &ChecklistSet,
    settings: Option<&Settings>,
    signers: Option<&SignerPolicy>,
    asked: &Asked<'_>,
    clock: Clock,
) -> (Vec<Signature>, Vec<Finding>) {
    let mut roles: Vec<String> = ROLES.iter().map(|r| r.to_string()).collect();
    let required = if asked.require_role.is_empty() {
        settings.map(|s| s.require_roles.clone()).unwrap_or_default()
    } else {
        asked.require_role.to_vec()
    };
    // The repository's `deny`, and the command line's besides.
    let mut deny = settings.map(|s| s.deny.clone()).unwrap_or_default();
    deny.extend(asked.deny.iter().cloned());
    if let Some(s) = settings {
        roles.extend(s.roles.iter().cloned());
    }
    let policy = Policy {
        skip_signatures: signers.is_none(),
        require_roles: &required,
        roles: &roles,
        today: Some(judged_on(asked.as_of, clock, results.period)),
        now: Some(clock.now),
    };
    let signatures = check_signatures(results, signers);
    let findings = verify::deny(verify::check(results, set, &signatures, &policy), &deny);
    (signatures, findings)
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
