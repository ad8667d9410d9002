//! The review UI's rendering: `view::render` into ratatui's `TestBackend`, checked as text
//! snapshots (tests/it/snapshots/) and cell by cell.

use crate::support::fixed::{key, now, period, signer, today, ui_set};
use jiff::Timestamp;
use jiff::civil::date;
use privcheck::model::results::{Carried, Remediation, Results, Status};
use privcheck::tui::app::{App, Level, Mode};
use privcheck::tui::theme::Theme;
use privcheck::tui::update::handle_key;
use privcheck::tui::view::{self, MIN_HEIGHT, MIN_WIDTH};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use std::collections::BTreeSet;
use std::path::PathBuf;
use unicode_width::UnicodeWidthStr;

const UNICODE: Theme = Theme { ascii: false, color: true };
const ASCII: Theme = Theme { ascii: true, color: false };
const NO_COLOR: Theme = Theme { ascii: false, color: false };

fn press(app: &mut App, code: KeyCode) {
    handle_key(app, key(code), now());
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn make_app(results: impl FnOnce(&mut Results)) -> App {
    let set = ui_set();
    let mut r = Results::new("Checkout", period(), &set);
    results(&mut r);
    App::new(set, r, PathBuf::from("privcheck-2026-Q4.toml"), today()).with_identity("Ann Example", signer())
}

/// A new review: the scope questions first.
fn scope_app() -> App {
    let mut app = make_app(|_| {});
    press(&mut app, KeyCode::Char('y'));
    app.message = None;
    app
}

/// A review under way, all scope yes but minors, with answers of each kind in the first
/// area; the failed item (overdue) is selected.
fn review_app() -> App {
    let mut app = make_app(|r| {
        for (id, yes) in [("advertising", true), ("california", true), ("minors", false), ("eea", true)] {
            r.scope.insert(id.into(), yes);
        }
        r.scope.insert("translations".into(), true);
    });
    let set = app.set.clone();
    app.edit().apply_scope(&set, "privcheck (scope)", now());
    let earlier: Timestamp = "2026-11-20T09:30:00Z".parse().unwrap();
    {
        let a = &mut app.edit().answers;
        a[0].status = Status::Pass;
        a[1].status = Status::Fail;
        a[1].remediation =
            Some(Remediation { owner: "Bob Builder".into(), due: Some(date(2026, 11, 1)), ticket: "PRIV-7".into() });
        a[1].note = "Phone number is asked but not listed.\nRaised with the form team.".into();
        a[1].evidence = vec!["https://wiki.example.com/privacy/signup".into(), "PRIV-7".into()];
        a[2].status = Status::NotApplicable;
        a[2].reason = "Checkout has no dispute flow.".into();
        a[3].status = Status::Pass;
        a[3].carried = Some(Carried { from: "2026-Q3".parse().unwrap(), status: Status::Pass, changed: false });
        for x in a.iter_mut().take(4) {
            x.by = "Ann Example".into();
            x.at = Some(earlier);
        }
    }
    app.mode = Mode::Review;
    app.selected = 1;
    app
}

/// The index of the item `id`.
fn index_of(app: &App, id: &str) -> usize {
    (0..app.item_count()).find(|&i| app.item(i).id == id).unwrap_or_else(|| panic!("no item {id}"))
}

/// The second failed item of [`complete_app`], in a later area than the first.
const LATE_FAIL: &str = "minors.no-sale-to-minors";

/// Every item answered, two failed with a full remediation.
fn complete_app() -> App {
    let mut app = review_app();
    for i in 0..app.item_count() {
        let d = app.item_digest(i).to_string();
        let a = &mut app.edit().answers[i];
        a.digest = d;
        a.carried = None;
        if a.status == Status::Unreviewed {
            a.status = Status::Pass;
        }
        if a.status == Status::NotApplicable && a.reason.is_empty() {
            a.reason = "n/a".into();
        }
    }
    let late = index_of(&app, LATE_FAIL);
    app.edit().answers[late].status = Status::Fail;
    app.edit().answers[late].remediation =
        Some(Remediation { owner: "Cleo Ops".into(), due: Some(date(2027, 1, 31)), ticket: String::new() });
    app
}

fn draw(app: &App, theme: &Theme, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::render(app, theme, f)).unwrap();
    terminal.backend().buffer().clone()
}

/// The buffer's rows as text, trailing spaces trimmed; cells hidden by a wide character
/// are skipped.
pub(crate) fn text(buf: &Buffer) -> String {
    let mut rows = Vec::new();
    for y in 0..buf.area.height {
        let mut row = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            let s = buf[(x, y)].symbol();
            if skip > 0 {
                skip -= 1;
                continue;
            }
            row.push_str(s);
            skip = s.width().saturating_sub(1);
        }
        rows.push(row.trim_end().to_string());
    }
    rows.join("\n")
}

