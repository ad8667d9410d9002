//! The parsers never panic, on anything: property tests for the results file (round trip,
//! and arbitrary mutations of valid files) and the checklist files (mutations). Every
//! rejected input gets an error with a position.
//!
//! Inputs the fuzzers (fuzz/, run by hand) found are kept in tests/fixtures/fuzz/ and
//! replayed here too.

use privcheck::model::checklist::ChecklistSet;
use privcheck::model::results::{Carried, Remediation, Results, SignOff, Status};
use privcheck::store::checklist_file::{self, BUILTIN, SourceFile};
use privcheck::store::results_file;
use proptest::prelude::*;
use std::sync::OnceLock;

fn set() -> &'static ChecklistSet {
    static SET: OnceLock<ChecklistSet> = OnceLock::new();
    SET.get_or_init(checklist_file::builtin)
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![Just(Status::Pass), Just(Status::Fail), Just(Status::NotApplicable), Just(Status::Unreviewed)]
}

/// Any text a reviewer could paste: control characters, quotes, backslashes, newlines,
/// wide and bidi characters included.
fn any_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range(' ', '~'),
            1 => prop_oneof![Just('\n'), Just('"'), Just('\''), Just('\\'), Just('\t'), Just('\u{1b}'), Just('\u{202e}'), Just('漢'), Just('\u{7f}'), Just('\r')],
            1 => any::<char>(),
        ],
        0..40,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn date() -> impl Strategy<Value = Option<jiff::civil::Date>> {
    proptest::option::of((2000i16..2100, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| jiff::civil::date(y, m, d)))
}

prop_compose! {
    fn results()(
        product in any_text(),
        q in 1u8..=4,
        year in 2000i16..2100,
        scope in proptest::collection::vec(proptest::option::of(any::<bool>()), 5),
        answers in proptest::collection::vec(
            (status(), any_text(), proptest::collection::vec(any_text(), 0..3), proptest::option::of((any_text(), date(), any_text())), any_text(), any::<bool>(), proptest::option::of((status(), any::<bool>()))),
            8,
        ),
        signed in proptest::option::of((any_text(), any_text(), any_text(), any_text())),
    ) -> Results {
        let period = format!("{year}-Q{q}").parse().unwrap();
        let mut r = Results::new(&product, period, set());
        r.scope = set().scope.iter().zip(scope).filter_map(|(q, a)| a.map(|a| (q.id.clone(), a))).collect();
        for (i, (status, note, evidence, rem, reason, auto, carried)) in answers.into_iter().enumerate() {
            let a = &mut r.answers[i * 7];
            a.status = status;
            a.note = note;
            a.evidence = evidence;
            a.remediation = rem.map(|(owner, due, ticket)| Remediation { owner, due, ticket });
            a.reason = reason;
            a.auto = auto;
            a.by = "ann".into();
            a.at = Some(jiff::Timestamp::from_second(1_790_000_000 + i as i64).unwrap());
            a.carried = carried.map(|(status, changed)| Carried { from: "2026-Q3".parse().unwrap(), status, changed });
        }
        if let Some((name, email, role, sig)) = signed {
            let digest = r.content_digest();
            r.signoffs.push(SignOff { name, email, role, at: jiff::Timestamp::from_second(1_790_000_500).unwrap(), digest, key: None, signature: Some(sig) });
        }
        r
    }
}

/// A mutation of a text: delete a range, insert text, duplicate or drop a line, or flip
/// a character.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, String),
    DuplicateLine(usize),
    DropLine(usize),
    Replace(usize, char),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (
            any::<usize>(),
            prop_oneof![
                any_text(),
                Just("[[answers]]".to_string()),
                Just("\"\"\"".to_string()),
                Just("= ".to_string()),
                Just("schema = 9\n".to_string()),
                Just("[answers.remediation]\n".to_string())
            ]
        )
            .prop_map(|(a, s)| Mutation::Insert(a, s)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::DropLine),
        (any::<usize>(), any::<char>()).prop_map(|(a, c)| Mutation::Replace(a, c)),
    ]
}

