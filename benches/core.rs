//! Library benchmarks: `cargo bench` (divan). Inputs are generated (`support/gen.rs`):
//! checklist sets of 100, 1,000 and 10,000 items (100 items a file) and complete results
//! for them, signed off (unsigned sign-off) so that every check has its work to do.
//!
//! - `results_file`: parse and write a results file of N items.
//! - `verify`: `verify::check` of a results file of N items.
//! - `keystroke`: one key through `update::handle_key`, then the frame through
//!   `view::render` and ratatui's diff into escape sequences (privcheck's terminal backend,
//!   `tui::wire`, writing to a sink; 80x24 unless named): on the built-in set (92 items)
//!   and on 10,000 items. (Not the save that an answer key also sets off: see term_bench.)
//!
//! The terminal and whole-process figures (startup, bytes per key, peak memory, dialog)
//! are `cargo run --release --example term_bench`.

#[path = "support/gen.rs"]
mod generated;

use divan::{Bencher, black_box};
use privcheck::model::checklist::ChecklistSet;
use privcheck::model::results::{Results, Status};
use privcheck::store::{checklist_file, results_file};
use privcheck::tui::app::App;
use privcheck::tui::theme::Theme;
use privcheck::tui::wire::WireBackend;
use privcheck::tui::{update, view};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::path::PathBuf;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [100, 1_000, 10_000];

fn complete(n: usize) -> (ChecklistSet, Results) {
    let set = generated::set(n);
    let r = generated::complete_results(&set, "Checkout");
    (set, r)
}

mod results_file_io {
    use super::*;

    #[divan::bench(args = SIZES, sample_count = 30)]
    fn parse(bencher: Bencher, n: usize) {
        let (set, r) = complete(n);
        let text = results_file::to_toml(&r);
        bencher
            .counter(divan::counter::BytesCount::new(text.len()))
            .bench(|| results_file::from_toml_for_set(black_box(&text), "r.toml", &set).unwrap());
    }

    #[divan::bench(args = SIZES, sample_count = 30)]
    fn write(bencher: Bencher, n: usize) {
        let (_, r) = complete(n);
        bencher.bench(|| results_file::to_toml(black_box(&r)));
    }
}

mod verify {
    use super::*;
    use privcheck::model::verify::{Policy, check};

    #[divan::bench(args = SIZES, sample_count = 30)]
    fn check_complete(bencher: Bencher, n: usize) {
        let (set, r) = complete(n);
        let policy = Policy { today: Some(jiff::civil::date(2026, 11, 25)), ..Policy::default() };
        bencher.bench(|| {
            let findings = check(black_box(&r), &set, &[], &policy);
            assert!(findings.is_empty(), "{findings:?}");
        });
    }
}

/// The review UI without a terminal: the state, and a ratatui terminal whose backend (the
/// review's own) writes the escape sequences to a sink.
struct Ui {
    app: App,
    term: Terminal<WireBackend<std::io::Sink>>,
    theme: Theme,
    now: jiff::Timestamp,
}

impl Ui {
    fn new(set: ChecklistSet, results: Results, width: u16, height: u16) -> Ui {
        let app = App::new(set, results, PathBuf::from("privcheck-2026-Q4.toml"), jiff::civil::date(2026, 11, 25))
            .with_identity("Ann Example", Default::default());
        let viewport = Viewport::Fixed(Rect::new(0, 0, width, height));
        let mut backend = WireBackend::new(std::io::sink());
        backend.assume_width(width);
        let term = Terminal::with_options(backend, TerminalOptions { viewport }).unwrap();
        let mut ui =
            Ui { app, term, theme: Theme { ascii: false, color: true }, now: "2026-11-25T10:00:00Z".parse().unwrap() };
        ui.draw();
        ui
    }

    fn draw(&mut self) {
        let (app, theme) = (&self.app, &self.theme);
        self.term.draw(|f| view::render(app, theme, f)).unwrap();
    }

    /// One keystroke: the transition, then the frame.
    fn key(&mut self, code: KeyCode) {
        update::handle_key(&mut self.app, KeyEvent::new(code, KeyModifiers::NONE), self.now);
        self.draw();
    }
}

