//! Nothing lost, nothing written where it should not be (security review items 1, 4, 6, 7):
//! the real binary, on a pseudo-terminal where a review is open, while other programs (git,
//! an editor, a second privcheck) touch its file and its lock.

use crate::support::fixed::ui_set;
use crate::support::*;
use privcheck::model::results::{Results, Status};
use privcheck::store::{lock, results_file};
use std::path::PathBuf;

/// A project folder with a results file for the UI fixture set, every scope question
/// answered yes and nothing else: the review opens on the list.
struct Project {
    home: tempfile::TempDir,
    file: PathBuf,
    lists: PathBuf,
}

impl Project {
    fn new() -> Project {
        let home = tempfile::tempdir().unwrap();
        write_config(home.path(), Some(NAME), Some(EMAIL), None);
        let file = home.path().join("privcheck-2026-Q4.toml");
        let set = ui_set();
        let mut r = Results::new(PRODUCT, PERIOD.parse().unwrap(), &set);
        for q in &set.scope {
            r.scope.insert(q.id.clone(), true);
        }
        save(&file, &r);
        Project { home, file, lists: fixture("checklists-ui") }
    }

    fn review(&self) -> pty::Term {
        let args = ["--checklists", self.lists.to_str().unwrap(), "review", self.file.to_str().unwrap()];
        let t = pty::Term::start(self.home.path(), self.home.path(), &args, &[], 100, 30);
        t.wait_for("answered");
        t
    }

    fn read(&self) -> Results {
        results_file::from_toml_for_set(&std::fs::read_to_string(&self.file).unwrap(), "r", &ui_set()).unwrap()
    }

    /// What `git checkout` does: another version renamed over the file.
    fn replace_with(&self, r: &Results) {
        let tmp = self.home.path().join("incoming.toml");
        save(&tmp, r);
        std::fs::rename(&tmp, &self.file).unwrap();
    }

    fn beside(&self, n: usize) -> PathBuf {
        self.home.path().join(format!("privcheck-2026-Q4.unsaved-{n}.toml"))
    }
}

fn passed(r: &Results) -> Vec<String> {
    r.answers.iter().filter(|a| a.status == Status::Pass).map(|a| a.item.clone()).collect()
}

#[test]
fn a_file_replaced_underneath_is_never_overwritten_and_the_reviewer_chooses() {
    let p = Project::new();
    let mut t = p.review();
    t.send("p");
    t.wait_for("1/");
    let mine = p.read();
    // git pull brings a version where someone answered the last item.
    let mut theirs = mine.clone();
    theirs.answers[0].status = Status::Unreviewed;
    let last = theirs.answers.len() - 1;
    theirs.answers[last].status = Status::Pass;
    let their_item = theirs.answers[last].item.clone();
    p.replace_with(&theirs);
    let on_disk = std::fs::read(&p.file).unwrap();
    // One more key: the review does not write over their version.
    t.send("p");
    t.wait_for("changed on disk under this review");
    assert_eq!(std::fs::read(&p.file).unwrap(), on_disk, "their version was overwritten");
    let second = ui_set().items().nth(1).unwrap().id.clone();
    // r: read theirs again and re-apply mine (the answer since the last save) on top; their
    // change to the first answer, which this review had saved, stands.
    t.send("r");
    t.wait_for("Reloaded the file; 1 change of yours re-applied on top, and saved.");
    let merged = passed(&p.read());
    assert_eq!(merged, [second, their_item], "{merged:?}");

    // Again, and this time write mine beside it.
    let mut other = p.read();
    other.product = "Checkout (renamed by someone else)".into();
    p.replace_with(&other);
    let on_disk = std::fs::read(&p.file).unwrap();
    t.send("u");
    t.wait_for("changed on disk under this review");
    t.send("w");
    t.wait_for("Your answers are in");
    assert_eq!(std::fs::read(&p.file).unwrap(), on_disk);
    let beside = results_file::from_toml(&std::fs::read_to_string(p.beside(1)).unwrap(), "b").unwrap();
    assert_eq!(passed(&beside).len(), 2, "mine: {:?}", passed(&beside));
    assert_eq!(beside.product, PRODUCT, "mine, not theirs");
    t.send("q");
    assert!(t.wait_exit().success());
    assert_eq!(std::fs::read(&p.file).unwrap(), on_disk, "quitting wrote nothing over it");
}

