//! The command line, as clap derive types. No logic here.

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Exit codes: 0 ok, 1 findings (a check found problems), 2 usage or input errors.
With no subcommand, privcheck opens the review of the current quarter in the current
directory (privcheck-YYYY-Qn.toml). See `privcheck help review`.";

/// The command line as clap sees it, for completions and the manual page.
pub fn command() -> clap::Command {
    Cli::command()
}

/// The keys of the review, for `privcheck help review` (from the bindings table).
fn review_keys() -> String {
    format!("Keys:\n\n{}", crate::tui::keymap::text())
}

fn browse_keys() -> String {
    use crate::tui::keymap::{Screen, text_of};
    format!("Keys:\n\n{}", text_of([Screen::Browse, Screen::Search, Screen::Everywhere].into_iter()))
}

#[derive(Debug, Parser)]
#[command(name = "privcheck", version, about = "Review a product against its privacy policy's obligations, quarter by quarter", after_help = AFTER_HELP)]
pub struct Cli {
    /// Use the checklists in this directory instead of the built-in set.
    #[arg(long, global = true, value_name = "DIR", env = "PRIVCHECK_CHECKLISTS")]
    pub checklists: Option<PathBuf>,

    /// Add this directory's checklist files to the active set (repeatable; after the
    /// config file's extra_checklists).
    #[arg(long = "checklists-add", global = true, value_name = "DIR")]
    pub checklists_add: Vec<PathBuf>,

    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t, value_name = "WHEN")]
    pub color: ColorWhen,

    #[command(flatten)]
    pub review: ReviewArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum, PartialEq, Eq)]
pub enum ColorWhen {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open a review in the terminal UI (the default command).
    #[command(after_long_help = review_keys())]
    Review(ReviewCmd),
    /// List the active checklist set.
    Checklists,
    /// Check checklist files for errors; optionally check citations against policy texts.
    Lint(LintArgs),
    /// Check results files: complete, current, sign-offs valid (the CI gate).
    Verify(VerifyArgs),
    /// Sign off a results file without the UI.
    Sign(SignArgs),
    /// Start a period from a previous one: answers carried over, to be confirmed.
    New(NewArgs),
    /// Compare two results files item by item.
    Diff(DiffArgs),
    /// A Markdown or JSON report of one results file, or a roll-up of many.
    Report(ReportArgs),
    /// The roll-up in the terminal: one row per product; Enter opens a team's review
    /// read-only.
    #[command(after_long_help = browse_keys())]
    Browse(BrowseArgs),
    /// Export results to a compliance tool's format (NIST OSCAL, MITRE SAF).
    Export(ExportArgs),
    /// Set this git repository up for results files: merge driver, ignored lock files, CI.
    Init(InitArgs),
    /// Merge three versions of a results file item by item: git's merge driver (see `init`).
    MergeFile(MergeFileArgs),
    /// Print a shell completion script (install it as your shell's documentation says).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `privcheck man > privcheck.1`.
    Man,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CiKind {
    /// GitHub Actions: .github/workflows/privcheck.yml.
    Github,
    /// GitLab CI: .gitlab-ci.yml.
    Gitlab,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Results files are also named like this (a .gitattributes pattern, e.g.
    /// `reviews/*.toml`; repeatable); `privcheck-*.toml` always is.
    #[arg(long, value_name = "PATTERN")]
    pub pattern: Vec<String>,
    /// Also write the CI job that verifies the results files of each pull request.
    #[arg(long, value_enum, value_name = "SYSTEM")]
    pub ci: Option<CiKind>,
}

#[derive(Debug, Args)]
pub struct MergeFileArgs {
    /// The common ancestor's version (git's %O).
    pub base: PathBuf,
    /// Our version, where the merge is written (git's %A).
    pub ours: PathBuf,
    /// Their version (git's %B).
    pub theirs: PathBuf,
    /// The path of the file in the repository (git's %P), to name it and its sides.
    pub path: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The previous period's results file.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// The new period (default: the quarter after the previous file's).
    #[arg(long, value_name = "YYYY-Qn")]
    pub period: Option<String>,
    /// The new results file (default: privcheck-YYYY-Qn.toml beside the previous one).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub as_of: AsOfOpt,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum, PartialEq, Eq)]
pub enum DiffFormat {
    /// For people: coloured only on a terminal.
    #[default]
    Human,
    /// For a pull-request comment.
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older results file.
    pub old: PathBuf,
    /// The newer results file.
    pub new: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    pub format: DiffFormat,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    #[default]
    Markdown,
    Json,
    /// The roll-up only, one row per file, for a spreadsheet (RFC 4180).
    Csv,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub files: RollupArgs,
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct BrowseArgs {
    #[command(flatten)]
    pub files: RollupArgs,
}

/// Which results files a roll-up reads, how it checks them, which periods it shows.
#[derive(Debug, Args)]
pub struct RollupArgs {
    /// Results files, or directories searched recursively for *.toml files (TOML files that
    /// are not results files are skipped with a note).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub signers: SignersOpts,
    /// Show every period of each product (default: the latest period of each product).
    #[arg(long, conflicts_with = "period")]
    pub all_periods: bool,
    /// Show one period only, e.g. 2026-Q3.
    #[arg(long, value_name = "YYYY-Qn")]
    pub period: Option<String>,
    /// Count a valid sign-off with this role as required in the verify column (repeatable;
    /// default: `require_roles` in .privcheck.toml), as `privcheck verify --require-role`.
    #[arg(long, value_name = "ROLE")]
    pub require_role: Vec<String>,
    /// Count this warning as failing in the verify column (repeatable): a finding code such as
    /// `overdue`, or `warnings`; added to `deny` in .privcheck.toml, as `privcheck verify --deny`.
    #[arg(long, value_name = "CODE", value_parser = parse_deny)]
    pub deny: Vec<String>,
    #[command(flatten)]
    pub as_of: AsOfOpt,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    /// NIST OSCAL assessment results (JSON).
    Oscal,
    /// MITRE SAF attestations (JSON), one per item answered pass or fail; not-applicable
    /// and unreviewed items are left out (an attestation is only passed or failed).
    Saf,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The results file to export.
    pub file: PathBuf,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args, Default)]
pub struct ReviewArgs {
    /// The quarter to review, e.g. 2026-Q4 (default: the current quarter).
    #[arg(long, value_name = "YYYY-Qn")]
    pub period: Option<String>,
    /// Product or team name recorded in a new results file (default: config, or the directory name).
    #[arg(long)]
    pub product: Option<String>,
    /// Open the review to look only: nothing is ever written.
    #[arg(long)]
    pub read_only: bool,
}

#[derive(Debug, Args)]
pub struct ReviewCmd {
    /// The results file (default: privcheck-YYYY-Qn.toml for the period, in this directory).
    pub file: Option<PathBuf>,
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t, value_name = "WHEN")]
    pub color: ColorWhen,