fn screen(app: &App, theme: &Theme, width: u16, height: u16) -> String {
    text(&draw(app, theme, width, height))
}

/// Every mode the screen can be in, by name.
fn every_mode() -> Vec<(&'static str, App)> {
    let mut form = review_app();
    form.selected = 4;
    press(&mut form, KeyCode::Char('f'));
    let mut reason = review_app();
    reason.selected = 4;
    press(&mut reason, KeyCode::Char('n'));
    let mut note = review_app();
    press(&mut note, KeyCode::Char('e'));
    let mut help = review_app();
    press(&mut help, KeyCode::Char('?'));
    let mut confirm = complete_app();
    press(&mut confirm, KeyCode::Char('S'));
    assert!(matches!(confirm.mode, Mode::ConfirmSign { .. }));
    let mut blockers = review_app();
    press(&mut blockers, KeyCode::Char('S'));
    assert!(matches!(blockers.mode, Mode::Blockers(_)));
    let mut search = review_app();
    press(&mut search, KeyCode::Char('/'));
    type_text(&mut search, "health");
    let mut scope_help = scope_app();
    press(&mut scope_help, KeyCode::Char('?'));
    assert!(matches!(scope_help.mode, Mode::Help { scope: Some(1), .. }));
    let mut policy = scope_app();
    for (file, effective) in
        [("example-market-2024-03-01.txt", "2024-03-01"), ("example-market-2021-06.txt", "2021-06")]
    {
        policy.set.documents.push(privcheck::model::checklist::Document {
            file: file.into(),
            title: format!("Example Market Privacy Policy of {effective}"),
            effective: effective.into(),
            applies_to: Some("the marketplace's web site and apps, and nothing else".into()),
            headings: Vec::new(),
            subheadings: Vec::new(),
        });
    }
    policy.mode = Mode::Policy { cursor: 1, scope: Some(0) };
    let mut confirm_edit = review_app();
    confirm_edit.signed_by = Some("Ann Example as reviewer and Bob Approver as approver".into());
    press(&mut confirm_edit, KeyCode::Char('p'));
    assert!(matches!(confirm_edit.mode, Mode::ConfirmEdit { .. }));
    let mut confirm_scope = scope_app();
    confirm_scope.mode = Mode::ConfirmScope { index: 0, count: 3 };
    let mut confirm_area = review_app();
    confirm_area.mode = Mode::ConfirmArea { area: 0, count: 2 };
    let mut changed = review_app();
    changed.mode = Mode::Changed;
    let mut unsaved = review_app();
    unsaved.mode = Mode::Unsaved;
    vec![
        ("scope", scope_app()),
        ("review", review_app()),
        ("policy", policy),
        ("confirm-edit", confirm_edit),
        ("confirm-scope", confirm_scope),
        ("confirm-area", confirm_area),
        ("changed", changed),
        ("unsaved", unsaved),
        ("form", form),
        ("reason", reason),
        ("note", note),
        ("help", help),
        ("confirm", confirm),
        ("blockers", blockers),
        ("search", search),
        ("scope-help", scope_help),
    ]
}

// ---------------------------------------------------------------------------
// Snapshots at 80x24

#[test]
fn scope_screen() {
    insta::assert_snapshot!("scope_80x24", screen(&scope_app(), &UNICODE, 80, 24));
}

#[test]
fn review_with_answers_of_each_kind() {
    let app = review_app();
    let s = screen(&app, &UNICODE, 80, 24);
    assert!(s.contains("OVERDUE"), "{s}");
    insta::assert_snapshot!("review_failed_80x24", s);
}

#[test]
fn review_of_a_carried_answer() {
    let mut app = review_app();
    app.selected = 3;
    let s = screen(&app, &UNICODE, 80, 24);
    assert!(s.contains("carried from 2026-Q3"), "{s}");
    insta::assert_snapshot!("review_carried_80x24", s);
}

#[test]
fn review_of_a_not_applicable_answer() {
    let mut app = review_app();
    app.selected = 2;
    insta::assert_snapshot!("review_not_applicable_80x24", screen(&app, &UNICODE, 80, 24));
}

#[test]
fn remediation_form() {
    let mut app = review_app();
    app.selected = 4;
    press(&mut app, KeyCode::Char('f'));
    type_text(&mut app, "Dana Dev");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2026-13-01");
    press(&mut app, KeyCode::Enter);
    app.message = None;
    let s = screen(&app, &UNICODE, 80, 24);
    assert!(s.contains("not a date"), "{s}");
    insta::assert_snapshot!("remediation_form_80x24", s);
}