#[test]
fn quitting_with_unsaved_answers_asks_and_w_keeps_them() {
    let p = Project::new();
    let mut t = p.review();
    t.send("p");
    t.wait_for("1/");
    let mut theirs = p.read();
    theirs.product = "Somebody else's".into();
    p.replace_with(&theirs);
    t.send("p");
    t.wait_for("changed on disk under this review");
    t.esc();
    t.wait_for("Not saved: your answers are kept in memory");
    t.send("q");
    t.wait_for("not saved to privcheck-2026-Q4.toml");
    t.wait_for("q  quit without them");
    t.send("w");
    assert!(t.wait_exit().success(), "w writes them and quits");
    let beside = results_file::from_toml(&std::fs::read_to_string(p.beside(1)).unwrap(), "b").unwrap();
    assert_eq!(passed(&beside).len(), 2);
    assert_eq!(p.read().product, "Somebody else's");

    // q twice quits without them, and says so.
    let p = Project::new();
    let mut t = p.review();
    let mut theirs = p.read();
    theirs.product = "Changed".into();
    p.replace_with(&theirs);
    t.send("p");
    t.wait_for("changed on disk under this review");
    t.esc();
    t.send("q");
    t.wait_for("quit without them");
    t.send("q");
    let status = t.wait_exit();
    assert!(!status.success());
    assert!(!p.beside(1).exists());
}

#[test]
fn new_refuses_a_file_a_review_holds() {
    let p = Project::new();
    let prev = p.home.path().join("privcheck-2026-Q3.toml");
    let mut q3 = p.read();
    q3.period = "2026-Q3".parse().unwrap();
    save(&prev, &q3);
    let target = p.home.path().join("next.toml");
    // A review of `next.toml` is open (a new file, not yet created).
    let args = ["--checklists", p.lists.to_str().unwrap(), "review", "--period", "2026-Q4", target.to_str().unwrap()];
    let mut t = pty::Term::start(p.home.path(), p.home.path(), &args, &[], 100, 30);
    t.wait_for("New file next.toml: created on the first answer");
    let o = privcheck(p.home.path())
        .args(["--checklists", p.lists.to_str().unwrap(), "new", "--from"])
        .arg(&prev)
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains("being edited by tester"), "{}", output(&o));
    assert!(!target.exists(), "new wrote the file under an open review");
    t.send("q");
    t.wait_exit();
}

#[test]
fn a_deleted_lock_file_never_gives_two_writers() {
    let p = Project::new();
    let mut a = p.review();
    // git clean -f removes the lock file.
    std::fs::remove_file(lock::lock_path(&p.file)).unwrap();
    // A second review now gets the lock, and answers.
    let mut b = p.review();
    b.send("p");
    b.wait_for("1/");
    let after_b = std::fs::read(&p.file).unwrap();
    // The first review notices before its next save: it writes nothing.
    a.send("p");
    a.wait_for("changed on disk under this review");
    assert_eq!(std::fs::read(&p.file).unwrap(), after_b);
    a.send("w");
    a.wait_for("Your answers are in");
    a.send("q");
    a.wait_exit();
    b.send("q");
    b.wait_exit();
    assert_eq!(passed(&p.read()).len(), 1);
}

