//! `privcheck browse`: the roll-up in the terminal. Built from real files as the command
//! builds it; its keys and frames driven without a terminal (`TestBackend` snapshots at
//! 80x24); and the real binary on a pseudo-terminal, opening a team's review read-only and
//! coming back.

use crate::support::fixed::{key, today};
use crate::support::pty::Term;
use crate::support::teams::{PAST, teams, write};
use crate::tui_render::text;
use clap::Parser;
use privcheck::app::{Clock, Context};
use privcheck::cli::{BrowseArgs, Cli, Command};
use privcheck::model::signoff::SignOffStatus;
use privcheck::render::report::rollup::{self, Failed, RollupRow, Summary};
use privcheck::render::report::{Periods, RemediationView, VerifyResult};
use privcheck::tui::browse::{Browse, Effect, Sort, Team, View, handle_key, render};
use privcheck::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use std::path::Path;

const UNICODE: Theme = Theme { ascii: false, color: true };
const NO_COLOR: Theme = Theme { ascii: false, color: false };
const ASCII: Theme = Theme { ascii: true, color: false };

fn args(argv: &[&str]) -> BrowseArgs {
    let mut full = vec!["privcheck", "browse"];
    full.extend_from_slice(argv);
    match Cli::try_parse_from(full).unwrap().command {
        Some(Command::Browse(a)) => a,
        other => panic!("not browse: {other:?}"),
    }
}

/// The browser `privcheck browse FLAGS HOME/teams` would show.
fn from_files(home: &Path, flags: &[&str]) -> (Browse, Vec<privcheck::cmd::browse::RowFile>) {
    let dir = home.join("teams").display().to_string();
    let mut argv = flags.to_vec();
    argv.push(&dir);
    let a = args(&argv);
    let cx = Context { config: Default::default(), checklists: None };
    let clock = Clock { now: "2026-11-25T10:00:00Z".parse().unwrap(), today: today() };
    let progress = privcheck::cmd::report::Progress::default();
    let mut fleet = privcheck::cmd::report::read_fleet(&cx, clock, &a.files, &progress).unwrap();
    assert_eq!(
        progress.done.load(std::sync::atomic::Ordering::Relaxed),
        progress.total.load(std::sync::atomic::Ordering::Relaxed)
    );
    privcheck::cmd::browse::browser(&mut fleet, &a, clock).unwrap()
}

fn press(b: &mut Browse, code: KeyCode) -> Option<Effect> {
    handle_key(b, key(code))
}

fn type_text(b: &mut Browse, text: &str) {
    for c in text.chars() {
        press(b, KeyCode::Char(c));
    }
}

#[allow(clippy::too_many_arguments)]
fn row(
    product: &str,
    period: &str,
    answered: usize,
    fail: usize,
    overdue: usize,
    to_confirm: usize,
    verify: (VerifyResult, usize),
    signoff: SignOffStatus,
    roles: &[&str],
) -> RollupRow {
    RollupRow {
        product: product.into(),
        period: period.into(),
        file: format!("teams/{}/privcheck-{period}.toml", product.to_lowercase()),
        answered,
        total: 92,
        percent: answered * 100 / 92,
        fail,
        overdue,
        to_confirm,
        verify: verify.0,
        findings: verify.1,
        signoff,
        verified: !roles.is_empty(),
        roles: roles.iter().map(|r| r.to_string()).collect(),
        by_id: false,
    }
}

fn failed(item: &str, question: &str, owner: &str, due: &str, ticket: &str, overdue: bool) -> Failed {
    Failed {
        item: item.into(),
        question: question.into(),
        remediation: Some(RemediationView {
            owner: owner.into(),
            due: Some(due.into()),
            ticket: ticket.into(),
            overdue,
        }),
    }
}

const COPPA: &str = "minors.coppa-under-13";
const COPPA_Q: &str = "Is verifiable parental consent obtained before collecting data from children under 13?";
const TLS: &str = "security.tls-everywhere";
const TLS_Q: &str = "Is personal data encrypted in transit?";

