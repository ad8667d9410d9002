//! Faults, end to end: the real binary in a pseudo-terminal, killed or starved while a
//! reviewer answers. Every answer the program took before the signal must be on disk, and
//! the file must always parse.
//!
//! The random rounds are seeded: `PRIVCHECK_FAULT_SEED` and `PRIVCHECK_FAULT_ROUNDS`
//! reproduce or extend a run; the seed is printed on failure.

use crate::support::pty;
use privcheck::app::clock::now;
use privcheck::model::results::Results;
use privcheck::store::{checklist_file, results_file};
use privcheck::tui::app::App;
use privcheck::tui::update::handle_key;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A small, seeded generator (xorshift64*): reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One key, as the terminal sends it and as the model receives it.
#[derive(Clone, Copy, Debug)]
enum K {
    Char(char),
    Tab,
    Enter,
    Esc,
}

impl K {
    fn event(self) -> KeyEvent {
        let code = match self {
            K::Char(c) => KeyCode::Char(c),
            K::Tab => KeyCode::Tab,
            K::Enter => KeyCode::Enter,
            K::Esc => KeyCode::Esc,
        };
        KeyEvent::new(code, KeyModifiers::NONE)
    }
}

fn text(s: &str) -> Vec<K> {
    s.chars().map(K::Char).collect()
}

/// A random reviewer action as a sequence of keys.
fn action(rng: &mut Rng, round: usize) -> Vec<K> {
    match rng.below(10) {
        0..=2 => vec![K::Char('p')],
        3 => {
            let mut k = vec![K::Char('f')];
            k.extend(text(&format!("owner{round}")));
            k.push(K::Tab);
            k.extend(text("2027-03-31"));
            k.push(K::Tab);
            k.extend(text(&format!("T-{round}")));
            k.push(K::Enter);
            k
        }
        4 => {
            let mut k = vec![K::Char('n')];
            k.extend(text(&format!("not here {round}")));
            k.push(K::Enter);
            k
        }
        5 => vec![K::Char('u')],
        6 => vec![[K::Char('j'), K::Char('k'), K::Tab][rng.below(3) as usize]],
        7 => {
            let mut k = vec![K::Char('e')];
            k.extend(text(&format!("note {round}")));
            k.push(K::Esc);
            k
        }
        8 => {
            let mut k = vec![K::Char('a')];
            k.extend(text(&format!("https://t/{round}")));
            k.push(K::Enter);
            k
        }
        _ => vec![K::Char(' ')],
    }
}

/// What must survive: every answer's content, not its timestamps.
fn essence(r: &Results) -> Vec<String> {
    let mut v: Vec<String> = r
        .answers
        .iter()
        .map(|a| format!("{}|{}|{}|{:?}|{:?}|{}", a.item, a.status, a.note, a.evidence, a.remediation, a.reason))
        .collect();
    v.push(format!("{:?}", r.scope));
    v
}

struct Env {
    home: tempfile::TempDir,
    file: PathBuf,
}

fn env() -> Env {
    let home = tempfile::tempdir().unwrap();
    let cfg = home.path().join(".config/privcheck");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("config.toml"), "name = \"Ann\"\nemail = \"ann@example.com\"\n").unwrap();
    let file = home.path().join("r.toml");
    let set = checklist_file::builtin();
    let mut r = Results::new("Shop", "2026-Q4".parse().unwrap(), &set);
    for q in &set.scope {
        r.scope.insert(q.id.clone(), true);
    }
    results_file::save(&file, &r).unwrap();
    Env { home, file }
}

fn read(file: &Path) -> Results {
    let text = std::fs::read_to_string(file).unwrap();
    results_file::from_toml_for_set(&text, "r.toml", &checklist_file::builtin())
        .unwrap_or_else(|e| panic!("the file does not parse after the kill: {e}\n{text}"))
}

/// The states the model goes through on `keys`, from the file's current content.
fn states(file: &Path, keys: &[K]) -> Vec<Vec<String>> {
    let set = checklist_file::builtin();
    let mut results = read(file);
    results.align(&set);
    let mut app = App::new(set, results, file.to_path_buf(), jiff::civil::date(2026, 11, 25))
        .with_identity("Ann", Default::default());
    let mut out = vec![essence(app.results())];
    for k in keys {
        handle_key(&mut app, k.event(), now());
        out.push(essence(app.results()));
    }
    out
}

fn send(t: &mut pty::Term, keys: &[K]) {
    for k in keys {
        match k {
            K::Char(c) => t.send(&c.to_string()),
            K::Tab => t.send("\t"),
            K::Enter => t.send("\r"),
            K::Esc => t.esc(),
        }
    }
}