fn boundary(s: &str, at: usize) -> usize {
    let mut at = at % (s.len() + 1);
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(text: &str, m: &Mutation) -> String {
    let mut s = text.to_string();
    match m {
        Mutation::Delete(a, n) => {
            let a = boundary(&s, *a);
            let b = boundary(&s, a + n);
            s.replace_range(a..b.max(a), "");
        }
        Mutation::Insert(a, t) => {
            let a = boundary(&s, *a);
            s.insert_str(a, t);
        }
        Mutation::DuplicateLine(k) | Mutation::DropLine(k) => {
            let mut lines: Vec<&str> = s.lines().collect();
            if !lines.is_empty() {
                let k = k % lines.len();
                if matches!(m, Mutation::DuplicateLine(_)) {
                    lines.insert(k, lines[k]);
                } else {
                    lines.remove(k);
                }
            }
            s = lines.join("\n");
        }
        Mutation::Replace(a, c) => {
            let a = boundary(&s, *a);
            if let Some(old) = s[a..].chars().next() {
                s.replace_range(a..a + old.len_utf8(), &c.to_string());
            }
        }
    }
    s
}

fn parse_results(text: &str) {
    match results_file::from_toml_for_set(text, "r.toml", set()) {
        Ok(r) => {
            // Whatever parses writes back and parses again to the same thing.
            let again = results_file::to_toml(&r);
            assert_eq!(results_file::from_toml(&again, "r.toml").unwrap(), r);
        }
        Err(e) => assert!(!e.message.is_empty() && e.file == "r.toml"),
    }
}

proptest! {
    // 64 cases a property in the default run (about 0.4 s each in a debug build); the
    // PROPTEST_CASES environment variable overrides it for a deep run
    // (`PROPTEST_CASES=10000 cargo test --test it parsers::`).
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn results_round_trip_byte_for_byte(r in results()) {
        let text = results_file::to_toml(&r);
        let back = results_file::from_toml_for_set(&text, "r.toml", set()).unwrap();
        prop_assert_eq!(&back, &r);
        prop_assert_eq!(results_file::to_toml(&back), text);
    }

    #[test]
    fn mutated_results_files_never_panic(r in results(), ms in proptest::collection::vec(mutation(), 1..4)) {
        let mut text = results_file::to_toml(&r);
        for m in &ms {
            text = mutate(&text, m);
        }
        parse_results(&text);
    }

    #[test]
    fn mutated_checklists_never_panic(file in 0..BUILTIN.len(), ms in proptest::collection::vec(mutation(), 1..4)) {
        let (name, text) = BUILTIN[file];
        let mut text = text.to_string();
        for m in &ms {
            text = mutate(&text, m);
        }
        let src = SourceFile { origin: privcheck::model::checklist::Origin::Path(name.into()), text };
        let lint = checklist_file::lint(&[src], None);
        for d in &lint.diagnostics {
            prop_assert!(!d.message.is_empty());
        }
    }

    #[test]
    fn arbitrary_text_never_panics_either_parser(text in any_text()) {
        parse_results(&text);
        let src = SourceFile { origin: privcheck::model::checklist::Origin::Path("c.toml".into()), text };
        let _ = checklist_file::lint(&[src], None);
    }
}

#[test]
fn inputs_the_fuzzers_found_are_handled() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut total = 0;
    for kind in ["results_file", "checklist_file"] {
        let entries = std::fs::read_dir(dir.join(kind)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(kind).display()));
        let mut n = 0;
        for e in entries {
            let e = e.unwrap();
            let bytes = std::fs::read(e.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            if kind == "results_file" {
                parse_results(&text);
            } else {
                let src = SourceFile {
                    origin: privcheck::model::checklist::Origin::Path("c.toml".into()),
                    text: text.into(),
                };
                let _ = checklist_file::lint(&[src], None);
            }
            n += 1;
        }
        // An empty or misplaced folder would replay nothing and pass.
        assert!(n > 0, "no fuzzer-found inputs in {}", dir.join(kind).display());
        total += n;
    }
    eprintln!("{total} fuzzer-found inputs replayed");
}