fn builtin_complete() -> (ChecklistSet, Results) {
    let set = checklist_file::builtin();
    let r = generated::complete_results(&set, "Checkout");
    (set, r)
}

/// The sets the keystroke benchmarks run on.
fn review(items: usize, complete_and_signed: bool) -> (ChecklistSet, Results) {
    let (set, r) = if items == 0 { builtin_complete() } else { complete(items) };
    if complete_and_signed {
        return (set, r);
    }
    // A fresh review with the scope answered: every item to do.
    let mut fresh = Results::new("Checkout", generated::period(), &set);
    fresh.scope = r.scope.clone();
    fresh.apply_scope(&set, "privcheck (scope)", jiff::Timestamp::UNIX_EPOCH);
    (set, fresh)
}

/// `0` stands for the built-in set (92 items).
const SETS: [usize; 2] = [0, 10_000];

mod keystroke {
    use super::*;

    /// j and k in turn in a signed, complete review (the header shows the sign-off's
    /// state: the content digest of every answer).
    #[divan::bench(args = SETS)]
    fn nav_j_k_signed(bencher: Bencher, items: usize) {
        let (set, r) = review(items, true);
        let mut ui = Ui::new(set, r, 80, 24);
        let mut n = 0u64;
        bencher.bench_local(|| {
            n += 1;
            ui.key(if n.is_multiple_of(2) { KeyCode::Char('j') } else { KeyCode::Char('k') });
        });
    }

    /// j and k at 200x60.
    #[divan::bench(args = SETS)]
    fn nav_j_k_signed_200x60(bencher: Bencher, items: usize) {
        let (set, r) = review(items, true);
        let mut ui = Ui::new(set, r, 200, 60);
        let mut n = 0u64;
        bencher.bench_local(|| {
            n += 1;
            ui.key(if n.is_multiple_of(2) { KeyCode::Char('j') } else { KeyCode::Char('k') });
        });
    }

    /// Tab: the next area.
    #[divan::bench(args = SETS)]
    fn tab(bencher: Bencher, items: usize) {
        let (set, r) = review(items, true);
        let mut ui = Ui::new(set, r, 80, 24);
        bencher.bench_local(|| ui.key(KeyCode::Tab));
    }

    /// j and k with the "needs attention" filter on, in a review under way: the list is
    /// every item, of every area, that needs attention.
    #[divan::bench(args = SETS)]
    fn nav_j_k_needs_attention(bencher: Bencher, items: usize) {
        let (set, mut r) = review(items, true);
        r.signoffs.clear();
        for a in r.answers.iter_mut().step_by(3) {
            a.status = Status::Unreviewed;
        }
        let mut ui = Ui::new(set, r, 80, 24);
        for _ in 0..3 {
            ui.key(KeyCode::Char('v'));
        }
        let mut n = 0u64;
        bencher.bench_local(|| {
            n += 1;
            ui.key(if n.is_multiple_of(2) { KeyCode::Char('j') } else { KeyCode::Char('k') });
        });
    }

    /// p: pass the item and move to the next unanswered one, in a fresh review. (When
    /// every item is answered, they are all set back to unreviewed, once per set.)
    #[divan::bench(args = SETS)]
    fn answer_p(bencher: Bencher, items: usize) {
        let (set, r) = review(items, false);
        let mut ui = Ui::new(set, r, 80, 24);
        bencher.bench_local(|| {
            if ui.app.results().answers.iter().all(|a| a.status.is_answered()) {
                for a in ui.app.edit().answers.iter_mut().filter(|a| !a.auto) {
                    a.status = Status::Unreviewed;
                }
            }
            ui.key(KeyCode::Char('p'));
        });
    }
}

/// A paste into the note editor (bracketed paste: one insertion), 100 KB and 1 MB.
mod paste {
    use super::*;
    use privcheck::tui::input::Editor;

    #[divan::bench(args = [100_000, 1_000_000], sample_count = 10)]
    fn into_a_note(bencher: Bencher, bytes: usize) {
        let line = "Checked the sign-up form on staging; screenshots in the wiki, ticket PRIV-101.\n";
        let text = line.repeat(bytes / line.len() + 1);
        bencher.bench(|| {
            let mut note = Editor::lines("");
            note.paste(black_box(&text));
            note
        });
    }
}