#[test]
fn note_editor() {
    let mut app = review_app();
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "Ticket filed.");
    insta::assert_snapshot!("note_editor_80x24", screen(&app, &UNICODE, 80, 24));
}

#[test]
fn help_overlay() {
    let mut app = review_app();
    press(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!("help_80x24", screen(&app, &UNICODE, 80, 24));
}

#[test]
fn sign_off_confirmation() {
    let mut app = complete_app();
    press(&mut app, KeyCode::Char('S'));
    let s = screen(&app, &UNICODE, 80, 24);
    assert!(s.contains("Role   reviewer (r changes it)"), "{s}");
    insta::assert_snapshot!("confirm_sign_80x24", s);
}

#[test]
fn the_sign_off_dialog_always_shows_who_signs_with_the_summary_scrolling_above() {
    let mut app = complete_app();
    // Many fails with long remediations: more summary than any screen holds.
    for i in 0..12 {
        let a = &mut app.edit().answers[i];
        a.status = Status::Fail;
        a.remediation = Some(Remediation {
            owner: format!("Owner number {i} of the remediation team"),
            due: Some(date(2027, 1, 31)),
            ticket: format!("PRIV-{i:04}"),
        });
    }
    press(&mut app, KeyCode::Char('S'));
    for (w, h) in [(60, 15), (80, 24), (120, 40)] {
        let s = screen(&app, &ASCII, w, h);
        for shown in ["Name   Ann Example", "Email  ann@example.com", "Role   reviewer", "Key    ~/.ssh/id_ed25519"] {
            assert!(s.contains(shown), "{w}x{h}: {shown:?} not shown\n{s}");
        }
        assert!(s.contains("complete and true for this period?"), "{w}x{h}\n{s}");
        assert!(s.contains("y signs off as reviewer"), "{w}x{h}\n{s}");
        if h < 40 {
            assert!(s.contains("more lines (Up Down scroll)"), "{w}x{h}: no more marker\n{s}");
        }
    }
    // Scrolling shows the rest of the summary; r changes the role everywhere it shows.
    let first = screen(&app, &ASCII, 80, 24);
    for _ in 0..40 {
        press(&mut app, KeyCode::Down);
    }
    let scrolled = screen(&app, &ASCII, 80, 24);
    assert!(scrolled.contains("more above"), "{scrolled}");
    assert_ne!(first, scrolled);
    press(&mut app, KeyCode::Char('r'));
    let s = screen(&app, &ASCII, 80, 24);
    assert!(s.contains("Sign off as approver"), "{s}");
    assert!(s.contains("Role   approver"), "{s}");
    assert!(s.contains("y signs off as approver"), "{s}");
    assert!(!s.contains("reviewer"), "the old role is left somewhere:\n{s}");
}

#[test]
fn blockers_overlay() {
    let mut app = review_app();
    press(&mut app, KeyCode::Char('S'));
    insta::assert_snapshot!("blockers_80x24", screen(&app, &UNICODE, 80, 24));
}

#[test]
fn search_results() {
    let mut app = review_app();
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "health");
    insta::assert_snapshot!("search_typing_80x24", screen(&app, &UNICODE, 80, 24));
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("search_kept_80x24", screen(&app, &UNICODE, 80, 24));
}

#[test]
fn checklist_prose_is_reflowed_not_broken_where_the_file_wraps() {
    // The guidance is hard-wrapped in its TOML file after "check that".
    let app = review_app();
    let s = screen(&app, &UNICODE, 160, 40);
    assert!(s.contains("that mandatory fields are visibly marked"), "{s}");
    // List items still start their own lines; their continuation lines are joined.
    let mut app = review_app();
    app.selected = index_of(&app, "minors.removal-contact-works");
    let s = screen(&app, &UNICODE, 160, 40);
    for item in ["│- 2024-03-01, 10. CHILDREN: email", "│- 2021-06, F. CHILDREN:", "│- 2019-02: no children section"]
    {
        assert!(s.contains(item), "{item:?} missing:\n{s}");
    }
    insta::assert_snapshot!("guidance_list_160x40", s);
    // The scope help too.
    let s = screen(&scope_app(), &UNICODE, 80, 24);
    assert!(s.contains("│a buyer or seller, whether or not the company is based there."), "{s}");
}

#[test]
fn larger_terminal_is_used() {
    let app = review_app();
    let s = screen(&app, &UNICODE, 120, 40);
    // Every area fits in the area list, and the detail shows the guidance.
    for c in &app.set.checklists {
        assert!(s.contains(&c.title[..c.title.len().min(20)]), "{} missing:\n{s}", c.title);
    }
    insta::assert_snapshot!("review_failed_120x40", s);
}

// ---------------------------------------------------------------------------
// ASCII, colour