/// Four teams, as the roll-up gives them (latest periods, in product order).
fn fleet() -> Browse {
    let summaries = vec![
        Summary {
            row: row(
                "Accounts",
                "2026-Q4",
                92,
                1,
                0,
                0,
                (VerifyResult::Ok, 0),
                SignOffStatus::Valid,
                &["reviewer", "approver"],
            ),
            day: jiff::civil::date(2026, 11, 25),
            failed: vec![failed(TLS, TLS_Q, "Dee Ops", "2027-02-01", "SEC-12", false)],
        },
        Summary {
            row: row("Checkout", "2026-Q4", 80, 5, 2, 3, (VerifyResult::Findings, 6), SignOffStatus::Void, &[]),
            day: jiff::civil::date(2026, 11, 25),
            failed: vec![
                failed(COPPA, COPPA_Q, "Bob Owner", "2026-10-01", "PRIV-101", true),
                failed(TLS, TLS_Q, "Bob Owner", "2026-09-01", "PRIV-102", true),
            ],
        },
        Summary {
            row: row("Maps", "2026-Q3", 92, 0, 0, 0, (VerifyResult::Ok, 0), SignOffStatus::None, &[]),
            day: jiff::civil::date(2026, 11, 25),
            failed: vec![],
        },
        Summary {
            row: row("Search", "2026-Q4", 50, 2, 1, 0, (VerifyResult::Findings, 2), SignOffStatus::Unverified, &[]),
            day: jiff::civil::date(2026, 11, 25),
            failed: vec![failed(COPPA, COPPA_Q, "Cy Lead", "2027-01-15", "PRIV-9", false)],
        },
    ];
    let (roll, order) = rollup::rollup(&summaries, &Periods::Latest, vec![], vec![], today());
    let teams = order.iter().map(|&i| Team { row: summaries[i].row.clone(), failed: summaries[i].failed.clone() });
    let mut b = Browse::new(teams.collect(), roll.failures, "teams".into(), roll.periods);
    b.not_shown = 3;
    b
}

fn draw(b: &Browse, theme: &Theme, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| render(b, theme, f)).unwrap();
    terminal.backend().buffer().clone()
}

fn screen(b: &Browse, theme: &Theme) -> String {
    text(&draw(b, theme, 80, 24))
}

/// The products on screen, in order.
fn products(b: &Browse) -> Vec<&str> {
    b.products().into_iter().map(|i| b.teams[i].row.product.as_str()).collect()
}

#[test]
fn the_files_of_many_teams_give_one_row_per_product_past_a_broken_and_a_stray_file() {
    let home = tempfile::tempdir().unwrap();
    teams(home.path());
    std::fs::write(home.path().join("teams/search/broken.toml"), "schema = 2\nperiod = \n").unwrap();
    std::fs::write(home.path().join("teams/notes.toml"), "title = \"not results\"\n").unwrap();
    let (b, files) = from_files(home.path(), &[]);
    // The latest period of each product: Checkout's 2026-Q3 is not shown.
    let rows: Vec<(&str, &str)> = b.teams.iter().map(|t| (t.row.product.as_str(), t.row.period.as_str())).collect();
    assert_eq!(rows, [("Accounts", "2026-Q4"), ("Checkout", "2026-Q4"), ("Search", "2026-Q4")]);
    assert_eq!((b.not_shown, b.unreadable, b.skipped), (1, 1, 1));
    assert!(files[1].0.ends_with("zz-checkout/privcheck-2026-Q4.toml"), "{files:?}");
    // Completion counts confirmed answers only; the carried answer is to confirm.
    let checkout = &b.teams[1].row;
    assert_eq!((checkout.to_confirm, checkout.answered, checkout.total), (1, checkout.total - 2, checkout.total));
    assert!(checkout.overdue > 0 && !b.failures.is_empty());
    let s = screen(&b, &NO_COLOR);
    assert!(s.contains("1 unreadable"), "{s}");
    assert!(s.contains("1 file could not be read"), "{s}");

    let (all, _) = from_files(home.path(), &["--all-periods"]);
    assert_eq!(all.teams.len(), 4);
    let (q3, _) = from_files(home.path(), &["--period", "2026-q3"]);
    assert_eq!(q3.teams.iter().map(|t| t.row.product.as_str()).collect::<Vec<_>>(), ["Checkout"]);
}

#[test]
fn the_first_frame_comes_before_the_files_are_read_and_keys_pressed_meanwhile_hold() {
    let mut b = Browse::new(Vec::new(), Vec::new(), "teams".into(), "latest".into());
    b.loading = Some((3200, 10000));
    let s = screen(&b, &NO_COLOR);
    assert!(s.contains("Reading the results files: 3200 of 10000..."), "{s}");
    press(&mut b, KeyCode::Char('f'));
    b.fill(fleet());
    assert_eq!(b.loading, None);
    assert_eq!(products(&b), ["Checkout", "Search", "Accounts", "Maps"], "sorted by fails, as asked while reading");
    assert!(!screen(&b, &NO_COLOR).contains("Reading"));
}

#[test]
fn f_o_c_and_p_sort_the_products() {
    let mut b = fleet();
    assert_eq!(products(&b), ["Accounts", "Checkout", "Maps", "Search"]);
    press(&mut b, KeyCode::Char('f'));
    assert_eq!((b.sort, products(&b)), (Sort::Fails, vec!["Checkout", "Search", "Accounts", "Maps"]));
    press(&mut b, KeyCode::Char('o'));
    assert_eq!(products(&b), ["Checkout", "Search", "Accounts", "Maps"]);
    press(&mut b, KeyCode::Char('c'));
    assert_eq!(products(&b), ["Search", "Checkout", "Accounts", "Maps"], "least complete first");
    press(&mut b, KeyCode::Char('p'));
    assert_eq!(products(&b), ["Accounts", "Checkout", "Maps", "Search"]);
}

