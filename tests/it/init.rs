//! `privcheck init` in real git repositories, and the CI recipes it writes run as written:
//! their commands, in a repository with a real merge, a real signed file and a signer list.

use crate::support::git::{FILE, Repo, branch, fail_nth, git_in, init, isolated, signed_repo};
use crate::support::*;
use privcheck::model::results::Status;
use std::path::Path;
use std::process::Output;

/// What init leaves in the repository: the two files and the two config keys.
fn state(repo: &Repo) -> (String, String, String, String) {
    (
        read(&repo.path(".gitattributes")),
        read(&repo.path(".gitignore")),
        repo.git(&["config", "--local", "merge.privcheck.name"]),
        repo.git(&["config", "--local", "merge.privcheck.driver"]),
    )
}

#[test]
fn init_sets_the_repository_up_once_from_any_folder_and_a_second_run_changes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let repo = Repo::new(home.path(), "repo");
    std::fs::write(repo.path(".gitignore"), "/target").unwrap();
    std::fs::create_dir_all(repo.path("teams/web")).unwrap();
    let in_sub = |args: &[&str]| {
        let o = privcheck(home.path()).current_dir(repo.path("teams/web")).arg("init").args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", output(&o));
        stdout(&o)
    };
    let first = in_sub(&["--pattern", "reviews/*.toml"]);
    for line in [".gitattributes: written", ".gitignore: updated", "git config merge.privcheck.driver: written"] {
        assert!(first.contains(line), "{first}");
    }
    assert!(first.contains("xargs -0 -r privcheck verify"), "the CI recipe is printed: {first}");
    let (attributes, ignore, name, driver) = state(&repo);
    assert!(attributes.lines().any(|l| l == "privcheck-*.toml merge=privcheck"), "{attributes}");
    assert!(attributes.lines().any(|l| l == "reviews/*.toml merge=privcheck"), "{attributes}");
    assert!(ignore.starts_with("/target\n"), "what was there stays: {ignore}");
    assert!(ignore.lines().any(|l| l == "privcheck-*.toml.lock"), "{ignore}");
    assert!(ignore.lines().any(|l| l == "reviews/*.toml.lock"), "{ignore}");
    assert!(!name.trim().is_empty());
    // The driver runs this binary by its absolute path: git's PATH need not hold it.
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_privcheck")).unwrap();
    assert_eq!(driver.trim(), format!("{} merge-file %O %A %B %P", exe.display()));
    // git sees the attributes where results files are.
    let check =
        repo.git(&["check-attr", "merge", "--", "teams/web/privcheck-2026-Q4.toml", "reviews/q4.toml", "a.toml"]);
    assert_eq!(
        check,
        "teams/web/privcheck-2026-Q4.toml: merge: privcheck\nreviews/q4.toml: merge: privcheck\na.toml: merge: unspecified\n"
    );
    let ignored = repo.git(&["check-ignore", "teams/web/privcheck-2026-Q4.toml.lock", "reviews/q4.toml.lock"]);
    assert_eq!(ignored.lines().count(), 2, "{ignored}");
    // Twice: nothing changes, and it says so.
    let before = state(&repo);
    let second = in_sub(&["--pattern", "reviews/*.toml"]);
    assert_eq!(state(&repo), before);
    assert_eq!(second.matches(": unchanged").count(), 4, "{second}");
    assert!(!second.contains("written") && !second.contains("updated"), "{second}");
    // Without --pattern again, the pattern given once stays.
    in_sub(&[]);
    assert_eq!(state(&repo), before);
}

#[test]
fn outside_a_git_repository_init_says_so_and_exits_2() {
    let home = tempfile::tempdir().unwrap();
    let o = privcheck(home.path())
        .env("GIT_CEILING_DIRECTORIES", home.path().parent().unwrap())
        .arg("init")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains("not in a git repository"), "{}", output(&o));
    assert!(!home.path().join(".gitattributes").exists());
}