fn non_ascii(buf: &Buffer, what: &str) -> Vec<String> {
    let mut found = Vec::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let s = buf[(x, y)].symbol();
            if !s.is_ascii() {
                found.push(format!("{what} at {x},{y}: {s:?}"));
            }
        }
    }
    found
}

#[test]
fn ascii_theme_draws_only_ascii() {
    let app = review_app();
    insta::assert_snapshot!("review_ascii_80x24", screen(&app, &ASCII, 80, 24));
    let mut found = Vec::new();
    let mut modes = every_mode();
    // Text from the checklists holds non-ASCII characters: the scope help of the first
    // question and the legal references hold "§", a quote holds "’".
    let mut scope0 = scope_app();
    scope0.mode = Mode::Scope(0);
    modes.push(("scope-0", scope0));
    for id in ["collection.provided-info-disclosed", "retention.schedule-defined"] {
        let probe = review_app();
        let i = (0..probe.item_count()).find(|&i| probe.item(i).id == id).unwrap_or_else(|| panic!("no {id}"));
        // Every 8th line: the detail shows at least 10 rows at the smallest size drawn
        // (60x15), so every line of it is drawn at some scroll.
        for scroll in (0..80).step_by(8) {
            let mut app = review_app();
            app.selected = i;
            app.detail_scroll = scroll;
            modes.push(("detail", app));
        }
    }
    // The reviewer's own text too.
    let mut typed = review_app();
    typed.edit().answers[1].note = "Revisé avec l’équipe — «ok» 漢字".into();
    typed.edit().product = "Caisse “Süd”".into();
    modes.push(("typed", typed));
    let mut unicode_seen = String::new();
    for (name, app) in &modes {
        for (w, h) in [(80, 24), (120, 40), (60, 15)] {
            found.extend(non_ascii(&draw(app, &ASCII, w, h), &format!("{name} {w}x{h}")));
            unicode_seen.push_str(&screen(app, &UNICODE, w, h));
        }
    }
    for c in ['§', '’', '漢'] {
        assert!(unicode_seen.contains(c), "the screens checked never show {c:?}: the check proves nothing");
    }
    assert!(found.is_empty(), "non-ASCII in the ASCII theme:\n{}", found.join("\n"));
    // The note editor holds the text as typed; the ASCII theme still draws ASCII.
    let mut editing = review_app();
    editing.edit().answers[1].note = "Revisé — ok".into();
    press(&mut editing, KeyCode::Char('e'));
    assert_eq!(non_ascii(&draw(&editing, &ASCII, 80, 24), "note"), Vec::<String>::new());
    let s = screen(&editing, &ASCII, 80, 24);
    assert!(s.contains("Revis? - ok"), "{s}");
}

#[test]
fn ascii_theme_shows_status_as_symbol_and_word() {
    let s = screen(&review_app(), &ASCII, 80, 24);
    for expected in ["+ pass", "X FAIL", "- n/a", ". todo", "~"] {
        assert!(s.contains(expected), "{expected:?} missing:\n{s}");
    }
}

/// The cells of the first row containing `needle` (at the needle's columns).
fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let t = text(buf);
    for (y, row) in t.lines().enumerate() {
        if let Some(byte) = row.find(needle) {
            let x = row[..byte].width() as u16;
            return Some((x, y as u16));
        }
    }
    None
}

#[test]
fn with_colour_a_failed_status_is_red() {
    let mut app = review_app();
    app.selected = 0; // the failed item is not selected: it shows its status colour
    let buf = draw(&app, &UNICODE, 80, 24);
    let (x, y) = find(&buf, "✗ FAIL").expect("a FAIL row");
    for dx in 0..6 {
        assert_eq!(buf[(x + dx, y)].fg, Color::Red, "cell {},{y} {:?}", x + dx, buf[(x + dx, y)].symbol());
    }
    let (x, y) = find(&buf, "✓ pass").expect("a pass row");
    assert_eq!(buf[(x, y)].fg, Color::Green);
}

#[test]
fn without_colour_no_cell_has_a_colour_and_status_is_still_shown() {
    for (name, app) in every_mode() {
        for theme in [NO_COLOR, ASCII] {
            let buf = draw(&app, &theme, 80, 24);
            for y in 0..24 {
                for x in 0..80 {
                    let c = &buf[(x, y)];
                    assert!(
                        c.fg == Color::Reset && c.bg == Color::Reset && c.underline_color == Color::Reset,
                        "{name} ascii={}: cell {x},{y} {:?} has fg {:?} bg {:?}",
                        theme.ascii,
                        c.symbol(),
                        c.fg,
                        c.bg
                    );
                }
            }
        }
    }
    let mut app = review_app();
    app.selected = 0;
    let s = screen(&app, &NO_COLOR, 80, 24);
    for expected in ["✓ pass", "✗ FAIL", "– n/a", "○ todo", "↻"] {
        assert!(s.contains(expected), "{expected:?} missing:\n{s}");
    }
}

