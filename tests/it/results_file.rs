//! The results file on disk: byte-exact round trips through the real binary, deterministic
//! output with small diffs, and saves that a kill at any moment cannot tear.

use crate::support::*;

use privcheck::model::results::{Answer, ChecklistRef, Results, Status};
use privcheck::store::results_file::{from_toml, to_toml};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Results whose text is awkward to write: quotes of every kind, backslashes, a tab, a
/// carriage return, an escape character, non-ASCII, a trailing newline.
fn awkward(set: &privcheck::model::checklist::ChecklistSet) -> Results {
    let mut r = complete_results(set);
    r.product = "Checkout \"web\" — Zahlungsseite 決済 'beta' \\ v2".to_string();
    let i = first(&r, Status::Pass);
    r.answers[i].note =
        "line one\nline \"two\" with '''quotes''' and \"\"\" too\n\ttabbed\r\nback\\slash \u{1b}[31mred\u{1b}[0m\n"
            .into();
    r.answers[i].evidence.push("C:\\evidence\\shot \"1\".png".into());
    let f = first(&r, Status::Fail);
    r.answers[f].remediation.as_mut().unwrap().ticket = "PRIV-\"7\"".into();
    r
}

#[test]
fn a_file_written_by_the_binary_round_trips_byte_for_byte() {
    let home = tempfile::tempdir().unwrap();
    signer(home.path());
    let file = home.path().join("r.toml");
    let set = set();
    save(&file, &awkward(&set));
    let before = read(&file);

    let o = sign(home.path(), &file, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output(&o));
    let signed = read(&file);
    // The binary read our file and wrote it back: everything before the sign-off it added
    // is unchanged, byte for byte.
    assert!(signed.starts_with(&before), "privcheck sign rewrote the answers:\n{signed}");
    assert!(signed[before.len()..].starts_with("\n[[signoffs]]\n"), "{}", &signed[before.len()..]);

    // Read back with the library and written again: the same bytes.
    let back = load(&file);
    assert_eq!(back.signoffs.len(), 1);
    assert_eq!(to_toml(&back), signed);
    let again = home.path().join("again.toml");
    save(&again, &back);
    assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(&file).unwrap());
    // And what was read is what was written.
    let mut without_signoff = back.clone();
    without_signoff.signoffs.clear();
    assert_eq!(without_signoff, awkward(&set));
}

#[test]
fn same_answers_same_bytes_and_one_change_is_a_small_diff() {
    let set = set();
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one.toml"), dir.path().join("two.toml"));
    // Built twice, independently; saved twice.
    save(&one, &complete_results(&set));
    save(&two, &complete_results(&set));
    let text = read(&one);
    assert_eq!(std::fs::read(&one).unwrap(), std::fs::read(&two).unwrap());
    save(&two, &load(&two));
    assert_eq!(read(&two), text, "reading and saving again changed the bytes");

    type Edit = Box<dyn Fn(&mut Answer)>;
    let base = complete_results(&set);
    let pass = first(&base, Status::Pass);
    let fail = first(&base, Status::Fail);
    let edits: Vec<(&str, usize, Edit, usize)> = vec![
        (
            "pass -> not applicable",
            pass,
            Box::new(|a| {
                a.status = Status::NotApplicable;
                a.reason = "No such page.".into();
            }),
            4,
        ),
        ("one word of a note", pass, Box::new(|a| a.note = a.note.replace("staging", "production")), 2),
        ("evidence added", pass, Box::new(|a| a.evidence.push("docs/age-gate.md".into())), 2),
        ("a line of a multi-line note", fail, Box::new(|a| a.note = a.note.replace("Mobile", "iOS")), 2),
        ("remediation due date", fail, Box::new(|a| a.remediation.as_mut().unwrap().due = None), 2),
        (
            "fail -> pass",
            fail,
            Box::new(|a| {
                a.status = Status::Pass;
                a.remediation = None;
                a.note.clear();
            }),
            12,
        ),
    ];
    for (what, index, edit, most) in edits {
        let mut changed = base.clone();
        edit(&mut changed.answers[index]);
        save(&two, &changed);
        let new = read(&two);
        let (removed, added) = line_diff(&text, &new);
        assert!(!removed.is_empty() || !added.is_empty(), "{what}: nothing changed");
        assert!(removed.len() + added.len() <= most, "{what}: -{removed:?} +{added:?}\n{new}");
        let item = &base.answers[index].item;
        let (old_block, new_block) = (answer_block(&text, item), answer_block(&new, item));
        assert!(removed.iter().all(|l| old_block.contains(l)), "{what}: lines outside {item} removed: {removed:?}");
        assert!(added.iter().all(|l| new_block.contains(l)), "{what}: lines outside {item} added: {added:?}");
    }
}

// ---------------------------------------------------------------------------
// Atomic, durable saves: kill the writer for real, many times.
// ---------------------------------------------------------------------------

/// Set (to the results file's path) in the child process that only writes.
const WRITER_ENV: &str = "PRIVCHECK_TEST_ATOMIC_WRITER";
/// Set to `a` or `b`: the version the writer saves first.
const WRITER_FIRST_ENV: &str = "PRIVCHECK_TEST_ATOMIC_WRITER_FIRST";
/// What the writer prints after its first save (libtest may print on the same line first).
const READY: &str = "atomic-writer-ready";
const KILLS: usize = 60;

