//! End to end: the real binary in an 80x24 pseudo-terminal, driven by keys, checked on the
//! screen and in the saved file.

use crate::support::pty::Term;
use crate::support::{bin, keys};
use privcheck::model::results::Status;
use privcheck::store::{checklist_file, results_file};
use std::path::{Path, PathBuf};

struct Env {
    home: tempfile::TempDir,
    dir: PathBuf,
}

impl Env {
    /// A reviewer with a name, an email and an ed25519 key; an empty project directory.
    fn new() -> Env {
        let home = tempfile::tempdir().unwrap();
        let ssh = home.path().join(".ssh");
        std::fs::create_dir_all(&ssh).unwrap();
        let key = ssh.join("id_ed25519");
        let ok = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", "ann@example.com", "-f"])
            .arg(&key)
            .status()
            .unwrap();
        assert!(ok.success());
        let cfg = home.path().join(".config/privcheck");
        std::fs::create_dir_all(&cfg).unwrap();
        std::fs::write(
            cfg.join("config.toml"),
            format!(
                "name = \"Ann Example\"\nemail = \"ann@example.com\"\nsigning_key = {:?}\nproduct = \"Checkout\"\n",
                key.display().to_string()
            ),
        )
        .unwrap();
        let dir = home.path().join("project");
        std::fs::create_dir(&dir).unwrap();
        Env { home, dir }
    }

    fn start(&self, args: &[&str]) -> Term {
        Term::start(self.home.path(), &self.dir, args, &[], 80, 24)
    }

    fn file(&self) -> PathBuf {
        self.dir.join("privcheck-2026-Q4.toml")
    }

    fn results(&self) -> privcheck::model::results::Results {
        read(&self.file())
    }
}

fn read(path: &Path) -> privcheck::model::results::Results {
    let text = std::fs::read_to_string(path).unwrap();
    results_file::from_toml_for_set(&text, "r.toml", &checklist_file::builtin()).unwrap()
}

/// One answer per scope question of the built-in set, repeating `pattern` (e.g. "yn").
fn every_scope(pattern: &str) -> String {
    pattern.chars().cycle().take(checklist_file::builtin().scope.len()).collect()
}

/// Signs off in the review as reviewer (the key needs no passphrase) and quits.
fn sign_and_quit(t: &mut Term) {
    t.send("S");
    t.wait_for("Are these answers complete and true");
    t.send("y");
    t.wait_for("signed (reviewer)");
    t.send("q");
    assert!(t.wait_exit().success());
}

/// A new review: records the newest policy version (the default) when the checklists
/// declare versions, then answers the scope.
fn answer_scope(t: &mut Term, answers: &str) {
    t.wait_for("Scope: what applies");
    if t.screen().contains("Which version of the policy does the product publish?") {
        t.send("\r");
        t.wait_for("(v changes it)");
    }
    for c in answers.chars() {
        t.send(&c.to_string());
    }
}