// ---------------------------------------------------------------------------
// Hostile text

const HOSTILE: &str = "x\x1b[31mred\u{202E}rtl\u{200B}zw";

fn assert_no_raw_hazards(buf: &Buffer, what: &str) {
    for c in &buf.content {
        let s = c.symbol();
        assert!(
            !s.chars().any(|ch| ch.is_control() || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')),
            "{what}: raw hazard {s:?} in the buffer"
        );
    }
}

#[test]
fn hostile_text_is_shown_as_visible_escapes() {
    let mut app = review_app();
    app.edit().product = format!("Check{HOSTILE}");
    {
        let mut results = app.edit();
        let a = &mut results.answers[1];
        a.note = format!("note {HOSTILE}\nsecond");
        a.evidence.push(format!("ev {HOSTILE}"));
        a.remediation.as_mut().unwrap().owner = format!("own{HOSTILE}");
    }
    app.signer.name = format!("signer {HOSTILE}");
    app.signer.key = format!("key {HOSTILE}");
    let escaped = "x\\u{1b}[31mred\\u{202e}rtl\\u{200b}zw";

    let buf = draw(&app, &UNICODE, 120, 40);
    let s = text(&buf);
    assert!(s.contains(&format!("Check{escaped}")), "product:\n{s}");
    assert!(s.contains(&format!("note {escaped}")), "note:\n{s}");
    assert!(s.contains(&format!("ev {escaped}")), "evidence:\n{s}");
    assert!(s.contains(&format!("own{escaped}")), "owner:\n{s}");
    assert_no_raw_hazards(&buf, "review");
    insta::assert_snapshot!("hostile_review_80x24", screen(&app, &UNICODE, 80, 24));

    // Checklist prose and the scope questions are text from files too.
    let mut app = review_app();
    app.set.checklists[0].title = format!("Area {HOSTILE}");
    app.set.checklists[0].items[1].question = format!("Question {HOSTILE}?");
    app.set.checklists[0].items[1].guidance = format!("Guidance {HOSTILE}");
    app.set.scope[0].question = format!("Scope {HOSTILE}?");
    app.set.scope[0].help = format!("Help {HOSTILE}");
    let buf = draw(&app, &UNICODE, 120, 40);
    let s = text(&buf);
    assert!(s.contains(&format!("Question {escaped}?")), "question:\n{s}");
    assert!(s.contains(&format!("Guidance {escaped}")), "guidance:\n{s}");
    assert!(s.contains(&format!("Area {escaped}")), "area:\n{s}");
    assert_no_raw_hazards(&buf, "review with hostile checklist");
    app.mode = Mode::Scope(0);
    let buf = draw(&app, &UNICODE, 120, 40);
    let s = text(&buf);
    assert!(s.contains(&format!("Scope {escaped}?")), "scope:\n{s}");
    assert!(s.contains(&format!("Help {escaped}")), "scope help:\n{s}");
    assert_no_raw_hazards(&buf, "scope");

    // And every overlay.
    let mut app = complete_app();
    app.edit().product = format!("Check{HOSTILE}");
    let late = index_of(&app, LATE_FAIL);
    app.edit().answers[late].remediation.as_mut().unwrap().owner = format!("own{HOSTILE}");
    app.signer.name = format!("signer {HOSTILE}");
    app.signer.key = format!("key {HOSTILE}");
    press(&mut app, KeyCode::Char('S'));
    let buf = draw(&app, &UNICODE, 120, 40);
    let s = text(&buf);
    assert!(s.contains(&format!("signer {escaped}")), "signer:\n{s}");
    assert!(s.contains(&format!("own{escaped}")), "owner in the confirmation:\n{s}");
    assert_no_raw_hazards(&buf, "confirm");
    for (name, mut app) in every_mode() {
        app.edit().product = format!("Check{HOSTILE}");
        app.edit().answers[1].note = HOSTILE.into();
        for (w, h) in [(80, 24), (60, 15)] {
            assert_no_raw_hazards(&draw(&app, &UNICODE, w, h), name);
            assert_no_raw_hazards(&draw(&app, &ASCII, w, h), name);
        }
    }
}

// ---------------------------------------------------------------------------
// Sizes

#[test]
fn too_small_says_so() {
    let app = review_app();
    let s = screen(&app, &UNICODE, 59, 14);
    assert!(s.contains("terminal too small (needs 60x15, is 59x14)"), "{s}");
    insta::assert_snapshot!("too_small_59x14", s);
    for (w, h) in [(59, 24), (80, 14), (60, 14), (59, 15)] {
        let s = screen(&app, &UNICODE, w, h);
        let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("terminal too small (needs 60x15"), "{w}x{h}:\n{s}");
    }
    let s = screen(&app, &UNICODE, 60, 15);
    assert!(!s.contains("too small"), "60x15 is enough:\n{s}");
    // As much of the message as fits.
    insta::assert_snapshot!("too_small_1x1", screen(&app, &UNICODE, 1, 1));
    insta::assert_snapshot!("too_small_10x3", screen(&app, &UNICODE, 10, 3));
    assert_eq!(screen(&app, &UNICODE, 1, 1), "t");
    assert!(screen(&app, &UNICODE, 10, 3).starts_with("terminal"));
}

