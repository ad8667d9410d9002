//! `privcheck init [--pattern PATTERN]... [--ci github|gitlab]`: sets the git repository
//! that holds the current folder up for results files, idempotently.
//!
//! - `.gitattributes` (at the repository's top) marks results files `merge=privcheck`:
//!   `privcheck-*.toml`, and each `--pattern`;
//! - `.gitignore` keeps their lock files (`NAME.lock`) out;
//! - the repository's own git config gets `merge.privcheck.name` and
//!   `merge.privcheck.driver`, which runs this very binary by its absolute path (git runs
//!   drivers through the shell with its own PATH, which a GUI or an IDE may not share with
//!   the terminal `cargo install` put privcheck on);
//! - the CI recipe is printed, and written with `--ci github` or `--ci gitlab`.
//!
//! A line already there is not written again; a CI file that exists with other content is
//! left alone (and said so). Outside a git repository: exit 2.

use super::Outcome;
use crate::app::git;
use crate::cli::{CiKind, InitArgs};
use crate::error::{Error, Result};
use crate::render::text::escape_controls;
use crate::store::{atomic, bounded};
use std::io::Write;
use std::path::Path;

/// Results files are always named like this, at any depth.
pub const RESULTS_PATTERN: &str = "privcheck-*.toml";

/// The command that verifies every results file of the checkout: the files
/// `.gitattributes` marks `merge=privcheck`, so the patterns given to `init` count.
pub const VERIFY: &str = "git ls-files -z -- ':(attr:merge=privcheck)' | xargs -0 -r privcheck verify";

/// The command that installs privcheck in CI: as the README installs it, with cargo, from
/// the git repository named by the CI variable `PRIVCHECK_GIT`.
pub const INSTALL: &str = r#"cargo install --locked --git "${PRIVCHECK_GIT:?set the CI variable PRIVCHECK_GIT to the git URL privcheck is installed from}" privcheck"#;

/// The script (POSIX sh) that writes `privcheck diff --format markdown` of every results
/// file the change adds or modifies, against the merge base with the branch named by the
/// variable `TARGET`, to `OUT`.
fn summary(target: &str, out: &str) -> String {
    format!(
        r###"git fetch -q origin "${target}"
base=$(git merge-base HEAD FETCH_HEAD)
echo "## privcheck: what changed in the results" >> {out}
git diff --name-only --no-renames --diff-filter=AM "$base" HEAD -- ':(attr:merge=privcheck)' |
while IFS= read -r f; do
  if git cat-file -e "$base:$f" 2>/dev/null; then
    mkdir -p ".privcheck-base/$(dirname "$f")"
    git show "$base:$f" > ".privcheck-base/$f"
    privcheck diff --format markdown ".privcheck-base/$f" "$f"
  else
    printf '%s: a new results file\n\n' "$f"
  fi
done >> {out}
"###
    )
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines().map(|l| if l.is_empty() { "\n".to_string() } else { format!("{pad}{l}\n") }).collect()
}

/// The CI job `init --ci` writes: its file (relative to the repository's top) and text.
pub fn recipe(kind: CiKind) -> (&'static str, String) {
    match kind {
        CiKind::Github => (
            ".github/workflows/privcheck.yml",
            format!(
                "# The privcheck gate (written by `privcheck init --ci github`): every results file must
# verify; a pull request's summary shows what changed in them.
name: privcheck
on:
  pull_request:
  push:
    branches: [main]
jobs:
  verify:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - name: Install privcheck
        env:
          PRIVCHECK_GIT: ${{{{ vars.PRIVCHECK_GIT }}}}
        run: {INSTALL}
      - name: What changed in the results files
        if: github.event_name == 'pull_request'
        run: |
{}      - name: Verify the results files
        run: {VERIFY}
",
                indent(&summary("GITHUB_BASE_REF", "\"$GITHUB_STEP_SUMMARY\""), 10)
            ),
        ),
        CiKind::Gitlab => (
            ".gitlab-ci.yml",
            format!(
                "# The privcheck gate (written by `privcheck init --ci gitlab`): every results file must
# verify; a merge request shows what changed in them (the artifact privcheck-diff.md).
privcheck:
  image: rust:1
  variables:
    GIT_DEPTH: \"0\"
  rules:
    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - |
      {INSTALL}
    - |
      if [ -n \"$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\" ]; then
{}      fi
    - |
      {VERIFY}
  artifacts:
    when: always
    expose_as: privcheck diff
    paths:
      - privcheck-diff.md
",
                indent(&summary("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "privcheck-diff.md"), 8)
            ),
        ),
    }
}

/// What happened to one file or setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Written,
    Updated,
    Unchanged,
}

impl Change {
    fn word(self) -> &'static str {
        match self {
            Change::Written => "written",
            Change::Updated => "updated",
            Change::Unchanged => "unchanged",
        }
    }
}

/// Adds to the file at `path` each of `lines` it does not hold yet (a line compares
/// without its surrounding white space), after `comment` when anything is added.
fn ensure_lines(path: &Path, comment: &str, lines: &[String]) -> Result<Change> {
    let old = match bounded::read_to_string(path, bounded::SETTINGS_LIMIT) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(path, "cannot read", e)),
    };
    let text = old.clone().unwrap_or_default();
    let missing: Vec<&String> = lines.iter().filter(|l| !text.lines().any(|have| have.trim() == l.as_str())).collect();
    if missing.is_empty() {
        return Ok(Change::Unchanged);
    }
    let mut new = text;
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    if !new.is_empty() {
        new.push('\n');
    }
    new.push_str(comment);
    new.push('\n');
    for l in missing {
        new.push_str(l);
        new.push('\n');
    }
    atomic::write(path, new.as_bytes()).map_err(|e| Error::io(path, "cannot write", e))?;
    Ok(if old.is_some() { Change::Updated } else { Change::Written })
}