#[test]
fn slash_filters_enter_keeps_esc_clears() {
    let mut b = fleet();
    press(&mut b, KeyCode::Char('/'));
    type_text(&mut b, "CH");
    assert_eq!(products(&b), ["Checkout", "Search"], "case ignored, live as typed");
    press(&mut b, KeyCode::Enter);
    assert_eq!(products(&b), ["Checkout", "Search"]);
    // Keys act on the list again: j moves, Enter opens the selected team.
    press(&mut b, KeyCode::Char('j'));
    assert_eq!(press(&mut b, KeyCode::Enter), Some(Effect::Open(3)), "Search, the fourth team");
    press(&mut b, KeyCode::Esc);
    assert_eq!(b.filter(), "");
    assert_eq!(products(&b).len(), 4);
    // Esc while typing puts the filter back as it was.
    press(&mut b, KeyCode::Char('/'));
    type_text(&mut b, "zzz");
    assert!(products(&b).is_empty());
    press(&mut b, KeyCode::Esc);
    assert_eq!(products(&b).len(), 4);
    assert!(!b.quit);
}

#[test]
fn one_item_across_teams_lists_who_fails_it_with_which_remediation() {
    let mut b = fleet();
    press(&mut b, KeyCode::Char('i'));
    assert_eq!(b.view, View::Items);
    let items: Vec<(&str, usize, usize)> =
        b.items().into_iter().map(|i| (b.failures[i].item.as_str(), b.failures[i].failing, b.failures[i].of)).collect();
    assert_eq!(items, [(COPPA, 2, 4), (TLS, 2, 4)]);
    press(&mut b, KeyCode::Enter);
    assert_eq!(b.view, View::Item(COPPA.into()));
    let who: Vec<(&str, &str)> = b
        .failing(COPPA)
        .into_iter()
        .map(|(i, f)| (b.teams[i].row.product.as_str(), f.remediation.as_ref().unwrap().ticket.as_str()))
        .collect();
    assert_eq!(who, [("Checkout", "PRIV-101"), ("Search", "PRIV-9")], "overdue first");
    let s = screen(&b, &NO_COLOR);
    assert!(s.contains("Bob Owner") && s.contains("2026-10-01!") && s.contains("PRIV-9"), "{s}");
    // Enter on a team opens its review.
    press(&mut b, KeyCode::Down);
    assert_eq!(press(&mut b, KeyCode::Enter), Some(Effect::Open(3)));
    // Esc and q go back up; q on the products quits.
    press(&mut b, KeyCode::Esc);
    assert_eq!(b.view, View::Items);
    press(&mut b, KeyCode::Char('q'));
    assert_eq!(b.view, View::Products);
    press(&mut b, KeyCode::Esc);
    assert!(!b.quit, "Esc on the products does not quit");
    assert_eq!(press(&mut b, KeyCode::Char('q')), Some(Effect::Quit));
    assert!(b.quit);
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    let mut b = fleet();
    press(&mut b, KeyCode::Char('i'));
    press(&mut b, KeyCode::Char('/'));
    assert_eq!(handle_key(&mut b, KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Effect::Quit));
}

#[test]
fn snapshots_at_80x24() {
    let mut b = fleet();
    insta::assert_snapshot!("browse_products_80x24", screen(&b, &UNICODE));
    press(&mut b, KeyCode::Char('f'));
    press(&mut b, KeyCode::Char('j'));
    insta::assert_snapshot!("browse_by_fails_80x24", screen(&b, &UNICODE));
    press(&mut b, KeyCode::Char('/'));
    type_text(&mut b, "ch");
    insta::assert_snapshot!("browse_filter_80x24", screen(&b, &UNICODE));
    press(&mut b, KeyCode::Esc);
    press(&mut b, KeyCode::Char('i'));
    insta::assert_snapshot!("browse_items_80x24", screen(&b, &UNICODE));
    press(&mut b, KeyCode::Enter);
    insta::assert_snapshot!("browse_item_80x24", screen(&b, &UNICODE));
    press(&mut b, KeyCode::Char('?'));
    insta::assert_snapshot!("browse_help_80x24", screen(&b, &UNICODE));
}

#[test]
fn plain_ascii_and_no_colour() {
    let mut b = fleet();
    b.teams[0].row.product = "Açcounts — “EU”".into();
    let buf = draw(&b, &ASCII, 80, 24);
    assert!(buf.content.iter().all(|c| c.symbol().is_ascii()), "{}", text(&buf));
    assert!(buf.content.iter().all(|c| c.fg == Color::Reset && c.bg == Color::Reset), "no colour");
    insta::assert_snapshot!("browse_ascii_80x24", text(&buf));
}