#[test]
fn smallest_usable_terminal() {
    insta::assert_snapshot!("review_60x15", screen(&review_app(), &UNICODE, 60, 15));
}

/// The sizes [`every_size_renders_without_panicking`] draws every screen at: every size
/// around each place the layout changes (src/tui/view.rs), a sample elsewhere. Below the
/// minimum, where a frame is only the "too small" message (cheap to draw), every width and
/// every height.
fn sweep_sizes(areas: usize) -> BTreeSet<(u16, u16)> {
    let around = |t: u16| t.saturating_sub(1).max(1)..=t + 1;
    // Widths: the minimum; the area list's width, two fifths of the screen clamped to
    // 28..=48 columns (from 70 columns, up to 120..=122); the remediation form (64 columns),
    // the note editor (72) and the sign-off box (76); overlays that cover the whole body
    // up to 100 columns and are a 90-column box beyond; the widest.
    let widths: BTreeSet<u16> =
        [MIN_WIDTH, 64, 70, 72, 76, 100, 101, 120, 122, 199].into_iter().flat_map(around).collect();
    // Heights: the minimum; the note editor (14 rows of body, 17); the height from which the
    // area list shows every area (areas + 2 rows once the body is twice that and 2 more).
    let whole_list = 2 * areas as u16 + 9;
    let heights: BTreeSet<u16> = [MIN_HEIGHT, 17, whole_list, 59].into_iter().flat_map(around).collect();
    let mut sizes = BTreeSet::new();
    for w in 1..MIN_WIDTH {
        sizes.extend([1, 2, MIN_HEIGHT - 1, MIN_HEIGHT, 24, 60].map(|h| (w, h)));
    }
    for h in 1..MIN_HEIGHT {
        sizes.extend([1, 2, MIN_WIDTH - 1, MIN_WIDTH, 80, 200].map(|w| (w, h)));
    }
    for &w in &widths {
        sizes.extend([15, 16, 24, whole_list, 40, 60].map(|h| (w, h)));
    }
    for &h in &heights {
        sizes.extend([60, 61, 80, 120, 200].map(|w| (w, h)));
    }
    for w in (60..=200).step_by(20) {
        sizes.extend((15..=60).step_by(9).map(|h| (w, h)));
    }
    sizes
}

#[test]
fn every_size_renders_without_panicking() {
    let modes = every_mode().len();
    let sizes = sweep_sizes(ui_set().checklists.len());
    assert!(sizes.contains(&(MIN_WIDTH - 1, MIN_HEIGHT)) && sizes.contains(&(MIN_WIDTH, MIN_HEIGHT)));
    // One thread per mode, to keep it fast (each builds its own: the note editor is not
    // Sync); a panic names the mode and the size.
    std::thread::scope(|s| {
        for k in 0..modes {
            let sizes = &sizes;
            s.spawn(move || {
                let (name, app) = every_mode().swap_remove(k);
                for &(w, h) in sizes {
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        draw(&app, &UNICODE, w, h);
                    }));
                    assert!(result.is_ok(), "{name} panicked at {w}x{h}");
                }
                for (w, h) in [(1, 1), (59, 14), (60, 15), (61, 16), (200, 60)] {
                    draw(&app, &ASCII, w, h);
                }
            });
        }
    });
}

/// The rows of the list pane at `width`: what the left column shows below the areas.
fn list_rows(s: &str) -> Vec<String> {
    s.lines().map(|l| l.chars().take_while(|&c| c != '┐' && c != '┘').collect::<String>()).collect()
}