#[test]
fn sigkill_after_random_answer_sequences_loses_nothing_the_program_took() {
    let seed: u64 = std::env::var("PRIVCHECK_FAULT_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5EED_2026);
    let rounds: usize = std::env::var("PRIVCHECK_FAULT_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(50);
    assert!(rounds > 0, "PRIVCHECK_FAULT_ROUNDS=0 checks nothing");
    let mut rng = Rng(seed);
    let e = env();
    let mut kills_mid_sequence = 0;
    for round in 0..rounds {
        let mut keys = Vec::new();
        for _ in 0..=rng.below(6) {
            keys.extend(action(&mut rng, round));
        }
        let expected = states(&e.file, &keys);
        let mut t = pty::Term::start(e.home.path(), e.home.path(), &["review", e.file.to_str().unwrap()], &[], 80, 24);
        t.wait_for("answered");
        send(&mut t, &keys);
        std::thread::sleep(Duration::from_millis(rng.below(25)));
        t.signal("KILL");
        t.wait_exit();
        let got = essence(&read(&e.file));
        let Some(at) = expected.iter().rposition(|s| *s == got) else {
            panic!("seed {seed} round {round}: the file matches no state the keys led through ({keys:?})");
        };
        if at + 1 < expected.len() {
            kills_mid_sequence += 1;
        }
        // The lock of the killed process is stale: the next round takes it over.
    }
    eprintln!("{rounds} SIGKILLs (seed {seed}), {kills_mid_sequence} before the whole sequence was taken");
}

#[test]
fn sighup_and_sigterm_keep_every_answer_and_the_note_being_typed() {
    for sig in ["HUP", "TERM"] {
        let e = env();
        let mut keys = vec![K::Char('p'), K::Char('p'), K::Char('f')];
        keys.extend(text("Bo"));
        keys.push(K::Enter);
        keys.push(K::Char('e'));
        keys.extend(text("typing when the line dropped"));
        let expected = states(&e.file, &keys).pop().unwrap();
        let mut t = pty::Term::start(e.home.path(), e.home.path(), &["review", e.file.to_str().unwrap()], &[], 80, 24);
        t.wait_for("answered");
        send(&mut t, &keys);
        t.wait_for("the line dropped");
        t.signal(sig);
        t.wait_exit();
        let r = read(&e.file);
        let mut got = essence(&r);
        // The draft note is saved too; the model has it only in the editor.
        let noted = r.answers.iter().position(|a| a.note == "typing when the line dropped");
        assert!(noted.is_some(), "SIG{sig}: the note being typed was lost");
        let i = noted.unwrap();
        got[i] = got[i].replace("typing when the line dropped", "");
        assert_eq!(got, expected, "SIG{sig}: answers differ");
        if sig == "TERM" {
            assert!(!t.alternate_screen(), "SIGTERM left the terminal in the alternate screen");
        }
    }
}

#[test]
fn a_file_that_cannot_be_written_keeps_answers_in_memory_and_the_old_file_intact() {
    let e = env();
    let before = std::fs::read(&e.file).unwrap();
    // A file-size limit just above the current file: small answers fit, a long note does
    // not. The same failure path as a full disk (the write fails; the rename never happens).
    let limit = before.len() + 300;
    // portable-pty cannot set limits itself: run through prlimit (util-linux).
    let prlimit = which("prlimit").expect("prlimit (util-linux) is needed for this test");
    let fsize = format!("--fsize={limit}:{limit}");
    let mut t = pty::Term::start_program(
        &prlimit,
        &[&fsize, env!("CARGO_BIN_EXE_privcheck"), "review", e.file.to_str().unwrap()],
        e.home.path(),
        e.home.path(),
        &[],
        80,
        24,
    );
    t.wait_for("answered");
    t.send("p");
    t.wait_for("1/");
    let saved_one = std::fs::read(&e.file).unwrap();
    t.send("e");
    t.wait_for("Esc keeps it");
    t.send(&"a long note that does not fit ".repeat(20));
    t.esc();
    t.wait_for("NOT SAVED");
    // The previous file is intact and still holds the first answer.
    assert_eq!(std::fs::read(&e.file).unwrap(), saved_one);
    assert_eq!(read(&e.file).progress().pass, 1);
    // The answer is kept in memory: shortening the note lets saving resume.
    t.send("e");
    t.wait_for("Esc keeps it");
    t.send("\x15"); // Ctrl-U clears the line in the editor
    for _ in 0..700 {
        t.send("\x08");
    }
    t.send("short");
    t.esc();
    t.wait_gone("NOT SAVED");
    t.send("q");
    assert!(t.wait_exit().success());
    let r = read(&e.file);
    assert!(r.answers.iter().any(|a| a.note.ends_with("short")), "the answer kept in memory was not saved");
    let leftovers: Vec<_> = std::fs::read_dir(e.home.path())
        .unwrap()
        .filter_map(|x| x.ok())
        .map(|x| x.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[test]
fn a_read_only_directory_keeps_answers_in_memory_until_it_is_writable_again() {
    use std::os::unix::fs::PermissionsExt;
    let e = env();
    let dir = e.home.path().join("team");
    std::fs::create_dir(&dir).unwrap();
    let file = dir.join("r.toml");
    std::fs::rename(&e.file, &file).unwrap();
    let mode = |m: u32| std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(m)).unwrap();
    // Root ignores permissions: run privcheck as nobody, who owns the directory.
    let file_arg = file.to_str().unwrap().to_string();
    let mut t = if is_root() {
        let chown =
            |p: &Path| std::process::Command::new("chown").arg("-R").arg("nobody:nogroup").arg(p).status().unwrap();
        assert!(chown(&dir).success() && chown(&e.home.path().join(".config")).success());
        std::fs::set_permissions(e.home.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let setpriv = which("setpriv").expect("setpriv (util-linux) is needed for this test as root");
        pty::Term::start_program(
            &setpriv,
            &[
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                env!("CARGO_BIN_EXE_privcheck"),
                "review",
                &file_arg,
            ],
            e.home.path(),
            e.home.path(),
            &[],
            80,
            24,
        )
    } else {
        pty::Term::start(e.home.path(), e.home.path(), &["review", &file_arg], &[], 80, 24)
    };
    t.wait_for("answered");
    t.send("p");
    t.wait_for("1/");
    let one = std::fs::read(&file).unwrap();
    mode(0o555);
    t.send("p");
    t.wait_for("NOT SAVED");
    t.wait_for("2/");
    assert_eq!(std::fs::read(&file).unwrap(), one, "the previous file changed");
    mode(0o755);
    // Saving resumes by itself (the UI retries) or with the next change.
    t.send("p");
    t.wait_gone("NOT SAVED");
    t.send("q");
    assert!(t.wait_exit().success());
    assert_eq!(read(&file).progress().pass, 3, "answers kept in memory were not saved when the directory came back");
}