#[test]
fn a_whole_review_from_scope_to_signed_file_that_verifies() {
    let env = Env::new();
    let mut t = env.start(&["--period", "2026-Q4"]);
    answer_scope(&mut t, &every_scope("y"));
    let total = checklist_file::builtin().item_count();
    t.wait_for("Areas");
    t.wait_for(&format!("0/{total} answered"));
    assert_eq!(env.results().scope.len(), checklist_file::builtin().scope.len());
    let newest = checklist_file::builtin().policy_versions()[0].file.clone();
    assert_eq!(env.results().policy, Some(newest), "the version in force is recorded, newest by default");

    // A fail with its remediation.
    t.send("f");
    t.wait_for("Remediation (Enter saves");
    t.send("Ann\t2026-12-31\tPRIV-7\r");
    t.wait_for("Remediation saved.");
    // Not applicable with a reason.
    t.send("n");
    t.wait_for("Why not applicable?");
    t.send("No such form in this product\r");
    t.wait_for("Reason saved.");
    // A note and evidence on the next one, then pass it.
    t.send("e");
    t.wait_for("Esc keeps it");
    t.send("Checked on staging\rAll sign-up paths");
    t.esc();
    t.wait_for("Note kept.");
    t.send("a");
    t.wait_for("Add evidence");
    t.send("https://tickets.example.com/PRIV-8\r");
    t.wait_for("Evidence added.");
    t.send("p");
    t.wait_for(&format!("3/{total} answered"));

    // A search narrows the list across areas; Esc clears it.
    t.send("/parent");
    t.wait_for("all \"parent\"");
    t.send("\r");
    t.esc();
    t.wait_for("Filter cleared.");
    // The search moved the selection; go on from the next unanswered item.
    t.send(" ");

    // Answer the rest: p moves on to the next unanswered item each time.
    for _ in 3..total {
        t.send("p");
    }
    t.wait_for(&format!("{total}/{total} answered"));
    t.wait_for("Every item is answered");

    t.send("S");
    t.wait_for("Are these answers complete and true");
    t.wait_for("Email  ann@example.com");
    t.send("y");
    t.wait_for("Signed off as reviewer with SHA256:");
    t.wait_for("signed (reviewer)");
    t.send("q");
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
    assert!(!t.alternate_screen(), "the terminal was not restored");

    let r = env.results();
    assert_eq!(r.progress().unreviewed, 0);
    assert_eq!(r.progress().fail, 1);
    let fail = r.answers.iter().find(|a| a.status == Status::Fail).unwrap();
    let rem = fail.remediation.as_ref().unwrap();
    assert_eq!(
        (rem.owner.as_str(), rem.due.unwrap().to_string().as_str(), rem.ticket.as_str()),
        ("Ann", "2026-12-31", "PRIV-7")
    );
    assert!(r.answers.iter().any(|a| a.reason == "No such form in this product"));
    let noted = r.answers.iter().find(|a| !a.note.is_empty()).unwrap();
    assert_eq!(noted.note, "Checked on staging\nAll sign-up paths");
    assert_eq!(noted.evidence, ["https://tickets.example.com/PRIV-8"]);
    assert_eq!(noted.by, "Ann Example");
    assert!(r.is_signed());
    assert!(r.signoffs[0].signature.is_some());

    // The file passes the CI gate, signature included.
    let signers = env.home.path().join("allowed_signers");
    let pubkey = std::fs::read_to_string(env.home.path().join(".ssh/id_ed25519.pub")).unwrap();
    std::fs::write(&signers, format!("ann@example.com namespaces=\"git,privcheck\" {pubkey}")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_privcheck"))
        .arg("verify")
        .arg(env.file())
        .arg("--allowed-signers")
        .arg(&signers)
        .env("HOME", env.home.path())
        .env("XDG_CONFIG_HOME", env.home.path().join(".config"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn kill_9_mid_review_loses_no_answer() {
    let env = Env::new();
    let mut t = env.start(&["--period", "2026-Q4"]);
    answer_scope(&mut t, &every_scope("yn"));
    t.wait_for("answered");
    t.send("pppf");
    t.wait_for("Remediation (Enter saves");
    t.send("Bo\t2027-01-15\r");
    t.wait_for("Remediation saved.");
    t.signal("KILL");
    t.wait_exit();
    let r = env.results();
    assert_eq!(r.progress().pass, 3);
    assert_eq!(r.progress().fail, 1);
    assert_eq!(r.scope.len(), checklist_file::builtin().scope.len());

    // Starting again shows every answer.
    let mut t = env.start(&[]);
    let answered = r.progress().answered();
    t.wait_for(&format!("{answered}/{} answered", r.progress().total));
    t.wait_for("Took over a stale lock");
    t.send("q");
    assert!(t.wait_exit().success());
}

#[test]
fn hang_up_while_typing_a_note_keeps_the_note() {
    let env = Env::new();
    let mut t = env.start(&["--period", "2026-Q4"]);
    answer_scope(&mut t, &every_scope("y"));
    t.wait_for("answered");
    t.send("p");
    t.wait_for("1/");
    t.send("e");
    t.wait_for("Esc keeps it");
    t.send("half a thought");
    t.wait_for("half a thought");
    t.signal("HUP");
    t.wait_exit();
    let r = env.results();
    assert_eq!(r.progress().pass, 1);
    assert!(r.answers.iter().any(|a| a.note == "half a thought"), "the draft note was lost");
    assert!(!privcheck::store::lock::lock_path(&env.file()).exists(), "lock file left behind");
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_answers() {
    let env = Env::new();
    let mut t = env.start(&["--period", "2026-Q4"]);
    answer_scope(&mut t, &every_scope("n"));
    t.wait_for("answered");
    t.send("pp");
    t.wait_for("Collection of information");
    std::thread::sleep(std::time::Duration::from_millis(200));
    t.signal("TERM");
    t.wait_exit();
    assert!(!t.alternate_screen(), "the terminal was left in the alternate screen");
    assert_eq!(env.results().progress().pass, 2);
}

#[test]
fn ctrl_c_quits_cleanly() {
    let env = Env::new();
    let mut t = env.start(&["--period", "2026-Q4"]);
    answer_scope(&mut t, "y");
    t.send("\x03");
    assert!(t.wait_exit().success());
    assert!(!t.alternate_screen());
    assert_eq!(env.results().scope.len(), 1);
}

#[test]
fn a_small_terminal_says_so_and_recovers() {
    let env = Env::new();
    let mut t = env.start(&["--period", "2026-Q4"]);
    t.wait_for("Scope: what applies");
    t.resize(50, 12);
    t.wait_for("terminal too small (needs 60x15, is 50x12)");
    t.resize(80, 24);
    t.wait_for("Scope: what applies");
    for (c, r) in [(1, 1), (200, 60), (59, 15), (60, 15), (20, 40), (2, 80), (300, 5)] {
        t.resize(c, r);
    }
    // Every size from 1x1 to 200x60 on a coarse grid, as fast as the pty takes them.
    for c in (1..=200).step_by(13).chain([200]) {
        for r in (1..=60).step_by(7).chain([60]) {
            t.resize(c, r);
        }
    }
    // Settle: the sizes above raced past the program; one more size it must redraw for.
    t.resize(81, 24);
    t.wait_for("Scope: what applies");
    t.resize(80, 24);
    t.send("\x0c"); // Ctrl-L redraws everything, without asking the terminal anything
    t.wait_for("Scope: what applies");
    let sent = String::from_utf8_lossy(&t.bytes.lock().unwrap()).into_owned();
    assert!(!sent.contains("\x1b[6n"), "privcheck asked for the cursor position (the harness never answers)");
    // Keys still work after the storm: the version chooser, then the scope.
    t.wait_for("Which version of the policy");
    t.send("\r");
    t.wait_for("(v changes it)");
    t.send("y");
    let first: String = checklist_file::builtin().scope[0].question.chars().take(24).collect();
    t.wait_for(&format!("[yes] {first}"));
    t.send("q");
    assert!(t.wait_exit().success());
}

#[test]
fn a_second_reviewer_gets_a_read_only_view_naming_the_first() {
    let env = Env::new();
    let mut first = env.start(&["--period", "2026-Q4"]);
    answer_scope(&mut first, &every_scope("y"));
    first.wait_for("answered");
    first.send("p");
    first.wait_for("1/");
    let mut second = env.start(&["--period", "2026-Q4"]);
    second.wait_for("READ-ONLY");
    second.wait_for(&format!("pid {}", first.pid()));
    second.send("f");
    second.wait_for("Read-only:");
    second.send("q");
    assert!(second.wait_exit().success());
    first.send("p");
    first.wait_for("2/");
    first.send("q");
    assert!(first.wait_exit().success());
    assert_eq!(env.results().progress().pass, 2);
}

#[test]
fn plain_ascii_without_colour_in_a_c_locale() {
    let env = Env::new();
    let mut t = Term::start(
        env.home.path(),
        &env.dir,
        &["--period", "2026-Q4"],
        &[("LANG", "C"), ("NO_COLOR", "1"), ("TERM", "vt100")],
        80,
        24,
    );
    answer_scope(&mut t, &every_scope("y"));
    t.wait_for("+ Areas ---");
    t.send("f");
    t.wait_for("Remediation");
    t.send("Bob\r");
    t.wait_for("X FAIL");
    let screen = t.screen();
    assert!(screen.is_ascii(), "non-ASCII on screen:\n{screen}");
    let bytes = t.bytes.lock().unwrap().clone();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("\x1b[38;5") && !text.contains("\x1b[31m") && !text.contains("\x1b[32m"), "colour was sent");
    t.send("q");
    assert!(t.wait_exit().success());
}

#[test]
fn without_a_terminal_it_exits_2_and_points_to_verify() {
    let env = Env::new();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_privcheck"))
        .current_dir(&env.dir)
        .env("HOME", env.home.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal") && err.contains("privcheck verify"), "{err}");
    assert!(out.stdout.is_empty(), "escape codes were printed: {:?}", out.stdout);
    assert!(!env.file().exists());
}

#[test]
fn signing_with_a_passphrase_protected_key_asks_for_it_on_the_terminal() {
    let env = Env::new();
    // Replace the key with one protected by a passphrase.
    let key = env.home.path().join(".ssh/id_ed25519");
    std::fs::remove_file(&key).unwrap();
    std::fs::remove_file(key.with_extension("pub")).unwrap();
    let ok = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "open sesame", "-C", "ann@example.com", "-f"])
        .arg(&key)
        .status()
        .unwrap();
    assert!(ok.success());
    let lists = crate::support::fixture("checklists-good");
    let mut t = env.start(&["--checklists", lists.to_str().unwrap(), "--period", "2026-Q4"]);
    answer_scope(&mut t, "y");
    t.wait_for("0/2 answered");
    t.send("pp");
    t.wait_for("2/2 answered");
    t.send("S");
    t.wait_for("Are these answers complete and true");
    t.send("y");
    // The UI steps aside; ssh-keygen asks on the terminal.
    t.wait_for("passphrase");
    t.send("open sesame\r");
    t.wait_for("Signed off as reviewer with SHA256:");
    t.send("q");
    assert!(t.wait_exit().success());
    let text = std::fs::read_to_string(env.file()).unwrap();
    assert!(text.contains("-----BEGIN SSH SIGNATURE-----"), "{text}");
}

#[test]
fn a_big_paste_into_a_note_is_one_insertion_and_no_keys_leak() {
    let env = Env::new();
    let mut t = env.start(&["--period", "2026-Q4"]);
    answer_scope(&mut t, &every_scope("y"));
    t.wait_for("answered");
    t.send("e");
    t.wait_for("Esc keeps it");
    // 100 KB of text with line breaks, and letters that are keys elsewhere (p, f, q).
    let line = "pasted pfq evidence line with a \u{1b}[31m colour and a bidi \u{202e} override\n";
    let text: String = line.repeat(100_000 / line.len() + 1);
    t.send(&format!("\x1b[200~{text}\x1b[201~"));
    t.wait_for("pasted pfq");
    t.esc();
    t.wait_for("Note kept.");
    t.send("q");
    t.wait_exit();
    let r = env.results();
    let note = &r.answers[0].note;
    assert_eq!(note.lines().count(), text.lines().count(), "every line arrived, in one note");
    assert!(
        note.lines().all(|l| l == "pasted pfq evidence line with a [31m colour and a bidi  override"),
        "{:?}",
        &note[..200]
    );
    assert_eq!(r.progress().answered(), 0, "no pasted letter was taken for a key");
    // Outside an editor a paste is not keys either.
    let mut t = env.start(&["--period", "2026-Q4"]);
    t.wait_for("answered");
    t.send("\x1b[200~pppp\x1b[201~");
    t.wait_for("Paste into a note");
    t.send("q");
    t.wait_exit();
    assert_eq!(env.results().progress().answered(), 0);
}

#[test]
fn two_quarters_review_sign_approve_carry_confirm_by_area_and_sign_again() {
    let env = Env::new();
    let set = checklist_file::builtin();
    // Q3: every scope yes, every item passed but one failed with its remediation; signed.
    let mut t = env.start(&["--period", "2026-Q3"]);
    answer_scope(&mut t, &every_scope("y"));
    t.wait_for("0/");
    t.send("f");
    t.wait_for("Remediation");
    t.send("Ann\t2027-03-31\tPRIV-9\r");
    t.wait_for("Remediation saved.");
    for _ in 1..set.item_count() {
        t.send("p");
    }
    t.wait_for("Every item is answered");
    sign_and_quit(&mut t);
    let q3 = env.dir.join("privcheck-2026-Q3.toml");

    // The privacy office approves with its own key, without the UI.
    let bob_key = keys::keygen(env.home.path(), "bob");
    let bob_cfg = env.home.path().join("bob.toml");
    std::fs::write(&bob_cfg, "name = \"Bob Approver\"\nemail = \"bob@example.com\"\n").unwrap();
    let o = bin::privcheck(env.home.path())
        .env("PRIVCHECK_CONFIG", &bob_cfg)
        .args(["sign", "--role", "approver", "--key"])
        .arg(&bob_key)
        .arg(&q3)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", bin::output(&o));
    let signers = env.home.path().join("allowed_signers");
    let ann = env.home.path().join(".ssh/id_ed25519");
    keys::allowed_signers(&signers, &[("ann@example.com", &ann), ("bob@example.com", &bob_key)]);
    let gate = |file: &Path, roles: &[&str]| {
        let required: Vec<String> = roles.iter().map(|r| format!("--require-role={r}")).collect();
        let list = format!("--allowed-signers={}", signers.display());
        let args: Vec<&str> = [list.as_str()].into_iter().chain(required.iter().map(String::as_str)).collect();
        bin::verify(env.home.path(), &[file], &args)
    };
    let o = gate(&q3, &["reviewer", "approver"]);
    assert_eq!(o.status.code(), Some(0), "{}", bin::output(&o));

    // Q4 from Q3: every answer carried, to confirm.
    let o = bin::privcheck(env.home.path()).args(["new", "--from"]).arg(&q3).output().unwrap();
    assert!(o.status.success(), "{}", bin::output(&o));
    let q4 = env.dir.join("privcheck-2026-Q4.toml");
    let carried = read(&q4).progress().to_confirm;
    assert!(carried > 100, "{carried} carried");
    assert_eq!(read(&q4).policy, read(&q3).policy, "the version in force is carried");

    // The confirmation step: C and y per area, then sign. Counted.
    let mut t = env.start(&["--period", "2026-Q4"]);
    t.wait_for(&format!("{carried} to confirm"));
    let mut keys = 0;
    for _ in 0..set.checklists.len() {
        // The prompt's own words (the last message may also say "carried answers").
        t.send("C");
        keys += 1;
        t.wait_for("y confirms, any other key keeps them");
        t.send("y");
        keys += 1;
        t.wait_gone("y confirms, any other key keeps them");
    }
    t.wait_for(&format!("{0}/{0} answered", set.item_count()));
    assert!(!t.screen().contains("to confirm"), "{}", t.screen());
    // Before C, each carried answer took c and a key to move on.
    assert!(keys * 3 <= 2 * carried, "{keys} keys to confirm {carried} answers");
    sign_and_quit(&mut t);
    let o = gate(&q4, &["reviewer"]);
    assert_eq!(o.status.code(), Some(0), "{}", bin::output(&o));
    // Still waiting for the privacy office.
    let o = gate(&q4, &["reviewer", "approver"]);
    assert_eq!(o.status.code(), Some(1), "{}", bin::output(&o));
}