#[test]
fn from_120_columns_the_list_shows_every_question_in_full() {
    let app = review_app();
    let ell = UNICODE.ellipsis();
    let narrow = screen(&app, &UNICODE, 100, 40);
    assert!(list_rows(&narrow).iter().any(|r| r.contains("Does every sign-up") && r.contains(ell)), "{narrow}");
    let wide = screen(&app, &UNICODE, 120, 40);
    let rows = list_rows(&wide).join("\n");
    for i in app.visible() {
        // Every word of every question is on screen, wrapped, none cut.
        let last = app.item(i).question.split_whitespace().last().unwrap().to_string();
        assert!(rows.contains(&last), "{:?} cut:\n{wide}", app.item(i).question);
    }
    let list: Vec<&str> = rows.lines().skip(12).collect();
    assert!(!list.iter().any(|r| r.contains(ell)), "an ellipsis in the wide list:\n{wide}");
}

#[test]
fn i_shows_item_ids_in_the_list() {
    let mut app = review_app();
    let id = app.item(app.selected).id.clone();
    let before = screen(&app, &UNICODE, 120, 40);
    press(&mut app, KeyCode::Char('i'));
    let s = screen(&app, &UNICODE, 120, 40);
    let short: String = id.chars().take(12).collect();
    assert!(list_rows(&s).iter().any(|r| r.contains(&short)), "no id column:\n{s}");
    assert!(!list_rows(&before).iter().skip(12).any(|r| r.contains(&short)), "{before}");
    press(&mut app, KeyCode::Char('i'));
    assert_eq!(screen(&app, &UNICODE, 120, 40), before);
}

#[test]
fn the_details_title_shows_the_whole_id_when_it_fits_and_says_more_below() {
    let app = review_app();
    let id = app.item(app.selected).id.clone();
    let s = screen(&app, &UNICODE, 80, 24);
    assert!(s.contains(&format!(" {id} · medium ")), "{s}");
    assert!(s.contains("more below ↓"), "no marker:\n{s}");
    // Scrolled to the end, the marker goes.
    let mut app = app;
    app.detail_scroll = 500;
    assert!(!screen(&app, &UNICODE, 80, 24).contains("more below"));
}

#[test]
fn without_colour_the_focused_pane_is_marked_in_its_title() {
    let mut app = review_app();
    let list_focused = screen(&app, &NO_COLOR, 80, 24);
    assert!(list_focused.contains("┌▶ Collection of information"), "{list_focused}");
    press(&mut app, KeyCode::Enter);
    let detail = screen(&app, &NO_COLOR, 80, 24);
    assert!(detail.contains("┐┌▶ collection."), "{detail}");
    assert!(!detail.contains("┌▶ Collection of information"), "{detail}");
}

#[test]
fn a_long_evidence_link_wraps_under_its_number() {
    let url = format!("https://wiki.example.com/{}", "privacy-review-evidence/".repeat(5));
    let mut app = review_app();
    let i = app.selected;
    app.edit().answers[i].evidence = vec![url.clone()];
    let s = screen(&app, &ASCII, 80, 40);
    let at = s.lines().position(|l| l.contains(" 1. https://")).unwrap_or_else(|| panic!("{s}"));
    let first = s.lines().nth(at).unwrap();
    let next = s.lines().nth(at + 1).unwrap();
    // The continuation starts in the column where the link started.
    let col = first.find("https://").unwrap();
    assert_eq!(&next[col - 4..col], "    ", "not under its number:\n{s}");
    assert!(next[col..].starts_with(|c: char| c.is_ascii_alphanumeric()), "not under its number:\n{s}");
    // The remove-evidence form lists what it asks about.
    press(&mut app, KeyCode::Char('x'));
    let s = screen(&app, &ASCII, 80, 24);
    assert!(s.contains("Remove evidence"), "{s}");
    assert!(s.lines().any(|l| l.contains("| 1. https://wiki.example.com/")), "the form lists the evidence:\n{s}");
}

#[test]
fn overlays_leave_no_sliver_of_the_screen_beneath() {
    let mut app = complete_app();
    press(&mut app, KeyCode::Char('S'));
    let s = screen(&app, &UNICODE, 80, 24);
    for l in s.lines().skip(2).take(18) {
        assert!(!l.starts_with("│✓┌") && !l.starts_with("│✓│") && !l.starts_with("└─│"), "a sliver:\n{s}");
    }
}

#[test]
fn filters_combine_status_and_severity_and_search_highlights_the_match() {
    use privcheck::model::checklist::Severity;
    let mut app = review_app();
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('V'));
    press(&mut app, KeyCode::Char('V'));
    assert_eq!(app.severity, Some(Severity::High));
    let shown = app.visible();
    assert!(!shown.is_empty());
    for &i in &shown {
        assert_eq!(app.item(i).severity, Severity::High);
        assert_eq!(app.results().answers[i].status, Status::Unreviewed);
    }
    let s = screen(&app, &UNICODE, 80, 24);
    assert!(s.contains(&format!("unanswered, high ({})", shown.len())), "{s}");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.severity, None, "Esc clears every filter");
    // A search highlights its words (bold and underlined: visible without colour).
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "health");
    press(&mut app, KeyCode::Enter);
    let buf = draw(&app, &NO_COLOR, 80, 24);
    let hit = (0..24u16).flat_map(|y| (0..40u16).map(move |x| (x, y))).find(|&(x, y)| {
        buf[(x, y)].symbol() == "h"
            && buf[(x + 1, y)].symbol() == "e"
            && buf[(x, y)].modifier.contains(ratatui::style::Modifier::UNDERLINED)
    });
    assert!(hit.is_some(), "no highlighted match:\n{}", text(&buf));
}

