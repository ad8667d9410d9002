//! `privcheck merge-file BASE OURS THEIRS [PATH]`: git's merge driver for results files
//! (`merge.privcheck.driver = privcheck merge-file %O %A %B %P`, set by `privcheck init`).
//!
//! The three versions are merged item by item (`model::merge`) and the result written into
//! OURS, as git expects. Exit 0 when everything merged (the file is written as privcheck
//! writes every results file; sign-offs the merge voided are kept, and `verify` asks for a
//! new one); exit 1 when parts are in conflict: the file then holds git's markers around
//! only those parts (an item's whole `[[answers]]` block, each side complete, or the
//! header), for a person to keep one side. A version privcheck cannot read is merged as
//! text, by `git merge-file`, as git would have without the driver.

use super::Outcome;
use crate::app::Context;
use crate::cli::MergeFileArgs;
use crate::error::{Error, Result};
use crate::model::merge::{Merged, merge};
use crate::model::results::{Answer, Results};
use crate::render::text::escape_controls;
use crate::store::results_file::{self, to_toml};
use std::io::Write;
use std::path::Path;

pub fn run(cx: &Context, args: &MergeFileArgs, out: &mut dyn Write) -> Result<Outcome> {
    let shown = args.path.clone().unwrap_or_else(|| args.ours.display().to_string());
    let read = |path: &Path, side: &str| -> Result<Results> {
        let text = results_file::read_text(path)?;
        Ok(results_file::from_toml(&text, &format!("{shown} ({side})"))?)
    };
    let versions =
        (|| Ok::<_, Error>((read(&args.base, "base")?, read(&args.ours, "ours")?, read(&args.theirs, "theirs")?)))();
    let (base, ours, theirs) = match versions {
        Ok(v) => v,
        Err(e) => return as_text(args, &shown, &e.to_string(), out),
    };
    // The checklist set brings an older schema to the newest of the three; when all three
    // have one schema it is not needed, and a set that does not load does not matter.
    let dir = args.path.as_deref().map(Path::new).and_then(Path::parent).unwrap_or(Path::new(""));
    let set = crate::app::settings::find(dir).and_then(|s| cx.checklist_set_in(s.as_ref()));
    let set = match set {
        Ok(set) => set,
        Err(_) if base.schema == ours.schema && ours.schema == theirs.schema => Default::default(),
        Err(e) => return as_text(args, &shown, &e.to_string(), out),
    };
    let merged = merge(&base, &ours, &theirs, &set);
    let io = |e| Error::io(&args.ours, "cannot write the merge", e);
    let shown = escape_controls(&shown);
    if merged.is_clean() {
        results_file::save(&args.ours, &merged.results).map_err(io)?;
        let states = merged.results.signoff_states();
        let void = states.iter().filter(|(_, s)| !matches!(s, crate::model::results::SignOffState::Current)).count();
        match void {
            0 => writeln!(out, "privcheck: {shown}: merged answers item by item"),
            n => writeln!(
                out,
                "privcheck: {shown}: merged answers item by item; {n} sign-off{} no longer match the merged answers: review them (privcheck diff) and sign again",
                if n == 1 { "" } else { "s" }
            ),
        }
        .map_err(Error::output)?;
        return Ok(Outcome::Ok);
    }
    let text = with_markers(&merged, args.path.as_deref());
    crate::store::atomic::write(&args.ours, text.as_bytes()).map_err(io)?;
    let mut parts: Vec<String> = merged.answers.iter().map(|c| format!("item {}", c.item)).collect();
    parts.extend(merged.fields.iter().cloned());
    writeln!(
        out,
        "privcheck: {shown}: conflict in {}: each marked in the file with both sides complete; keep one side of each, then sign again",
        escape_controls(&parts.join(", "))
    )
    .map_err(Error::output)?;
    Ok(Outcome::Findings)
}

/// A version that privcheck cannot read: merged as text by `git merge-file`, into OURS.
fn as_text(args: &MergeFileArgs, shown: &str, why: &str, out: &mut dyn Write) -> Result<Outcome> {
    writeln!(out, "privcheck: {}; merging {} as text", escape_controls(why), escape_controls(shown))
        .map_err(Error::output)?;
    let label = |side: &str| match &args.path {
        Some(p) => format!("{side}:{p}"),
        None => side.to_string(),
    };
    let status = crate::app::git::merge_file(
        &args.ours,
        &args.base,
        &args.theirs,
        [&label("ours"), &label("base"), &label("theirs")],
    )
    .map_err(|e| Error::io(Path::new("git"), "cannot run git merge-file", e))?;
    match status.code() {
        Some(0) => Ok(Outcome::Ok),
        Some(1..=127) => Ok(Outcome::Findings),
        _ => Err(Error::Refused(format!("{}: git merge-file failed ({status})", escape_controls(shown)))),
    }
}

/// The TOML block of one answer, `[[answers]]` and its sub-tables, as `to_toml` writes it.
fn answer_block(a: &Answer, period: crate::model::period::Period) -> String {
    let one = Results {
        schema: 1,
        product: String::new(),
        period,
        policy: None,
        checklists: Vec::new(),
        scope: Default::default(),
        answers: vec![a.clone()],
        signoffs: Vec::new(),
    };
    let text = to_toml(&one);
    // Nothing before the answer holds text of the file: its first `[[answers]]` is the block.
    let at = text.find("\n[[answers]]\n").map_or(0, |i| i + 1);
    text[at..].to_string()
}