/// `word` quoted for the shell when it needs to be.
fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+:@".contains(c));
    if plain { word.to_string() } else { format!("'{}'", word.replace('\'', r"'\''")) }
}

/// A results file pattern as `.gitattributes` and `.gitignore` take it: one word, neither
/// a comment nor a negation.
fn check_pattern(p: &str) -> Result<()> {
    if p.is_empty() || p.starts_with(['#', '!']) || p.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::Usage(format!(
            "--pattern {:?}: a results file pattern is one word of a .gitattributes line (e.g. reviews/*.toml), not a comment or a negation",
            escape_controls(p)
        )));
    }
    Ok(())
}

pub fn run(args: &InitArgs, out: &mut dyn Write) -> Result<Outcome> {
    let here = std::env::current_dir().map_err(|e| Error::io(Path::new("."), "cannot read the current folder", e))?;
    let top = git::toplevel(&here).ok_or_else(|| {
        Error::Usage(
            "not in a git repository: run privcheck init in (any folder of) the git repository that holds the results files"
                .to_string(),
        )
    })?;
    let mut patterns = vec![RESULTS_PATTERN.to_string()];
    for p in &args.pattern {
        check_pattern(p)?;
        if !patterns.contains(p) {
            patterns.push(p.clone());
        }
    }
    let exe = std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .map_err(|e| Error::io(Path::new("privcheck"), "cannot find this program's own path", e))?;
    let driver = format!("{} merge-file %O %A %B %P", shell_quote(&exe.to_string_lossy()));

    let mut done: Vec<(String, Change)> = Vec::new();
    let attributes: Vec<String> = patterns.iter().map(|p| format!("{p} merge=privcheck")).collect();
    let comment = "# privcheck results files merge answer by answer (privcheck init)";
    done.push((".gitattributes".into(), ensure_lines(&top.join(".gitattributes"), comment, &attributes)?));
    let locks: Vec<String> = patterns.iter().map(|p| format!("{p}.lock")).collect();
    let comment = "# privcheck's lock files, held while a review is open (privcheck init)";
    done.push((".gitignore".into(), ensure_lines(&top.join(".gitignore"), comment, &locks)?));
    for (key, value) in
        [("merge.privcheck.name", "privcheck results, merged answer by answer"), ("merge.privcheck.driver", &driver)]
    {
        let change = match git::config(Some(&top), key) {
            Some(v) if v == value => Change::Unchanged,
            had => {
                git::set_config(&top, key, value)
                    .map_err(|e| Error::io(&top, "cannot set the repository's git config", e))?;
                if had.is_some() { Change::Updated } else { Change::Written }
            }
        };
        done.push((format!("git config {key}"), change));
    }
    let mut left_alone = None;
    if let Some(kind) = args.ci {
        let (file, text) = recipe(kind);
        let path = top.join(file);
        let change = match bounded::read_to_string(&path, bounded::SETTINGS_LIMIT) {
            Ok(have) if have == text => Change::Unchanged,
            Ok(_) => {
                left_alone = Some(file);
                Change::Unchanged
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "cannot create", e))?;
                }
                atomic::write_new(&path, text.as_bytes()).map_err(|e| Error::io(&path, "cannot write", e))?;
                Change::Written
            }
            Err(e) => return Err(Error::io(&path, "cannot read", e)),
        };
        if left_alone.is_none() {
            done.push((file.to_string(), change));
        }
    }

    let io = Error::output;
    writeln!(out, "privcheck init: {}", escape_controls(&top.display().to_string())).map_err(io)?;
    for (what, change) in &done {
        writeln!(out, "  {what}: {}", change.word()).map_err(io)?;
    }
    writeln!(out, "  merge driver: {}", escape_controls(&driver)).map_err(io)?;
    if let Some(file) = left_alone {
        writeln!(out, "  {file}: left alone (it exists with other content); the job privcheck would write:")
            .map_err(io)?;
        writeln!(out, "\n{}", recipe(args.ci.expect("a CI file")).1).map_err(io)?;
    } else if args.ci.is_none() {
        writeln!(
            out,
            "\nCI: every results file must verify. `privcheck init --ci github` or `--ci gitlab` writes the job; its commands:\n  {INSTALL}\n  {VERIFY}"
        )
        .map_err(io)?;
    }
    writeln!(
        out,
        "\nCommit .gitattributes and .gitignore; every clone runs privcheck init once (git config is not shared)."
    )
    .map_err(io)?;
    Ok(Outcome::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_for_the_shell_only_when_they_must_be() {
        assert_eq!(shell_quote("/home/ann/.cargo/bin/privcheck"), "/home/ann/.cargo/bin/privcheck");
        assert_eq!(shell_quote("/opt/my tools/privcheck"), "'/opt/my tools/privcheck'");
        assert_eq!(shell_quote("/o'brien/privcheck"), r"'/o'\''brien/privcheck'");
        assert_eq!(shell_quote("/x/$(rm -rf)/privcheck"), "'/x/$(rm -rf)/privcheck'");
    }

    #[test]
    fn a_pattern_is_one_plain_word() {
        assert!(check_pattern("reviews/*.toml").is_ok());
        for bad in ["", "#x", "!x", "a b", "a\nb"] {
            assert!(check_pattern(bad).is_err(), "{bad:?}");
        }
    }
}