#[test]
fn the_driver_init_sets_merges_when_git_runs_without_privcheck_on_its_path() {
    let home = tempfile::tempdir().unwrap();
    let repo = signed_repo(home.path(), true);
    branch(&repo, "x", |r| fail_nth(r, 1, "Bob Owner"));
    branch(&repo, "y", |r| fail_nth(r, 4, "Carol Owner"));
    repo.git(&["checkout", "-q", "x"]);
    // PATH without the built privcheck: as a GUI or an IDE might run git.
    let o = git_in(&repo.home, &repo.dir)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args(["merge", "--no-edit", "y"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", output(&o));
    assert!(stdout(&o).contains("merged answers item by item"), "{}", output(&o));
}

#[test]
fn a_ci_file_with_other_content_is_left_alone() {
    let home = tempfile::tempdir().unwrap();
    let repo = Repo::new(home.path(), "repo");
    std::fs::write(repo.path(".gitlab-ci.yml"), "test:\n  script: [make]\n").unwrap();
    let o = init(&repo, &["--ci", "gitlab"]);
    assert!(stdout(&o).contains(".gitlab-ci.yml: left alone"), "{}", output(&o));
    assert!(stdout(&o).contains("xargs -0 -r privcheck verify"), "the job is printed: {}", output(&o));
    assert_eq!(read(&repo.path(".gitlab-ci.yml")), "test:\n  script: [make]\n");
}

/// The shell scripts of a CI file: each `run:` of a GitHub workflow, each item of a GitLab
/// job's `script:`, as the YAML holds them (a block scalar dedented, a plain line as is).
fn scripts(yaml: &str) -> Vec<String> {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let indent = l.len() - t.len();
        if t == "run: |" || t == "- |" {
            let body: Vec<&str> = lines[i + 1..]
                .iter()
                .take_while(|b| b.is_empty() || b.len() - b.trim_start().len() > indent)
                .copied()
                .collect();
            let by = body.iter().find(|b| !b.is_empty()).map_or(0, |b| b.len() - b.trim_start().len());
            out.push(body.iter().map(|b| format!("{}\n", b.get(by..).unwrap_or(""))).collect());
        } else if let Some(cmd) = t.strip_prefix("run: ") {
            out.push(format!("{cmd}\n"));
        }
    }
    out
}

/// Runs a CI script as the job runs it (bash with -e and pipefail, as both systems do), in
/// `repo`, with the built privcheck on PATH and `env` set.
fn run_script(repo: &Repo, shell: &[&str], script: &str, env: &[(&str, &Path)]) -> Output {
    let mut c = isolated(shell[0], &repo.home, &repo.dir);
    c.args(&shell[1..]).arg(script);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

/// A pull request as CI sees it: `origin` holds `main` with a signed review; the branch
/// `pr` merges two branches that answered different items (the driver merged them) and is
/// signed again. Returns the repository, on `pr`.
fn pull_request(home: &Path, ci: &str) -> Repo {
    let repo = signed_repo(home, true);
    init(&repo, &["--ci", ci]);
    repo.commit("CI job");
    let origin = home.join("origin.git");
    git_in(home, home).args(["init", "-q", "--bare", "-b", "main"]).arg(&origin).output().unwrap();
    repo.git(&["remote", "add", "origin", origin.to_str().unwrap()]);
    repo.git(&["push", "-q", "origin", "main"]);
    branch(&repo, "x", |r| fail_nth(r, 1, "Bob Owner"));
    branch(&repo, "pr", |r| {
        let i = first(r, Status::NotApplicable);
        r.answers[i].reason = "No app in any store.".into();
    });
    let o = repo.try_git(&["merge", "--no-edit", "x"]);
    assert!(o.status.success(), "{}", output(&o));
    repo
}

fn check_recipe(ci: &str, file: &str, shell: &[&str], env: &[(&str, &str)]) {
    let home = tempfile::tempdir().unwrap();
    let repo = pull_request(home.path(), ci);
    let yaml = read(&repo.path(file));
    let all = scripts(&yaml);
    assert!(all.iter().any(|s| s.contains("cargo install --locked --git")), "it installs privcheck: {all:?}");
    // Installing needs the network: the built privcheck stands for it, on PATH.
    let steps: Vec<&String> = all.iter().filter(|s| !s.contains("cargo install")).collect();
    assert_eq!(steps.len(), 2, "the summary and the verify steps: {steps:?}");
    let summary = home.path().join("summary.md");
    let mut vars: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, Path::new(*v))).collect();
    vars.push(("GITHUB_STEP_SUMMARY", &summary));
    let run = |repo: &Repo| -> Vec<Output> { steps.iter().map(|s| run_script(repo, shell, s, &vars)).collect() };

    // The merge voided both sign-offs: the gate fails; the summary still shows the changes.
    let o = run(&repo);
    assert_eq!(o[0].status.code(), Some(0), "summary: {}", output(&o[0]));
    // xargs exits 123 when the command it ran failed: the job fails.
    assert_eq!(o[1].status.code(), Some(123), "verify fails on void sign-offs: {}", output(&o[1]));
    assert!(stdout(&o[1]).contains("the review must be signed again"), "{}", output(&o[1]));

    // Signed again: the gate passes.
    let o = sign(&repo.home, &repo.path(FILE), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    repo.git(&["commit", "-q", "-am", "signed again after the merge"]);
    let _ = std::fs::remove_file(&summary);
    let _ = std::fs::remove_file(repo.path("privcheck-diff.md"));
    let o = run(&repo);
    for o in &o {
        assert_eq!(o.status.code(), Some(0), "{}", output(o));
    }
    let md = read(&if ci == "github" { summary } else { repo.path("privcheck-diff.md") });
    assert!(md.starts_with("## privcheck: what changed in the results\n"), "{md}");
    assert!(md.contains(FILE), "{md}");
    assert!(md.contains("No app in any store.") && md.contains("Bob Owner"), "both branches' changes: {md}");
}

#[test]
fn the_github_job_runs_as_written_on_a_merged_pull_request() {
    check_recipe(
        "github",
        ".github/workflows/privcheck.yml",
        &["bash", "-e", "-o", "pipefail", "-c"],
        &[("GITHUB_BASE_REF", "main")],
    );
}

#[test]
fn the_gitlab_job_runs_as_written_on_a_merged_merge_request() {
    check_recipe("gitlab", ".gitlab-ci.yml", &["sh", "-e", "-c"], &[("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")]);
}

#[test]
fn the_readme_shows_the_commands_the_ci_jobs_run() {
    let readme = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    let section = readme.split("\n## CI\n").nth(1).expect("the README's CI section");
    for command in [privcheck::cmd::init::INSTALL, privcheck::cmd::init::VERIFY] {
        assert!(section.contains(&format!("    {command}\n")), "README.md's CI section lacks:\n    {command}");
        for kind in [privcheck::cli::CiKind::Github, privcheck::cli::CiKind::Gitlab] {
            assert!(privcheck::cmd::init::recipe(kind).1.contains(command), "{kind:?}");
        }
    }
}

#[test]
fn the_pre_commit_hook_runs_verify_on_results_files() {
    let hooks = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"));
    let field = |name: &str| {
        hooks.lines().find_map(|l| l.trim().strip_prefix(&format!("{name}: "))).unwrap_or_else(|| panic!("{hooks}"))
    };
    assert_eq!(field("language"), "rust", "pre-commit installs it with cargo, as the README does");
    assert_eq!(field("files"), r"(^|/)privcheck-[^/]*\.toml$");
    // pre-commit runs the entry with the staged files that match as arguments.
    let home = tempfile::tempdir().unwrap();
    let repo = signed_repo(home.path(), true);
    let entry: Vec<&str> = field("entry").split_whitespace().collect();
    assert_eq!(entry[0], "privcheck");
    let o = privcheck(home.path()).current_dir(&repo.dir).args(&entry[1..]).arg(FILE).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let mut r = load(&repo.path(FILE));
    fail_nth(&mut r, 2, "Bob Owner");
    save(&repo.path(FILE), &r);
    let o = privcheck(home.path()).current_dir(&repo.dir).args(&entry[1..]).arg(FILE).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "a changed file must be signed again: {}", output(&o));
}