/// Two large versions of a review (~150 KB each), different in content and length. Built
/// without loading a checklist set, so the writer process starts saving at once.
fn two_versions() -> (Results, Results) {
    let version = |tag: &str, lines: usize| Results {
        schema: privcheck::model::results::SCHEMA,
        policy: None,
        product: PRODUCT.to_string(),
        period: PERIOD.parse().unwrap(),
        checklists: vec![ChecklistRef { id: "area".into(), version: 1 }],
        scope: [("eea".to_string(), true), ("minors".to_string(), false)].into(),
        answers: (0..90)
            .map(|i| Answer {
                item: format!("area.item-{i}"),
                digest: format!("sha256:{i:016x}"),
                status: if i % 3 == 0 { Status::Pass } else { Status::NotApplicable },
                note: (0..lines)
                    .map(|l| {
                        format!("version {tag}, answer {i}, line {l}: the quick brown fox jumps over the lazy dog")
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                evidence: vec![format!("https://evidence.example.com/{tag}/{i}")],
                remediation: None,
                reason: if i % 3 == 0 { String::new() } else { format!("Not offered ({tag}).") },
                by: NAME.to_string(),
                at: Some(time(i)),
                auto: false,
                carried: None,
            })
            .collect(),
        signoffs: Vec::new(),
    };
    (version("A", 16), version("B", 22))
}

/// Not a test by itself: in the child process started by
/// `killing_the_writer_never_tears_the_file` (which sets the environment variable), saves
/// the two versions in turn, forever, until it is killed. Ignored, so that a normal run
/// does not count it as a test that passed; run explicitly without the variable (as by
/// `--include-ignored`), it does nothing.
#[test]
#[ignore = "not a test: the writer process that killing_the_writer_never_tears_the_file starts and kills"]
fn atomic_writer_child() {
    let Some(path) = std::env::var_os(WRITER_ENV) else { return };
    let path = PathBuf::from(path);
    let (a, b) = two_versions();
    let versions = if std::env::var(WRITER_FIRST_ENV).as_deref() == Ok("b") { [b, a] } else { [a, b] };
    // One save done before saying so: the writer demonstrably replaces the file.
    privcheck::store::results_file::save(&path, &versions[0]).unwrap();
    let mut out = std::io::stdout();
    out.write_all(format!("{READY}\n").as_bytes()).unwrap();
    out.flush().unwrap();
    // Until killed; the time limit only keeps an orphan from running on if the parent dies.
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(60) {
        for v in versions.iter().rev() {
            privcheck::store::results_file::save(&path, v).unwrap();
        }
    }
}

/// splitmix64: a small seeded generator, so a failing run can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn other_files(dir: &Path, name: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != name)
        .collect();
    v.sort();
    v
}

#[test]
fn killing_the_writer_never_tears_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.toml");
    let (a, b) = two_versions();
    let (text_a, text_b) = (to_toml(&a), to_toml(&b));
    save(&path, &a);
    let seed: u64 = std::env::var("PRIVCHECK_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20_261_125);
    let mut rng = Rng(seed);
    let exe = std::env::current_exe().unwrap();
    let (mut on_a, mut on_b, mut leftovers) = (0, 0, 0);
    for kill in 0..KILLS {
        let on_disk_is_a = std::fs::read(&path).unwrap() == text_a.as_bytes();
        let mut child = Command::new(&exe)
            .args(["results_file::atomic_writer_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
            .env(WRITER_ENV, &path)
            .env(WRITER_FIRST_ENV, if on_disk_is_a { "b" } else { "a" })
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        assert!(
            lines.any(|l| l.is_ok_and(|l| l.contains(READY))),
            "the writer child did not start: {:?}",
            child.wait()
        );
        let delay = std::time::Duration::from_micros(rng.next() % 20_001);
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL: no destructor, no cleanup runs in the child.
        child.wait().unwrap();
        let context = format!("kill {kill} (seed {seed}, {delay:?} after the first save)");

        let bytes = std::fs::read(&path).unwrap();
        let now_a = bytes == text_a.as_bytes();
        assert!(now_a || bytes == text_b.as_bytes(), "{context}: torn file ({} bytes)", bytes.len());
        let text = String::from_utf8(bytes).unwrap();
        let parsed = from_toml(&text, "r.toml").unwrap_or_else(|e| panic!("{context}: {e}"));
        assert!(parsed == a || parsed == b, "{context}: parses to neither version");
        if now_a {
            on_a += 1;
        } else {
            on_b += 1;
        }

        // The only other file allowed is the temporary file of the save the kill interrupted:
        // `.r.toml.XXXXXX.tmp`, holding a prefix of one of the versions. SIGKILL runs no
        // cleanup, and nothing in privcheck removes such a file later. For correctness that
        // is acceptable: the results file itself is never torn and the temporary file cannot
        // be mistaken for it. But it is a known gap: after crashes these files accumulate
        // beside the results file, where `git add -A` would commit them. Removed here so that
        // each kill is checked on its own.
        let others = other_files(dir.path(), "r.toml");
        assert!(others.len() <= 1, "{context}: more than one stray file: {others:?}");
        for name in others {
            assert!(name.starts_with(".r.toml.") && name.ends_with(".tmp"), "{context}: stray file {name:?}");
            let partial = std::fs::read(dir.path().join(&name)).unwrap();
            assert!(
                text_a.as_bytes().starts_with(&partial) || text_b.as_bytes().starts_with(&partial),
                "{context}: {name} is not a partial copy of either version"
            );
            std::fs::remove_file(dir.path().join(&name)).unwrap();
            leftovers += 1;
        }
    }
    // How many kills land inside a save's write depends on the machine: reported, not asserted.
    eprintln!("{KILLS} kills (seed {seed}): {on_a} left version A, {on_b} version B, {leftovers} a temporary file");
}