/// The merged file with git's conflict markers around each part in conflict: an item's
/// whole `[[answers]]` block (ours, then theirs, each complete), and the header (product,
/// period, policy, scope, checklists) when a part of it is. Sides are `ours` and `theirs`,
/// with `:PATH` when git gave the path.
pub fn with_markers(m: &Merged, path: Option<&str>) -> String {
    let (open, close) = match path {
        Some(p) => (format!("<<<<<<< ours:{p}\n"), format!(">>>>>>> theirs:{p}\n")),
        None => ("<<<<<<< ours\n".to_string(), ">>>>>>> theirs\n".to_string()),
    };
    let mark = |ours: &str, theirs: &str| format!("{open}{ours}=======\n{theirs}{close}");
    // Placeholders, answers with ids found nowhere in the file, stand for the parts in
    // conflict while the file is written; then each is replaced by its markers.
    let plain = to_toml(&m.results);
    let nonce = (0u32..).find(|n| !plain.contains(&format!("privcheck-merge-{n}-"))).unwrap_or(0);
    let placeholder = |k: usize| format!("privcheck-merge-{nonce}-{k}");
    let written = |id: &str| format!("[[answers]]\nitem = \"{id}\"\ndigest = \"\"\nstatus = \"unreviewed\"\n");
    let mut body = m.results.clone();
    let slots: Vec<usize> = m
        .answers
        .iter()
        .map(|c| body.answers.iter().position(|a| a.item == c.item).expect("a conflicted item holds its place"))
        .collect();
    for (k, &i) in slots.iter().enumerate() {
        body.answers[i] = Answer::blank(&placeholder(k));
    }
    let header_mark = placeholder(slots.len());
    let mut text = to_toml(&body);
    for (k, c) in m.answers.iter().enumerate() {
        let side = |a: &Option<Answer>| a.as_ref().map(|a| answer_block(a, m.results.period)).unwrap_or_default();
        text = text.replacen(&written(&placeholder(k)), &mark(&side(&c.ours), &side(&c.theirs)), 1);
    }
    if let Some(theirs) = &m.theirs {
        // The header of each side: the file up to a placeholder first answer.
        let header = |r: &Results| {
            let mut h = r.clone();
            h.answers = vec![Answer::blank(&header_mark)];
            h.signoffs.clear();
            let t = to_toml(&h);
            let end = t.find(&written(&header_mark)).unwrap_or(t.len());
            t[..end].to_string()
        };
        let (ours_h, theirs_h) = (header(&m.results), header(theirs));
        if let Some(rest) = text.strip_prefix(&ours_h) {
            let trim = |h: &str| h.trim_end_matches('\n').to_string() + "\n";
            text = format!("{}\n{rest}", mark(&trim(&ours_h), &trim(&theirs_h)));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::checklist_file::builtin;

    /// The text with the `ours` (or `theirs`) side of every conflict kept.
    fn keep(text: &str, theirs: bool) -> String {
        let mut out = String::new();
        let mut side = None;
        for l in text.lines() {
            if l.starts_with("<<<<<<< ") {
                side = Some(true);
            } else if l == "=======" && side.is_some() {
                side = Some(false);
            } else if l.starts_with(">>>>>>> ") {
                side = None;
            } else if side.is_none_or(|ours| ours != theirs) {
                out.push_str(l);
                out.push('\n');
            }
        }
        out
    }

    #[test]
    fn conflicts_are_marked_and_either_side_kept_parses() {
        let set = builtin();
        let mut base = Results::new("shop", "2026-Q4".parse().unwrap(), &set);
        base.answers[3].note = "base".into();
        let mut ours = base.clone();
        ours.policy = Some("v2.txt".into());
        ours.answers[3].note = "ours\nwith [[answers]] on a line\n[[answers]]".into();
        ours.answers[7].status = crate::model::results::Status::Pass;
        let mut theirs = base.clone();
        theirs.policy = Some("v3.txt".into());
        theirs.answers[3].note = "theirs".into();
        theirs.scope.insert("eea".into(), true);
        let m = merge(&base, &ours, &theirs, &set);
        assert_eq!(m.fields, ["policy"]);
        let text = with_markers(&m, None);
        assert_eq!(text.matches("<<<<<<< ours\n").count(), 2, "{text}");
        let err = results_file::from_toml(&text, "r.toml").unwrap_err();
        assert!(err.message.starts_with("unresolved merge conflict at line 1 (policy)"), "{err}");
        let o = results_file::from_toml(&keep(&text, false), "r.toml").unwrap();
        let t = results_file::from_toml(&keep(&text, true), "r.toml").unwrap();
        assert_eq!((o.policy.as_deref(), t.policy.as_deref()), (Some("v2.txt"), Some("v3.txt")));
        assert_eq!((o.answers[3].note.as_str(), t.answers[3].note.as_str()), (ours.answers[3].note.as_str(), "theirs"));
        for r in [&o, &t] {
            assert_eq!(r.answers[7].status, crate::model::results::Status::Pass, "merged either way");
            assert_eq!(r.scope.get("eea"), Some(&true));
            assert_eq!(r.answers.len(), base.answers.len());
        }
        let labelled = with_markers(&m, Some("teams/x/privcheck-2026-Q4.toml"));
        assert!(labelled.contains("<<<<<<< ours:teams/x/privcheck-2026-Q4.toml\n"), "{labelled}");
        assert!(labelled.contains(">>>>>>> theirs:teams/x/privcheck-2026-Q4.toml\n"), "{labelled}");
    }
}