#[test]
fn a_hard_link_or_a_symlinked_lock_is_refused_and_nothing_is_written() {
    let p = Project::new();
    // A second name for the results file.
    let link = p.home.path().join("second-name.toml");
    std::fs::hard_link(&p.file, &link).unwrap();
    let o = privcheck(p.home.path())
        .args(["--checklists", p.lists.to_str().unwrap(), "sign", "--no-sign"])
        .arg(&p.file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains("hard links"), "{}", output(&o));
    std::fs::remove_file(&link).unwrap();

    // A lock file that is a link to something precious (a repository can carry one).
    let victim = p.home.path().join("authorized_keys");
    std::fs::write(&victim, "ssh-ed25519 AAAA precious\n").unwrap();
    std::os::unix::fs::symlink(&victim, lock::lock_path(&p.file)).unwrap();
    for cmd in [&["sign", "--no-sign"][..], &["review"][..]] {
        let o = privcheck(p.home.path())
            .args(["--checklists", p.lists.to_str().unwrap()])
            .args(cmd)
            .arg(&p.file)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{cmd:?}: {}", output(&o));
        assert!(stderr(&o).contains("is a symbolic link"), "{cmd:?}: {}", output(&o));
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "ssh-ed25519 AAAA precious\n");
    // A lock file that holds something else is never truncated either.
    std::fs::remove_file(lock::lock_path(&p.file)).unwrap();
    std::fs::write(lock::lock_path(&p.file), "not a lock record\n").unwrap();
    let o = privcheck(p.home.path()).args(["sign", "--no-sign"]).arg(&p.file).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert_eq!(std::fs::read_to_string(lock::lock_path(&p.file)).unwrap(), "not a lock record\n");
}

#[test]
fn a_review_path_that_is_not_a_results_file_name_is_refused() {
    let p = Project::new();
    let o = privcheck(p.home.path()).args(["review", "privcheck-2026-Q4.tmol"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", output(&o));
    assert!(stderr(&o).contains("a results file's name ends in .toml"), "{}", output(&o));
}

#[test]
fn read_only_never_writes() {
    let p = Project::new();
    let before = std::fs::read(&p.file).unwrap();
    let args = ["--checklists", p.lists.to_str().unwrap(), "review", "--read-only", p.file.to_str().unwrap()];
    let mut t = pty::Term::start(p.home.path(), p.home.path(), &args, &[], 100, 30);
    t.wait_for("Read-only: opened with --read-only");
    t.send("p");
    t.wait_for("answer keys do nothing");
    t.send("q");
    assert!(t.wait_exit().success());
    assert_eq!(std::fs::read(&p.file).unwrap(), before);
    assert!(!lock::lock_path(&p.file).exists(), "a read-only review takes no lock");
}

#[test]
fn text_from_git_arguments_and_paths_never_drives_the_terminal() {
    // Security review item 7: a git user.name with a clipboard write and a cursor query.
    let home = tempfile::tempdir().unwrap();
    let hostile = "Eve \u{1b}]52;c;aGk=\u{7}\u{1b}[6n";
    std::fs::write(
        home.path().join(".gitconfig"),
        format!("[user]\n\tname = \"{hostile}\"\n\temail = eve@example.com\n"),
    )
    .unwrap();
    let file = home.path().join("privcheck-2026-Q4.toml");
    save(&file, &complete_results(&set()));
    let o = sign(home.path(), &file, &["--no-sign"]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    for bytes in [&o.stdout, &o.stderr] {
        assert!(
            !bytes.contains(&0x1b) && !bytes.contains(&0x07),
            "raw control text: {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    assert!(stdout(&o).contains("Eve \\u{1b}]52;c;aGk=\\u{7}\\u{1b}[6n"), "{}", output(&o));
    // A hostile output path for new.
    let o = privcheck(home.path())
        .args(["new", "--from"])
        .arg(&file)
        .arg("-o")
        .arg(home.path().join("n\u{1b}[2J.toml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    assert!(!o.stdout.contains(&0x1b) && !o.stderr.contains(&0x1b), "{}", output(&o));
}