    #[command(flatten)]
    pub review: ReviewArgs,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Checklist files or directories (default: the active set).
    pub paths: Vec<PathBuf>,
    /// Also check that every citation's quote is in this policy text (repeatable).
    #[arg(long, value_name = "FILE")]
    pub policy: Vec<PathBuf>,
    /// Also check each citation's quote against the document it cites, in this directory
    /// (and, for declared documents, that each quote stands under its heading).
    #[arg(long, value_name = "DIR")]
    pub policy_dir: Option<PathBuf>,
    /// List every promise-bearing sentence of every declared document with the items that
    /// cite it; exit 1 when one is neither cited nor excluded with a reason.
    #[arg(long, requires = "policy_dir")]
    pub coverage: bool,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Results files to check.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub signers: SignersOpts,
    /// Check digests only, not signatures: for a local look. Every line of the output says
    /// so, and no sign-off is then valid evidence.
    #[arg(long, conflicts_with_all = ["allowed_signers", "role_signers"])]
    pub skip_signatures: bool,
    /// Require a valid sign-off with this role (repeatable; default: `require_roles` in
    /// .privcheck.toml). Two or more roles must be signed by different people.
    #[arg(long, value_name = "ROLE")]
    pub require_role: Vec<String>,
    /// Print the exact bytes that sign-off N (1, 2, ...) of FILE signed, and nothing else.
    #[arg(long, value_name = "N", conflicts_with = "signature")]
    pub message: Option<usize>,
    /// Print the armored SSH signature of sign-off N of FILE, and nothing else.
    #[arg(long, value_name = "N")]
    pub signature: Option<usize>,
    /// Make this warning fail the gate (repeatable): a finding code such as `overdue`, or
    /// `warnings` for every warning; added to `deny` in .privcheck.toml.
    #[arg(long, value_name = "CODE", value_parser = parse_deny)]
    pub deny: Vec<String>,
    #[command(flatten)]
    pub as_of: AsOfOpt,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

fn parse_deny(s: &str) -> Result<String, String> {
    crate::model::verify::check_deny(s).map(|()| s.to_string())
}

/// The day that dates are judged against: a date, or the last day of each file's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    Date(jiff::civil::Date),
    /// The last day of the period of the file judged.
    End,
}

fn parse_as_of(s: &str) -> Result<AsOf, String> {
    if s == "end" {
        return Ok(AsOf::End);
    }
    s.parse().map(AsOf::Date).map_err(|_| format!("{s:?} is not a date like 2026-12-31, nor `end`"))
}

/// `--as-of`, for the commands that judge due dates.
#[derive(Debug, Args, Clone, Copy, Default)]
pub struct AsOfOpt {
    /// Judge due dates as of this day, YYYY-MM-DD (default: today), or `end`: the last day of
    /// the file's period, to check a past period's file as of its end.
    #[arg(long, value_name = "YYYY-MM-DD|end", value_parser = parse_as_of)]
    pub as_of: Option<AsOf>,
}

/// Who may sign: the signer lists, and when keys are judged.
#[derive(Debug, Args, Clone, Default)]
pub struct SignersOpts {
    /// The allowed_signers file deciding who may sign (default: `allowed_signers` in the
    /// repository's .privcheck.toml, then git's gpg.ssh.allowedSignersFile of the
    /// repository holding the results file).
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: Option<PathBuf>,
    /// Who may sign as ROLE (repeatable), e.g. `approver=privacy-office.allowed_signers`;
    /// other roles use the general list.
    #[arg(long, value_name = "ROLE=FILE", value_parser = crate::app::signers::parse_role_signers)]
    pub role_signers: Vec<(String, PathBuf)>,
    /// When keys (valid-after, valid-before, certificates) must be valid: at the sign-off's
    /// time, or now (refuses keys that have expired since).
    #[arg(long, value_enum, default_value_t, value_name = "WHEN")]
    pub key_validity: KeyValidityWhen,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum, PartialEq, Eq)]
pub enum KeyValidityWhen {
    #[default]
    Signoff,
    Now,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The results file to sign off.
    pub file: PathBuf,
    /// The role of this sign-off, e.g. reviewer or approver.
    #[arg(long, default_value = "reviewer")]
    pub role: String,
    /// The SSH key to sign with (private key, or public key with its private half in ssh-agent).
    #[arg(long, value_name = "PATH")]
    pub key: Option<PathBuf>,
    /// Record the sign-off unsigned, without looking for a key.
    #[arg(long, conflicts_with = "key")]
    pub no_sign: bool,
    #[command(flatten)]
    pub as_of: AsOfOpt,
}