#[test]
fn with_colour_overdue_counts_are_red_and_without_they_are_not() {
    let b = fleet();
    let red = |buf: &Buffer| {
        let s = text(buf);
        let y = s.lines().position(|l| l.contains("Checkout")).unwrap() as u16;
        (0..80).any(|x| buf[(x, y)].fg == Color::Red)
    };
    assert!(red(&draw(&b, &UNICODE, 80, 24)));
    assert!(!red(&draw(&b, &NO_COLOR, 80, 24)));
}

#[test]
fn hostile_names_are_escaped_and_a_small_terminal_says_so() {
    let mut b = fleet();
    b.teams[1].row.product = "Evil\x1b[31m\u{7}team".into();
    let s = screen(&b, &NO_COLOR);
    assert!(!s.contains('\x1b') && !s.contains('\u{7}'), "{s:?}");
    let small = text(&draw(&b, &NO_COLOR, 50, 10));
    assert!(small.contains("terminal too small"), "{small}");
}

#[test]
fn a_review_opened_from_browse_is_read_only() {
    let home = tempfile::tempdir().unwrap();
    let files = teams(home.path());
    let path = home.path().join(&files[0].0);
    let before = std::fs::read(&path).unwrap();
    let set = crate::support::results::set();
    let mut app = privcheck::cmd::review::read_only(set, &path, today(), "opened from browse; q goes back").unwrap();
    let progress = app.results().progress();
    for k in ['p', 'f', 'u', 'c', 'C'] {
        privcheck::tui::update::handle_key(&mut app, key(KeyCode::Char(k)), crate::support::fixed::now());
    }
    assert_eq!(app.results().progress(), progress, "answer keys do nothing");
    let msg = app.message.clone().unwrap().1;
    assert!(msg.contains("answer keys do nothing"), "{msg}");
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| privcheck::tui::view::render(&app, &NO_COLOR, f)).unwrap();
    let s = text(terminal.backend().buffer());
    assert!(s.lines().next().unwrap().contains("READ-ONLY"), "{s}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// The real binary on a pseudo-terminal: browse three teams, sort, filter, open one
/// team's review read-only, come back with q and with Esc, view one item across teams, quit.
#[test]
fn browse_lists_the_teams_and_opens_one_read_only_on_a_terminal() {
    let home = tempfile::tempdir().unwrap();
    let files = teams(home.path());
    // Search's first failure is overdue too, so sorting by overdue changes the order.
    let mut search = files[1].1.clone();
    let f = search.answers.iter().position(|a| a.remediation.is_some()).unwrap();
    search.answers[f].remediation.as_mut().unwrap().due = Some(PAST.parse().unwrap());
    write(home.path(), &files[1].0, &search);
    let before: Vec<Vec<u8>> = files.iter().map(|(rel, _)| std::fs::read(home.path().join(rel)).unwrap()).collect();
    let mut t = Term::start(home.path(), home.path(), &["browse", "teams"], &[("NO_COLOR", "1")], 80, 24);
    t.wait_for("privcheck browse");
    t.wait_for("Products (3)");
    t.wait_for("by product");
    t.send("o");
    t.wait_for("by overdue");
    t.send("/");
    t.send("acc");
    t.wait_for("Products (1)");
    t.send("\r");
    t.send("\r");
    t.wait_for("READ-ONLY");
    t.wait_for("opened from browse; q goes back");
    t.send("p");
    t.wait_for("answer keys do nothing");
    t.send("q");
    t.wait_for("Back from the review of Accounts");
    // Esc clears the filter; Enter on Checkout, Esc back.
    t.esc();
    t.wait_for("Products (3)");
    t.send("p");
    t.send("j");
    t.send("\r");
    t.wait_for("READ-ONLY");
    t.esc();
    t.wait_for("Back from the review of Checkout");
    t.send("i");
    t.wait_for("Failures by item");
    t.send("\r");
    t.wait_for("owner");
    t.send("q");
    t.wait_for("Failures by item");
    t.send("q");
    t.wait_for("Products (3)");
    t.send("q");
    assert!(t.wait_exit().success());
    let after: Vec<Vec<u8>> = files.iter().map(|(rel, _)| std::fs::read(home.path().join(rel)).unwrap()).collect();
    assert_eq!(before, after, "browsing writes nothing");
    let leftovers: Vec<_> = walk(home.path()).into_iter().filter(|p| !p.ends_with(".toml")).collect();
    assert!(leftovers.is_empty(), "no lock or other file left: {leftovers:?}");
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            continue;
        }
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}