#[test]
fn a_long_error_takes_two_lines_and_is_not_cut_off() {
    let mut app = review_app();
    let reason = "ssh-keygen could not sign with /home/someone/.ssh/id_ed25519_work: incorrect passphrase supplied to decrypt private key";
    app.message = Some((Level::Error, reason.into()));
    let s = screen(&app, &UNICODE, 80, 24);
    let tail: String = s.lines().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join(" ");
    let squashed = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(squashed(&tail).contains(reason), "{s}");
}

#[test]
fn the_details_say_what_the_version_in_force_says_or_that_it_is_silent() {
    let mut app = review_app();
    app.edit().policy = Some("example-market-2021-06.txt".into());
    // The 2021 text is cited by one item only: it speaks there, and is silent elsewhere.
    let cites = |app: &App, i: usize| app.item(i).cite.iter().any(|c| c.document == "example-market-2021-06.txt");
    let says = (0..app.item_count()).find(|&i| cites(&app, i)).unwrap();
    let silent = (0..app.item_count()).find(|&i| !cites(&app, i)).unwrap();
    app.selected = says;
    let s = screen(&app, &UNICODE, 120, 40);
    assert!(s.contains("The version in force says this under"), "{s}");
    app.selected = silent;
    let s = screen(&app, &UNICODE, 120, 40);
    assert!(s.contains("The version in force is silent on this"), "{s}");
    // Nothing is said while no version is recorded.
    app.edit().policy = None;
    assert!(!screen(&app, &UNICODE, 120, 40).contains("version in force"));
}

#[test]
fn many_scope_questions_scroll_and_the_current_ones_help_stays_on_screen() {
    let set = privcheck::store::checklist_file::builtin();
    let n = set.scope.len();
    assert!(n > 10, "the built-in set has {n} scope questions");
    let mut r = Results::new("Checkout", period(), &set);
    r.policy = Some(set.policy_versions()[0].file.clone());
    let mut app = App::new(set, r, PathBuf::from("privcheck-2026-Q4.toml"), today()).with_identity("Ann", signer());
    for k in 0..n {
        app.mode = Mode::Scope(k);
        app.scope_help_scroll = 0;
        let s = screen(&app, &ASCII, 80, 24);
        let q = &app.set.scope[k];
        let start: String = q.question.chars().take(30).collect();
        // Its line in the list (pointer) and its heading above the help.
        assert!(s.lines().any(|l| l.contains(&format!("> [ ? ] {start}"))), "{k}: not in the list\n{s}");
        assert!(s.lines().any(|l| l.starts_with(&format!("|{start}"))), "{k}: its help is not shown\n{s}");
        if k > 3 {
            assert!(s.contains("more above (Up moves)"), "{k}\n{s}");
        }
        if k + 4 < n {
            assert!(s.contains("more below (Down moves)"), "{k}\n{s}");
        }
    }
    // A long help scrolls with PgDn, and another question starts its help from the top.
    app.mode = Mode::Scope(0);
    let top = screen(&app, &ASCII, 80, 24);
    assert!(top.contains("more below (PgDn)"), "{top}");
    press(&mut app, KeyCode::PageDown);
    let scrolled = screen(&app, &ASCII, 80, 24);
    assert_ne!(top, scrolled);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.scope_help_scroll, 0);
}

#[test]
fn the_note_editor_wraps_a_long_line_and_hides_no_character() {
    let mut app = review_app();
    press(&mut app, KeyCode::Char('e'));
    // Clear the note, then one long line of numbered words.
    for _ in 0..200 {
        press(&mut app, KeyCode::Backspace);
    }
    let words: Vec<String> = (1..=40).map(|k| format!("w{k:02}")).collect();
    type_text(&mut app, &words.join(" "));
    let s = screen(&app, &ASCII, 80, 24);
    for w in &words {
        assert!(s.contains(w.as_str()), "{w} is hidden:\n{s}");
    }
    // At 80 columns the editor takes the whole width: no fragment of the screen beneath
    // at its sides.
    assert!(s.lines().any(|l| l.starts_with("+> Note: ")), "{s}");
}
