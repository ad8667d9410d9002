//! The review UI's pure core: `App` driven by key events through `handle_key`, no terminal.

use crate::support::fixed::{key, now, period, signer, today, ui_set};
use jiff::civil::date;
use privcheck::model::results::{Carried, Remediation, Results, Status};
use privcheck::tui::app::{App, Filter, Focus, FormKind, Level, Mode};
use privcheck::tui::update::{Effect, handle_key};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;

const REVIEWER: &str = "Ann Example";

/// A new review of the UI fixture set: no scope answered, every item unreviewed.
fn new_app() -> App {
    let set = ui_set();
    let results = Results::new("Checkout", period(), &set);
    App::new(set, results, PathBuf::from("privcheck-2026-Q4.toml"), today()).with_identity(REVIEWER, signer())
}

/// A review whose scope questions are all answered yes: it opens on the review.
fn review_app() -> App {
    let set = ui_set();
    let mut results = Results::new("Checkout", period(), &set);
    for q in &set.scope {
        results.scope.insert(q.id.clone(), true);
    }
    let app =
        App::new(set, results, PathBuf::from("privcheck-2026-Q4.toml"), today()).with_identity(REVIEWER, signer());
    assert!(matches!(app.mode, Mode::Review));
    app
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn shift_tab() -> KeyEvent {
    KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
}

fn press(app: &mut App, k: KeyEvent) -> Option<Effect> {
    handle_key(app, k, now())
}

/// Types `text` key by key; every key must be absorbed (no effect).
fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        assert_eq!(press(app, ch(c)), None, "typing {c:?}");
    }
}

fn scope_index(app: &App) -> Option<usize> {
    match app.mode {
        Mode::Scope(i) => Some(i),
        _ => None,
    }
}

fn form_kind(app: &App) -> Option<FormKind> {
    match &app.mode {
        Mode::Form(f) => Some(f.kind.clone()),
        _ => None,
    }
}

fn message(app: &App) -> String {
    app.message.as_ref().map(|(_, m)| m.clone()).unwrap_or_default()
}

fn index_of(app: &App, id: &str) -> usize {
    (0..app.item_count()).find(|&i| app.item(i).id == id).unwrap_or_else(|| panic!("no item {id}"))
}

fn scope_ids(app: &App) -> Vec<String> {
    app.set.scope.iter().map(|q| q.id.clone()).collect()
}

// ---------------------------------------------------------------------------
// Scope screen

#[test]
fn a_new_review_opens_on_the_first_scope_question() {
    let app = new_app();
    assert_eq!(scope_index(&app), Some(0));
    assert_eq!(app.selected, 0);
    assert_eq!(app.results().scope.len(), 0);
}

#[test]
fn scope_yes_and_no_are_recorded_and_advance() {
    let mut app = new_app();
    let ids = scope_ids(&app);
    assert_eq!(press(&mut app, ch('y')), Some(Effect::Save));
    assert_eq!(app.results().scope.get(&ids[0]), Some(&true));
    assert_eq!(scope_index(&app), Some(1));
    assert_eq!(press(&mut app, ch('N')), Some(Effect::Save), "upper-case N answers too");
    assert_eq!(app.results().scope.get(&ids[1]), Some(&false));
    assert_eq!(scope_index(&app), Some(2));
    // Moving does not answer.
    assert_eq!(press(&mut app, ch('k')), None);
    assert_eq!(scope_index(&app), Some(1));
    assert_eq!(press(&mut app, key(KeyCode::Down)), None);
    assert_eq!(press(&mut app, key(KeyCode::Down)), None);
    assert_eq!(scope_index(&app), Some(3));
    assert_eq!(press(&mut app, key(KeyCode::Up)), None);
    assert_eq!(scope_index(&app), Some(2));
    assert_eq!(app.results().scope.len(), 2);
}

#[test]
fn scope_no_marks_out_of_scope_items_not_applicable_with_a_reason() {
    let mut app = new_app();
    let ids = scope_ids(&app);
    let eea = ids.iter().position(|s| s == "eea").expect("the UI fixture set asks about the EEA");
    // Answer every question before "eea" yes, then "eea" no.
    for _ in 0..eea {
        press(&mut app, ch('y'));
    }
    assert_eq!(scope_index(&app), Some(eea));
    assert_eq!(press(&mut app, ch('n')), Some(Effect::Save));
    assert!(message(&app).contains("items changed by scope"), "{}", message(&app));
    let mut marked = 0;
    for i in 0..app.item_count() {
        let item = app.item(i).clone();
        let a = &app.results().answers[i];
        if item.scope.iter().any(|s| s == "eea") {
            assert_eq!(a.status, Status::NotApplicable, "{}", item.id);
            assert!(a.auto, "{} is marked by scope, not by a reviewer", item.id);
            assert!(a.reason.starts_with("Out of scope:"), "{}: {}", item.id, a.reason);
            assert!(a.reason.contains("answered no"), "{}: {}", item.id, a.reason);
            assert_eq!(a.at, Some(now()));
            marked += 1;
        } else if item.scope.is_empty() {
            assert_eq!(a.status, Status::Unreviewed, "{}", item.id);
        }
    }
    assert!(marked > 5, "only {marked} items depend on the EEA question");
    // An item that needs the EEA and another scope is out of scope as soon as one is no.
    let both = index_of(&app, "minors.gdpr-art8-age");
    assert_eq!(app.item(both).scope, ["eea", "minors"]);
    assert_eq!(app.results().answers[both].status, Status::NotApplicable);
}

#[test]
fn scope_no_does_not_override_a_reviewers_answer_and_yes_reverts_auto_answers() {
    let mut app = new_app();
    let ids = scope_ids(&app);
    let eea = ids.iter().position(|s| s == "eea").unwrap();
    // The first item that depends on eea only.
    let first_eea = (0..app.item_count()).find(|&i| app.item(i).scope == ["eea"]).unwrap();
    app.edit().answers[first_eea].status = Status::Pass;
    app.mode = Mode::Scope(eea);
    // No, after answering, asks first and names how many answered items it changes.
    assert_eq!(press(&mut app, ch('n')), None);
    assert!(matches!(app.mode, Mode::ConfirmScope { index, count: 1 } if index == eea), "{:?}", app.mode);
    press(&mut app, ch('x'));
    assert_eq!(message(&app), "Scope not changed.");
    assert_eq!(app.results().scope.get("eea"), None);
    assert_eq!(app.results().answers[first_eea].status, Status::Pass);
    let kept = app.results().clone();
    press(&mut app, ch('n'));
    assert_eq!(press(&mut app, ch('y')), Some(Effect::Save));
    let a = &app.results().answers[first_eea];
    assert_eq!(a.status, Status::NotApplicable, "the scope's no governs the item");
    assert!(a.auto && a.reason.starts_with("Out of scope:"), "{a:?}");
    assert!(message(&app).ends_with("items changed by scope."), "{}", message(&app));
    let other_eea = (first_eea + 1..app.item_count()).find(|&i| app.item(i).scope == ["eea"]).unwrap();
    assert_eq!(app.results().answers[other_eea].status, Status::NotApplicable);
    // The reviewer's answer stays in the undo history: z gives it back, exactly.
    app.mode = Mode::Scope(eea);
    press(&mut app, ch('z'));
    assert_eq!(app.results(), &kept);
    assert!(message(&app).starts_with("Undone: "), "{}", message(&app));
    assert!(message(&app).contains("scope eea is back to unanswered"), "{}", message(&app));
    app.mode = Mode::Scope(eea);
    press(&mut app, ch('n'));
    press(&mut app, ch('y'));
    // Changing the answer to yes puts the automatic answers back to unreviewed.
    app.mode = Mode::Scope(eea);
    assert_eq!(press(&mut app, ch('y')), Some(Effect::Save));
    assert_eq!(app.results().answers[other_eea].status, Status::Unreviewed);
    assert!(!app.results().answers[other_eea].auto);
    assert!(app.results().answers[other_eea].reason.is_empty());
    assert_eq!(app.results().answers[first_eea].status, Status::Unreviewed, "back to unreviewed, as the issue asks");
}

#[test]
fn answering_the_last_scope_question_goes_to_the_review_and_s_reopens_it() {
    let mut app = new_app();
    let n = app.set.scope.len();
    for k in 0..n {
        assert_eq!(scope_index(&app), Some(k));
        assert_eq!(press(&mut app, ch(if k % 2 == 0 { 'y' } else { 'n' })), Some(Effect::Save));
    }
    assert!(matches!(app.mode, Mode::Review));
    assert_eq!(app.results().scope.len(), n);
    assert!(app.results().unanswered_scope(&app.set).is_empty());

    // s reopens the scope questions at the first one once all are answered.
    assert_eq!(press(&mut app, ch('s')), None);
    assert_eq!(scope_index(&app), Some(0));
    // Re-answering walks through the questions, then back to the review.
    for _ in 0..n {
        press(&mut app, ch('y'));
    }
    assert!(matches!(app.mode, Mode::Review));
    assert!(app.results().scope.values().all(|&v| v));
    // Enter, Esc and Tab leave the scope screen without answering.
    for k in [key(KeyCode::Enter), key(KeyCode::Esc), key(KeyCode::Tab)] {
        press(&mut app, ch('s'));
        assert_eq!(scope_index(&app), Some(0));
        assert_eq!(press(&mut app, k), None);
        assert!(matches!(app.mode, Mode::Review));
    }
}

#[test]
fn a_partly_answered_scope_opens_at_the_first_unanswered_question() {
    let set = ui_set();
    let mut results = Results::new("Checkout", period(), &set);
    results.scope.insert(set.scope[0].id.clone(), true);
    results.scope.insert(set.scope[1].id.clone(), false);
    let mut app = App::new(set, results, PathBuf::from("x.toml"), today()).with_identity(REVIEWER, signer());
    assert_eq!(scope_index(&app), Some(2));
    // s in the review goes to the first unanswered question too.
    press(&mut app, key(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::Review));
    press(&mut app, ch('s'));
    assert_eq!(scope_index(&app), Some(2));
}

#[test]
fn help_from_the_scope_screen_returns_to_it() {
    let mut app = new_app();
    press(&mut app, ch('y'));
    assert_eq!(scope_index(&app), Some(1));
    assert_eq!(press(&mut app, ch('?')), None);
    assert!(matches!(app.mode, Mode::Help { scroll: 0, .. }));
    assert_eq!(press(&mut app, ch('j')), None);
    assert!(matches!(app.mode, Mode::Help { scroll: 1, .. }));
    assert_eq!(press(&mut app, key(KeyCode::Esc)), None);
    assert_eq!(scope_index(&app), Some(1), "closing the help goes back to where it was opened");
}

// ---------------------------------------------------------------------------
// Navigation

#[test]
fn up_and_down_move_within_the_area() {
    let mut app = review_app();
    let area = app.area_range(0);
    assert_eq!(app.visible(), area.clone().collect::<Vec<_>>());
    assert_eq!(press(&mut app, ch('j')), None);
    assert_eq!(app.selected, 1);
    press(&mut app, key(KeyCode::Down));
    assert_eq!(app.selected, 2);
    press(&mut app, ch('k'));
    assert_eq!(app.selected, 1);
    press(&mut app, key(KeyCode::Up));
    press(&mut app, key(KeyCode::Up));
    assert_eq!(app.selected, 0, "stops at the first item");
    press(&mut app, ch('G'));
    assert_eq!(app.selected, area.end - 1);
    press(&mut app, ch('j'));
    assert_eq!(app.selected, area.end - 1, "does not run into the next area");
    press(&mut app, ch('g'));
    assert_eq!(app.selected, 0);
    press(&mut app, key(KeyCode::End));
    assert_eq!(app.selected, area.end - 1);
    press(&mut app, key(KeyCode::Home));
    assert_eq!(app.selected, 0);
}

#[test]
fn tab_and_shift_tab_move_between_areas_and_wrap() {
    let mut app = review_app();
    let areas = app.set.checklists.len();
    assert!(areas > 2);
    press(&mut app, ch('j'));
    press(&mut app, key(KeyCode::Tab));
    assert_eq!(app.area(), 1);
    assert_eq!(app.selected, app.area_range(1).start, "lands on the area's first item");
    assert_eq!(app.visible(), app.area_range(1).collect::<Vec<_>>());
    press(&mut app, shift_tab());
    assert_eq!(app.area(), 0);
    assert_eq!(app.selected, 0);
    press(&mut app, shift_tab());
    assert_eq!(app.area(), areas - 1, "Shift-Tab wraps to the last area");
    assert_eq!(app.selected, app.area_range(areas - 1).start);
    press(&mut app, key(KeyCode::Tab));
    assert_eq!(app.area(), 0, "Tab wraps to the first area");
    for k in 1..=areas {
        press(&mut app, key(KeyCode::Tab));
        assert_eq!(app.area(), k % areas);
    }
}

#[test]
fn enter_focuses_the_detail_where_up_and_down_scroll_it() {
    let mut app = review_app();
    press(&mut app, ch('j'));
    assert_eq!(press(&mut app, key(KeyCode::Enter)), None);
    assert_eq!(app.focus, Focus::Detail);
    press(&mut app, ch('j'));
    press(&mut app, key(KeyCode::Down));
    press(&mut app, ch('j'));
    assert_eq!(app.detail_scroll, 3);
    assert_eq!(app.selected, 1, "the selection does not move while the detail has focus");
    press(&mut app, ch('k'));
    press(&mut app, key(KeyCode::Up));
    assert_eq!(app.detail_scroll, 1);
    press(&mut app, key(KeyCode::Up));
    press(&mut app, key(KeyCode::Up));
    assert_eq!(app.detail_scroll, 0);
    press(&mut app, key(KeyCode::PageDown));
    assert_eq!(app.detail_scroll, 8);
    press(&mut app, ctrl('u'));
    assert_eq!(app.detail_scroll, 0);
    press(&mut app, ctrl('d'));
    assert_eq!(app.detail_scroll, 8);
    // Esc gives the keyboard back to the list; moving resets the scroll.
    assert_eq!(press(&mut app, key(KeyCode::Esc)), None);
    assert_eq!(app.focus, Focus::Items);
    assert_eq!(app.detail_scroll, 8);
    press(&mut app, ch('j'));
    assert_eq!(app.selected, 2);
    assert_eq!(app.detail_scroll, 0);
    // Tab from the detail goes to the next area and back to the list.
    press(&mut app, key(KeyCode::Enter));
    press(&mut app, key(KeyCode::Tab));
    assert_eq!(app.focus, Focus::Items);
    assert_eq!(app.area(), 1);
}

// ---------------------------------------------------------------------------
// Answers

#[test]
fn p_f_n_u_set_the_status_record_who_and_when_and_save() {
    for (c, status) in
        [('p', Status::Pass), ('f', Status::Fail), ('n', Status::NotApplicable), ('u', Status::Unreviewed)]
    {
        let mut app = review_app();
        app.selected = 3;
        app.edit().answers[3].status = Status::Pass;
        app.edit().answers[3].carried =
            Some(Carried { from: "2026-Q3".parse().unwrap(), status: Status::Pass, changed: false });
        app.edit().answers[3].by = "Somebody Else".into();
        assert_eq!(press(&mut app, ch(c)), Some(Effect::Save), "{c}");
        let a = &app.results().answers[3];
        assert_eq!(a.status, status, "{c}");
        assert_eq!(a.by, REVIEWER, "{c}");
        assert_eq!(a.at, Some(now()), "{c}");
        assert_eq!(a.carried, None, "{c} clears the carried mark");
        assert!(!a.auto);
        assert_eq!(a.digest, app.item_digest(3).to_string());
        assert!(message(&app).contains(status.label()), "{c}: {}", message(&app));
    }
}

#[test]
fn p_advances_to_the_next_unanswered_item() {
    let mut app = review_app();
    app.edit().answers[1].status = Status::Pass;
    app.edit().answers[2].status = Status::NotApplicable;
    assert_eq!(press(&mut app, ch('p')), Some(Effect::Save));
    assert_eq!(app.selected, 3, "skips answered items");
    // Across areas, and wrapping to the start.
    let last = app.item_count() - 1;
    app.selected = app.area_range(0).end - 1;
    for i in 3..app.area_range(0).end - 1 {
        app.edit().answers[i].status = Status::Pass;
    }
    press(&mut app, ch('p'));
    assert_eq!(app.selected, app.area_range(0).end, "goes on into the next area");
    app.selected = last;
    press(&mut app, ch('p'));
    // Items 0..7 are answered now: the first unanswered one is the second area's first.
    assert_eq!(app.selected, app.area_range(0).end, "wraps around to the first unanswered item");
    // When all is answered, it stays and says so.
    for a in &mut app.edit().answers {
        a.status = Status::Pass;
    }
    app.edit().answers[5].status = Status::Unreviewed;
    app.selected = 5;
    press(&mut app, ch('p'));
    assert_eq!(app.selected, 5);
    assert!(message(&app).contains("Every item is answered"), "{}", message(&app));
    // Space and ] go to the next unanswered item without answering.
    app.edit().answers[9].status = Status::Unreviewed;
    app.selected = 0;
    assert_eq!(press(&mut app, ch(' ')), None);
    assert_eq!(app.selected, 9);
    app.selected = 0;
    assert_eq!(press(&mut app, ch(']')), None);
    assert_eq!(app.selected, 9);
}

#[test]
fn f_opens_the_remediation_form_and_enter_saves_it() {
    let mut app = review_app();
    assert_eq!(press(&mut app, ch('f')), Some(Effect::Save));
    assert_eq!(app.results().answers[0].status, Status::Fail);
    assert_eq!(form_kind(&app), Some(FormKind::Remediation));
    let Mode::Form(form) = &app.mode else { unreachable!() };
    let labels: Vec<&str> = form.fields.iter().map(|f| f.label).collect();
    assert_eq!(labels, ["Owner", "Due (YYYY-MM-DD)", "Ticket"]);
    assert_eq!(form.focus, 0);
    type_text(&mut app, "Bob Owner");
    press(&mut app, key(KeyCode::Tab));
    type_text(&mut app, "2026-12-31");
    press(&mut app, key(KeyCode::Tab));
    type_text(&mut app, "PRIV-42");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), Some(Effect::Save));
    assert!(matches!(app.mode, Mode::Review));
    let a = &app.results().answers[0];
    assert_eq!(a.status, Status::Fail);
    assert_eq!(
        a.remediation,
        Some(Remediation { owner: "Bob Owner".into(), due: Some(date(2026, 12, 31)), ticket: "PRIV-42".into() })
    );
    assert_eq!(a.by, REVIEWER);
    assert_eq!(message(&app), "Remediation saved.");
    assert_eq!(app.selected, 1, "a complete remediation moves on");
    // r reopens it with the saved values.
    app.selected = 0;
    press(&mut app, ch('r'));
    let Mode::Form(form) = &app.mode else { panic!("r opens the remediation form") };
    let values: Vec<String> = form.fields.iter().map(|f| f.input.text()).collect();
    assert_eq!(values, ["Bob Owner", "2026-12-31", "PRIV-42"]);
    // Shift-Tab goes back a field and wraps.
    press(&mut app, shift_tab());
    let Mode::Form(form) = &app.mode else { unreachable!() };
    assert_eq!(form.focus, 2);
}

#[test]
fn a_bad_due_date_keeps_the_form_open_with_an_error() {
    let mut app = review_app();
    press(&mut app, ch('f'));
    type_text(&mut app, "Bob");
    press(&mut app, key(KeyCode::Tab));
    type_text(&mut app, "31/12/2026");
    press(&mut app, key(KeyCode::Tab));
    assert_eq!(press(&mut app, key(KeyCode::Enter)), None);
    let Mode::Form(form) = &app.mode else { panic!("the form stays open") };
    assert_eq!(form.kind, FormKind::Remediation);
    assert_eq!(form.focus, 1, "the date field gets the focus");
    let error = form.error.clone().expect("an error is shown");
    assert!(error.contains("31/12/2026") && error.contains("not a date"), "{error}");
    assert_eq!(app.results().answers[0].remediation, None, "nothing saved");
    // Typing clears the error; a good date saves.
    press(&mut app, ctrl('u'));
    type_text(&mut app, "2027-01-15");
    let Mode::Form(form) = &app.mode else { unreachable!() };
    assert_eq!(form.error, None);
    assert_eq!(press(&mut app, key(KeyCode::Enter)), Some(Effect::Save));
    assert_eq!(app.results().answers[0].remediation.as_ref().unwrap().due, Some(date(2027, 1, 15)));
}

#[test]
fn an_incomplete_remediation_is_saved_with_a_warning() {
    let mut app = review_app();
    press(&mut app, ch('f'));
    type_text(&mut app, "Bob");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), Some(Effect::Save));
    assert_eq!(app.results().answers[0].remediation.as_ref().unwrap().due, None);
    let (level, msg) = app.message.clone().unwrap();
    assert_eq!(level, Level::Warn);
    assert!(msg.contains("without due date"), "{msg}");
    assert_eq!(app.selected, 0, "stays on the item to complete it");
}

#[test]
fn esc_on_the_form_that_f_or_n_opened_puts_the_item_back_as_it_was() {
    let mut app = review_app();
    let before = app.results().answers[0].clone();
    press(&mut app, ch('f'));
    type_text(&mut app, "Bob");
    assert_eq!(press(&mut app, key(KeyCode::Esc)), Some(Effect::Save), "the status change is taken back");
    assert!(matches!(app.mode, Mode::Review));
    assert_eq!(app.results().answers[0], before, "exactly as it was: status, who and when");
    let id = app.item(0).id.clone();
    assert_eq!(message(&app), format!("Cancelled: {id} is back to unreviewed."));
    // The same for n and its reason form, from a passed item.
    press(&mut app, ch('p'));
    app.selected = 0;
    let passed = app.results().answers[0].clone();
    press(&mut app, ch('n'));
    assert_eq!(app.results().answers[0].status, Status::NotApplicable);
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(app.results().answers[0], passed);
    assert_eq!(message(&app), format!("Cancelled: {id} is back to pass."));
    // A form opened to edit (r) cancels without changing anything.
    press(&mut app, ch('f'));
    type_text(&mut app, "Bob");
    press(&mut app, key(KeyCode::Enter));
    let failed = app.results().answers[0].clone();
    press(&mut app, ch('r'));
    type_text(&mut app, "Eve");
    assert_eq!(press(&mut app, key(KeyCode::Esc)), None);
    assert_eq!(app.results().answers[0], failed);
    assert_eq!(message(&app), "Cancelled: nothing changed.");
    // r and R only apply to the right status.
    app.selected = 1;
    assert_eq!(press(&mut app, ch('r')), None);
    assert!(matches!(app.mode, Mode::Review));
    assert!(message(&app).contains("Only a failed item"));
    assert_eq!(press(&mut app, ch('R')), None);
    assert!(matches!(app.mode, Mode::Review));
    assert!(message(&app).contains("Only a not-applicable item"));
}

#[test]
fn n_opens_the_reason_form() {
    let mut app = review_app();
    assert_eq!(press(&mut app, ch('n')), Some(Effect::Save));
    assert_eq!(app.results().answers[0].status, Status::NotApplicable);
    assert_eq!(form_kind(&app), Some(FormKind::Reason));
    type_text(&mut app, "  No sign-up form in this product  ");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), Some(Effect::Save));
    assert!(matches!(app.mode, Mode::Review));
    assert_eq!(app.results().answers[0].reason, "No sign-up form in this product");
    assert_eq!(message(&app), "Reason saved.");
    assert_eq!(app.selected, 1);
    // R edits it; an empty reason is kept with a warning.
    app.selected = 0;
    press(&mut app, ch('R'));
    assert_eq!(form_kind(&app), Some(FormKind::Reason));
    press(&mut app, ctrl('u'));
    assert_eq!(press(&mut app, key(KeyCode::Enter)), Some(Effect::Save));
    assert_eq!(app.results().answers[0].reason, "");
    assert_eq!(app.message.as_ref().unwrap().0, Level::Warn);
}

// ---------------------------------------------------------------------------
// Notes and evidence

#[test]
fn the_note_editor_keeps_multi_line_text_on_esc() {
    let mut app = review_app();
    assert_eq!(press(&mut app, ch('e')), None);
    assert!(matches!(app.mode, Mode::Note { item: 0, .. }));
    type_text(&mut app, "Checked the sign-up form.");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), None);
    type_text(&mut app, "Second line.");
    press(&mut app, key(KeyCode::Enter));
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(press(&mut app, key(KeyCode::Esc)), Some(Effect::Save));
    assert!(matches!(app.mode, Mode::Review));
    let a = &app.results().answers[0];
    assert_eq!(a.note, "Checked the sign-up form.\nSecond line.", "trailing blank lines are trimmed");
    assert_eq!(a.by, REVIEWER);
    assert_eq!(a.at, Some(now()));
    assert_eq!(a.status, Status::Unreviewed, "a note does not answer the item");
    assert_eq!(message(&app), "Note kept.");
    // Reopened, the editor holds the note; Esc without a change saves nothing.
    press(&mut app, ch('e'));
    let Mode::Note { editor, .. } = &app.mode else { panic!("note editor") };
    assert_eq!(editor.text(), "Checked the sign-up form.\nSecond line.");
    assert_eq!(press(&mut app, key(KeyCode::Esc)), None);
    // Appending goes at the end.
    press(&mut app, ch('e'));
    type_text(&mut app, " More.");
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(app.results().answers[0].note, "Checked the sign-up form.\nSecond line. More.");
}

#[test]
fn control_characters_typed_in_a_note_are_cleaned() {
    let mut app = review_app();
    press(&mut app, ch('e'));
    for c in ['a', '\u{1b}', '[', '3', '1', 'm', 'b', '\u{202E}', 'c', '\u{200B}', 'd', '\u{7}', '\u{9b}'] {
        press(&mut app, ch(c));
    }
    assert_eq!(press(&mut app, key(KeyCode::Esc)), Some(Effect::Save));
    assert_eq!(app.results().answers[0].note, "a[31mbcd");
}

#[test]
fn a_adds_evidence_and_x_removes_it_by_number() {
    let mut app = review_app();
    assert_eq!(press(&mut app, ch('x')), None);
    assert!(matches!(app.mode, Mode::Review));
    assert!(message(&app).contains("no evidence"), "{}", message(&app));

    assert_eq!(press(&mut app, ch('a')), None);
    assert_eq!(form_kind(&app), Some(FormKind::AddEvidence));
    type_text(&mut app, "https://wiki.example.com/signup-review");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), Some(Effect::Save));
    press(&mut app, ch('a'));
    type_text(&mut app, "PRIV-7");
    press(&mut app, key(KeyCode::Enter));
    press(&mut app, ch('a'));
    type_text(&mut app, "docs/dpia.pdf");
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(
        app.results().answers[0].evidence,
        ["https://wiki.example.com/signup-review", "PRIV-7", "docs/dpia.pdf"]
    );
    assert_eq!(app.results().answers[0].by, REVIEWER);
    // An empty entry adds nothing.
    press(&mut app, ch('a'));
    assert_eq!(press(&mut app, key(KeyCode::Enter)), None);
    assert_eq!(app.results().answers[0].evidence.len(), 3);
    assert_eq!(message(&app), "Nothing added.");

    // x proposes the last one; a bad number keeps the form open with an error.
    press(&mut app, ch('x'));
    let Mode::Form(form) = &app.mode else { panic!("x opens a form") };
    assert_eq!(form.kind, FormKind::RemoveEvidence);
    assert_eq!(form.fields[0].input.text(), "3");
    press(&mut app, ctrl('u'));
    type_text(&mut app, "4");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), None);
    let Mode::Form(form) = &app.mode else { panic!("a bad number keeps the form") };
    assert_eq!(form.error.as_deref(), Some("Give a number from 1 to 3."));
    press(&mut app, ctrl('u'));
    type_text(&mut app, "two");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), None);
    assert!(matches!(&app.mode, Mode::Form(f) if f.error.is_some()));
    press(&mut app, ctrl('u'));
    type_text(&mut app, "0");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), None);
    assert!(matches!(&app.mode, Mode::Form(f) if f.error.is_some()));
    assert_eq!(app.results().answers[0].evidence.len(), 3);
    press(&mut app, ctrl('u'));
    type_text(&mut app, "2");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), Some(Effect::Save));
    assert_eq!(app.results().answers[0].evidence, ["https://wiki.example.com/signup-review", "docs/dpia.pdf"]);
    assert_eq!(message(&app), "Removed evidence 2: PRIV-7");
    // Esc cancels a removal.
    press(&mut app, ch('x'));
    assert_eq!(press(&mut app, key(KeyCode::Esc)), None);
    assert_eq!(app.results().answers[0].evidence.len(), 2);
}

// ---------------------------------------------------------------------------
// Search and filters

#[test]
fn search_narrows_the_list_across_areas() {
    let mut app = review_app();
    assert_eq!(press(&mut app, ch('/')), None);
    assert!(matches!(app.mode, Mode::Search { .. }));
    type_text(&mut app, "Health");
    assert_eq!(app.search, "Health");
    let visible = app.visible();
    assert!(visible.len() >= 2, "{visible:?}");
    let areas: std::collections::BTreeSet<usize> = visible.iter().map(|&i| app.area_of(i)).collect();
    assert!(areas.len() >= 2, "the search spans areas: {areas:?}");
    for &i in &visible {
        let item = app.item(i);
        let hay = format!("{} {} {}", item.id, item.question, item.guidance).to_lowercase();
        assert!(hay.contains("health"), "{} does not mention health", item.id);
    }
    assert!(visible.contains(&app.selected), "the selection follows the matches");
    // Several words must all match.
    type_text(&mut app, " minors");
    let both = app.visible();
    assert!(!both.is_empty() && both.len() < visible.len(), "{both:?}");
    // Esc restores the query from before the search.
    assert_eq!(press(&mut app, key(KeyCode::Esc)), None);
    assert!(matches!(app.mode, Mode::Review));
    assert_eq!(app.search, "");
    assert!(!app.filtering());
    assert_eq!(app.visible(), app.area_range(app.area()).collect::<Vec<_>>());
}

#[test]
fn enter_keeps_the_search_and_esc_in_a_later_search_restores_it() {
    let mut app = review_app();
    press(&mut app, ch('/'));
    type_text(&mut app, "health ");
    assert_eq!(press(&mut app, key(KeyCode::Enter)), None);
    assert!(matches!(app.mode, Mode::Review));
    assert_eq!(app.search, "health", "kept, trimmed");
    let kept = app.visible();
    assert!(app.filtering());
    // Moving goes through the matches, across areas.
    press(&mut app, ch('G'));
    assert_eq!(app.selected, *kept.last().unwrap());
    press(&mut app, ch('g'));
    assert_eq!(app.selected, kept[0]);
    // A new search starts from the kept one; Esc goes back to it.
    press(&mut app, ch('/'));
    let Mode::Search { input, .. } = &app.mode else { panic!("search") };
    assert_eq!(input.text(), "health");
    type_text(&mut app, " zzzz-no-such-word");
    assert!(app.visible().is_empty());
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(app.search, "health");
    assert_eq!(app.visible(), kept);
    // Esc in the review clears it.
    assert_eq!(press(&mut app, key(KeyCode::Esc)), None);
    assert_eq!(app.search, "");
    assert!(!app.filtering());
    assert_eq!(message(&app), "Filter cleared.");
}

#[test]
fn search_matches_notes_and_evidence() {
    let mut app = review_app();
    let far = app.item_count() - 2;
    app.edit().answers[far].note = "Talked to the Zebra team".into();
    app.edit().answers[3].evidence.push("https://tickets/ZEBRA-1".into());
    press(&mut app, ch('/'));
    type_text(&mut app, "zebra");
    assert_eq!(app.visible(), [3, far]);
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(app.selected, 3);
}

#[test]
fn v_cycles_the_filters() {
    let mut app = review_app();
    let n = app.item_count();
    app.edit().answers[0].status = Status::Pass;
    app.edit().answers[1].status = Status::Fail; // no remediation: needs attention
    app.edit().answers[2].status = Status::Fail;
    app.edit().answers[2].remediation =
        Some(Remediation { owner: "Bob".into(), due: Some(date(2026, 12, 31)), ticket: String::new() });
    app.edit().answers[3].status = Status::NotApplicable; // no reason: needs attention
    app.edit().answers[4].status = Status::NotApplicable;
    app.edit().answers[4].reason = "No such form".into();
    app.edit().answers[5].status = Status::Pass;
    app.edit().answers[5].carried =
        Some(Carried { from: "2026-Q3".parse().unwrap(), status: Status::Pass, changed: false });
    app.edit().answers[6].status = Status::Pass;
    app.edit().answers[6].digest = "sha256:0000000000000000".into(); // stale

    assert_eq!(app.filter, Filter::All);
    assert_eq!(press(&mut app, ch('v')), None);
    assert_eq!(app.filter, Filter::Unanswered);
    assert_eq!(message(&app), "Showing unanswered items.");
    assert_eq!(app.visible(), (7..n).collect::<Vec<_>>());
    assert_eq!(app.selected, 7, "the selection moves onto the list");
    press(&mut app, ch('v'));
    assert_eq!(app.filter, Filter::Failed);
    assert_eq!(app.visible(), [1, 2]);
    press(&mut app, ch('v'));
    assert_eq!(app.filter, Filter::Attention);
    let mut expected = vec![1, 3, 5, 6];
    expected.extend(7..n);
    assert_eq!(app.visible(), expected);
    press(&mut app, ch('v'));
    assert_eq!(app.filter, Filter::All);
    assert!(!app.filtering());
    // A filter and a search combine.
    press(&mut app, ch('v'));
    press(&mut app, ch('/'));
    type_text(&mut app, "health");
    press(&mut app, key(KeyCode::Enter));
    assert!(app.visible().iter().all(|&i| app.results().answers[i].status == Status::Unreviewed));
    // Esc clears both.
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(app.filter, Filter::All);
    assert_eq!(app.search, "");
}

// ---------------------------------------------------------------------------
// Sign-off

fn complete(app: &mut App) {
    for i in 0..app.item_count() {
        let d = app.item_digest(i).to_string();
        let a = &mut app.edit().answers[i];
        a.status = Status::Pass;
        a.digest = d;
    }
}

#[test]
fn sign_off_with_gaps_shows_the_blockers() {
    let mut app = review_app();
    assert_eq!(press(&mut app, ch('S')), None);
    assert!(matches!(app.mode, Mode::Blockers(0)));
    press(&mut app, ch('j'));
    press(&mut app, key(KeyCode::PageDown));
    assert!(matches!(app.mode, Mode::Blockers(11)));
    press(&mut app, key(KeyCode::Up));
    assert!(matches!(app.mode, Mode::Blockers(10)));
    assert_eq!(press(&mut app, key(KeyCode::Esc)), None);
    assert!(matches!(app.mode, Mode::Review));
    // One gap is enough.
    complete(&mut app);
    app.edit().answers[4].status = Status::Fail;
    press(&mut app, ch('S'));
    assert!(matches!(app.mode, Mode::Blockers(_)));
}

#[test]
fn sign_off_when_complete_asks_to_confirm_and_r_toggles_the_role() {
    let mut app = review_app();
    complete(&mut app);
    assert_eq!(press(&mut app, ch('S')), None);
    assert!(matches!(&app.mode, Mode::ConfirmSign { role, .. } if role == "reviewer"));
    assert_eq!(press(&mut app, ch('r')), None);
    assert!(matches!(&app.mode, Mode::ConfirmSign { role, .. } if role == "approver"));
    press(&mut app, ch('r'));
    assert!(matches!(&app.mode, Mode::ConfirmSign { role, .. } if role == "reviewer"));
    press(&mut app, ch('r'));
    // Other keys do nothing.
    assert_eq!(press(&mut app, ch('p')), None);
    assert!(matches!(&app.mode, Mode::ConfirmSign { role, .. } if role == "approver"));
    assert_eq!(press(&mut app, ch('y')), Some(Effect::Sign { role: "approver".into() }));
    assert!(matches!(app.mode, Mode::Review));
    // Only y signs: Enter does nothing (a habit of Enter must not sign); Esc cancels.
    press(&mut app, ch('S'));
    assert_eq!(press(&mut app, key(KeyCode::Enter)), None);
    assert!(matches!(&app.mode, Mode::ConfirmSign { role, .. } if role == "reviewer"));
    assert_eq!(press(&mut app, key(KeyCode::Esc)), None);
    assert!(matches!(app.mode, Mode::Review));
    assert_eq!(message(&app), "Sign-off cancelled.");
    press(&mut app, ch('S'));
    assert_eq!(press(&mut app, ch('n')), None);
    assert!(matches!(app.mode, Mode::Review));
}

// ---------------------------------------------------------------------------
// Read-only

#[test]
fn read_only_refuses_every_change() {
    let holder = "ann on h (pid 1, since 2026-11-25T09:00:00Z)";
    let mut app = review_app();
    app.edit().answers[0].status = Status::Fail;
    app.edit().answers[0].evidence.push("e1".into());
    app.edit().answers[0].carried =
        Some(Carried { from: "2026-Q3".parse().unwrap(), status: Status::Fail, changed: false });
    app.edit().answers[1].status = Status::NotApplicable;
    complete_but(&mut app, &[0, 1]);
    app.read_only = Some(holder.into());
    let before = app.results().clone();
    for (sel, c) in
        [(0, 'p'), (0, 'f'), (0, 'n'), (0, 'u'), (0, 'c'), (0, 'e'), (0, 'r'), (1, 'R'), (0, 'a'), (0, 'x'), (0, 'S')]
    {
        app.selected = sel;
        app.message = None;
        assert_eq!(press(&mut app, ch(c)), None, "{c}");
        assert!(matches!(app.mode, Mode::Review), "{c} opened something");
        let (level, msg) = app.message.clone().unwrap_or_else(|| panic!("{c}: no message"));
        assert_eq!(level, Level::Warn, "{c}");
        assert_eq!(msg, format!("Read-only: {holder}; answer keys do nothing."), "{c}");
    }
    // Scope answers too.
    press(&mut app, ch('s'));
    assert!(matches!(app.mode, Mode::Scope(_)));
    assert_eq!(press(&mut app, ch('y')), None);
    assert_eq!(press(&mut app, ch('n')), None);
    assert!(message(&app).starts_with("Read-only"));
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(*app.results(), before, "nothing changed");
    // Looking around still works.
    app.selected = 0;
    press(&mut app, ch('j'));
    assert_eq!(app.selected, 1);
    press(&mut app, ch('/'));
    type_text(&mut app, "health");
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(app.search, "health");
    press(&mut app, ch('?'));
    assert!(matches!(app.mode, Mode::Help { scroll: 0, .. }));
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(press(&mut app, ch('q')), Some(Effect::Quit));
}

fn complete_but(app: &mut App, skip: &[usize]) {
    for i in 0..app.item_count() {
        if !skip.contains(&i) {
            app.edit().answers[i].status = Status::Pass;
        }
    }
}

// ---------------------------------------------------------------------------
// Quitting

#[test]
fn q_and_ctrl_c_quit() {
    let mut app = review_app();
    assert_eq!(press(&mut app, ch('q')), Some(Effect::Quit));
    assert!(app.quit);
    let mut app = review_app();
    assert_eq!(press(&mut app, ctrl('c')), Some(Effect::Quit));
    assert!(app.quit);
    // On the scope screen.
    let mut app = new_app();
    assert_eq!(press(&mut app, ch('q')), Some(Effect::Quit));
    let mut app = new_app();
    assert_eq!(press(&mut app, ctrl('c')), Some(Effect::Quit));
    assert!(app.quit);
    // In the search, the help, the blockers and the confirmation, Ctrl-C quits (q may be typed).
    for open in ['/', '?', 'S'] {
        let mut app = review_app();
        press(&mut app, ch(open));
        assert_eq!(press(&mut app, ctrl('c')), Some(Effect::Quit), "{open}");
        assert!(app.quit, "{open}");
    }
    let mut app = review_app();
    complete(&mut app);
    press(&mut app, ch('S'));
    assert!(matches!(app.mode, Mode::ConfirmSign { .. }));
    assert_eq!(press(&mut app, ctrl('c')), Some(Effect::Quit));
    assert!(app.quit);
    // An unchanged note editor quits directly.
    let mut app = review_app();
    press(&mut app, ch('e'));
    assert_eq!(press(&mut app, ctrl('c')), Some(Effect::Quit));
    assert!(app.quit);
    // In a form, q is typed.
    let mut app = review_app();
    press(&mut app, ch('a'));
    assert_eq!(press(&mut app, ch('q')), None);
    assert!(!app.quit);
}

#[test]
fn ctrl_c_in_the_note_editor_keeps_the_text_then_quits() {
    let mut app = review_app();
    press(&mut app, ch('e'));
    type_text(&mut app, "half-written");
    press(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "note");
    // The shell saves on Save and leaves because `quit` is set.
    assert_eq!(press(&mut app, ctrl('c')), Some(Effect::Save));
    assert!(app.quit);
    assert_eq!(app.results().answers[0].note, "half-written\nnote");
    assert!(!matches!(app.mode, Mode::Note { .. }));
}

#[test]
fn ctrl_c_in_a_form_keeps_a_valid_entry_then_quits() {
    let mut app = review_app();
    press(&mut app, ch('a'));
    type_text(&mut app, "PRIV-9");
    assert_eq!(press(&mut app, ctrl('c')), Some(Effect::Save));
    assert!(app.quit);
    assert_eq!(app.results().answers[0].evidence, ["PRIV-9"]);
    // An invalid one is dropped, and it still quits.
    let mut app = review_app();
    press(&mut app, ch('f'));
    press(&mut app, key(KeyCode::Tab));
    type_text(&mut app, "soon");
    assert_eq!(press(&mut app, ctrl('c')), Some(Effect::Quit));
    assert!(app.quit);
    assert_eq!(app.results().answers[0].remediation, None);
}

// ---------------------------------------------------------------------------
// Carried answers

fn carried_app() -> App {
    let mut app = review_app();
    for i in [0, 1] {
        let a = &mut app.edit().answers[i];
        a.status = Status::Pass;
        a.by = "Previous Reviewer".into();
        a.at = Some("2026-08-01T12:00:00Z".parse().unwrap());
        a.carried = Some(Carried { from: "2026-Q3".parse().unwrap(), status: Status::Pass, changed: false });
    }
    app
}

#[test]
fn c_confirms_a_carried_answer() {
    let mut app = carried_app();
    assert!(app.needs_attention(0));
    assert_eq!(press(&mut app, ch('c')), Some(Effect::Save));
    let a = &app.results().answers[0];
    assert_eq!(a.carried, None);
    assert_eq!(a.status, Status::Pass, "the status is kept");
    assert_eq!(a.by, REVIEWER);
    assert_eq!(a.at, Some(now()));
    assert!(!app.needs_attention(0));
    assert_eq!(message(&app), format!("{}: confirmed pass from 2026-Q3.", app.item(0).id));
    assert_eq!(app.selected, 1, "moves on to the next item to answer or confirm (a carried one)");
    // Nothing to confirm on an item that is not carried.
    app.selected = 0;
    assert_eq!(press(&mut app, ch('c')), None);
    assert!(message(&app).contains("not carried"));
}

#[test]
fn c_refuses_when_the_item_changed_since() {
    let mut app = carried_app();
    app.edit().answers[1].digest = "sha256:0000000000000000".into();
    app.selected = 1;
    assert_eq!(press(&mut app, ch('c')), None);
    let (level, msg) = app.message.clone().unwrap();
    assert_eq!(level, Level::Warn);
    assert!(msg.contains("changed"), "{msg}");
    let a = &app.results().answers[1];
    assert!(a.carried.is_some());
    assert_eq!(a.by, "Previous Reviewer");
    assert_eq!(app.selected, 1);
    // Answering it again clears the carried mark and the staleness.
    assert_eq!(press(&mut app, ch('p')), Some(Effect::Save));
    assert_eq!(app.results().answers[1].carried, None);
    assert_eq!(app.results().answers[1].digest, app.item_digest(1).to_string());
    assert!(!app.needs_attention(1));
    // A carry marked as changed (the item changed between the quarters) is refused too.
    let mut app = carried_app();
    app.edit().answers[0].carried.as_mut().unwrap().changed = true;
    assert_eq!(press(&mut app, ch('c')), None);
    assert!(message(&app).contains("changed"), "{}", message(&app));
    assert!(app.results().answers[0].carried.is_some());
}

#[test]
fn ctrl_l_asks_for_a_redraw_in_every_mode_and_changes_nothing() {
    let mut apps = vec![new_app(), review_app()];
    for open in ['f', 'n', 'e', 'a', '/', '?', 'S'] {
        let mut app = review_app();
        press(&mut app, ch(open));
        apps.push(app);
    }
    for mut app in apps {
        let before = std::mem::discriminant(&app.mode);
        let results = app.results().clone();
        assert_eq!(press(&mut app, ctrl('l')), Some(Effect::Redraw));
        assert_eq!(std::mem::discriminant(&app.mode), before);
        assert_eq!(*app.results(), results);
        assert!(!app.quit);
    }
}

// ---------------------------------------------------------------------------
// Help

#[test]
fn help_opens_scrolls_and_closes_on_any_other_key() {
    let mut app = review_app();
    assert_eq!(press(&mut app, ch('?')), None);
    assert!(matches!(app.mode, Mode::Help { scroll: 0, .. }));
    press(&mut app, ch('j'));
    press(&mut app, ch(' '));
    assert!(matches!(app.mode, Mode::Help { scroll: 11, .. }));
    press(&mut app, ch('k'));
    assert!(matches!(app.mode, Mode::Help { scroll: 10, .. }));
    assert_eq!(press(&mut app, ch('p')), None, "the key that closes the help does not answer");
    assert!(matches!(app.mode, Mode::Review));
    assert_eq!(app.results().answers[0].status, Status::Unreviewed);
    press(&mut app, key(KeyCode::F(1)));
    assert!(matches!(app.mode, Mode::Help { scroll: 0, .. }));
}

#[test]
fn a_carried_quarter_is_confirmed_in_a_third_of_the_keys() {
    // Every item carried from last quarter, a few of them changed since: the confirmation
    // step of `new --from`. With c alone it took two keys an answer (c, then move on);
    // C confirms an area after one prompt.
    let mut app = review_app();
    let n = app.item_count();
    for i in 0..n {
        let mut results = app.edit();
        let a = &mut results.answers[i];
        a.status = if i % 5 == 0 { Status::NotApplicable } else { Status::Pass };
        a.reason = "No such feature.".into();
        a.carried = Some(Carried { from: "2026-Q3".parse().unwrap(), status: a.status, changed: false });
    }
    let carried = app.results().progress().to_confirm;
    assert_eq!(carried, n);
    // C, y: the area is confirmed and the review moves to the next item to do, in the
    // next area.
    let mut keys = 0;
    while app.results().progress().to_confirm > 0 && keys < 10 * app.set.checklists.len() {
        press(&mut app, ch('C'));
        press(&mut app, ch('y'));
        keys += 2;
    }
    assert_eq!(app.results().progress().to_confirm, 0, "everything confirmed");
    assert_eq!(app.results().progress().answered(), n);
    let before = 2 * carried;
    assert!(keys * 3 <= before, "{keys} keys to confirm {carried} answers (before: {before})");
}

#[test]
fn c_prompts_with_the_count_and_any_other_key_keeps_them() {
    let mut app = carried_app();
    assert_eq!(press(&mut app, ch('C')), None);
    assert!(matches!(app.mode, Mode::ConfirmArea { count: 2, .. }), "the prompt names the count");
    assert_eq!(press(&mut app, ch('n')), None);
    assert_eq!(message(&app), "Nothing confirmed.");
    assert_eq!(app.results().progress().to_confirm, 2);
    press(&mut app, ch('C'));
    assert_eq!(press(&mut app, ch('y')), Some(Effect::Save));
    assert_eq!(app.results().progress().to_confirm, 0);
    assert!(message(&app).starts_with("Confirmed 2 carried answers in"), "{}", message(&app));
}

#[test]
fn editing_a_carried_note_remediation_or_reason_confirms_it() {
    let mut app = carried_app();
    press(&mut app, ch('e'));
    type_text(&mut app, " Checked again.");
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(app.results().answers[0].carried, None, "the note edit confirmed it");
    assert!(app.results().answers[1].carried.is_some());
}

/// A review whose every item passed, signed off (unsigned: no key) by `who` as reviewer,
/// opened again.
fn signed_app() -> (App, Results) {
    let mut app = review_app();
    for i in 0..app.item_count() {
        app.edit().answers[i].status = Status::Pass;
    }
    let mut results = app.results().clone();
    let digest = results.content_digest();
    results.signoffs.push(privcheck::model::results::SignOff {
        name: "Ann Example".into(),
        email: "ann@example.com".into(),
        role: "reviewer".into(),
        at: now(),
        digest,
        key: None,
        signature: None,
    });
    assert!(results.is_signed());
    let app = App::new(ui_set(), results.clone(), PathBuf::from("privcheck-2026-Q4.toml"), today())
        .with_identity(REVIEWER, signer());
    (app, results)
}

#[test]
fn z_undoes_each_change_in_turn_exactly() {
    let mut app = review_app();
    let start = app.results().clone();
    assert_eq!(press(&mut app, ch('z')), None);
    assert_eq!(message(&app), "Nothing to undo.");
    press(&mut app, ch('p'));
    let after_pass = app.results().clone();
    let second = app.selected;
    press(&mut app, ch('f'));
    type_text(&mut app, "Bob");
    press(&mut app, key(KeyCode::Tab));
    type_text(&mut app, "2027-01-31");
    press(&mut app, key(KeyCode::Tab));
    type_text(&mut app, "SEC-1");
    press(&mut app, key(KeyCode::Enter));
    press(&mut app, ch('e'));
    type_text(&mut app, "checked");
    press(&mut app, key(KeyCode::Esc));
    press(&mut app, ch('a'));
    type_text(&mut app, "https://example.com/x");
    press(&mut app, key(KeyCode::Enter));
    // Evidence, note, remediation, the fail: four steps back to after the pass.
    for expect in ["evidence", "note", "remediation", "fail"] {
        assert_eq!(press(&mut app, ch('z')), Some(Effect::Save), "undo the {expect}");
        assert!(message(&app).starts_with("Undone: "), "{}", message(&app));
    }
    assert_eq!(app.results(), &after_pass);
    assert_eq!(app.selected, second, "the item that came back is selected");
    press(&mut app, ch('z'));
    assert_eq!(app.results(), &start, "times and names included");
    let id = app.item(0).id.clone();
    assert_eq!(message(&app), format!("Undone: {id} is back to unreviewed."));
    assert_eq!(app.selected, 0);
    assert_eq!(press(&mut app, ch('z')), None);
}

#[test]
fn a_signed_review_opens_for_viewing_and_undoing_every_change_gives_the_sign_off_back() {
    let (mut app, signed) = signed_app();
    assert!(message(&app).contains("viewing"), "{}", message(&app));
    // The first change asks; any key but y keeps viewing, and nothing changed.
    assert_eq!(press(&mut app, ch('f')), None);
    assert!(matches!(app.mode, Mode::ConfirmEdit { .. }), "{:?}", app.mode);
    press(&mut app, ch('q'));
    assert!(matches!(app.mode, Mode::Review));
    assert!(!app.quit, "q at the question keeps viewing, it does not quit");
    assert_eq!(message(&app), "Still viewing: the sign-off stands.");
    assert_eq!(app.results(), &signed);
    // Moving and reading do not ask.
    press(&mut app, ch('j'));
    press(&mut app, key(KeyCode::Enter));
    press(&mut app, key(KeyCode::Esc));
    assert!(matches!(app.mode, Mode::Review));
    // y edits: the key that asked is replayed.
    let i = app.selected;
    press(&mut app, ch('u'));
    assert_eq!(press(&mut app, ch('y')), Some(Effect::Save));
    assert_eq!(app.results().answers[i].status, Status::Unreviewed);
    assert!(!app.results().is_signed(), "the change voids the sign-off");
    // Later changes do not ask again.
    press(&mut app, ch('p'));
    assert!(matches!(app.mode, Mode::Review));
    // Undoing both gives back the signed content, exactly: the sign-off is valid again.
    press(&mut app, ch('z'));
    press(&mut app, ch('z'));
    assert_eq!(app.results(), &signed);
    assert!(app.results().is_signed());
}

#[test]
fn a_signed_review_asks_on_the_scope_screen_too() {
    let (mut app, signed) = signed_app();
    press(&mut app, ch('s'));
    let Mode::Scope(i) = app.mode else { panic!("{:?}", app.mode) };
    press(&mut app, ch('n'));
    assert!(matches!(app.mode, Mode::ConfirmEdit { scope: Some(s), .. } if s == i), "{:?}", app.mode);
    press(&mut app, key(KeyCode::Esc));
    assert!(matches!(app.mode, Mode::Scope(s) if s == i), "back on the scope question");
    assert_eq!(app.results(), &signed);
}

#[test]
fn answer_keys_do_nothing_when_the_list_shows_no_item() {
    let mut app = review_app();
    press(&mut app, ch('/'));
    type_text(&mut app, "zzzz-no-such-words");
    press(&mut app, key(KeyCode::Enter));
    assert!(app.visible().is_empty());
    let before = app.results().clone();
    for k in ['p', 'f', 'n', 'u', 'c', 'e', 'a', 'x', 'r', 'R'] {
        assert_eq!(press(&mut app, ch(k)), None, "{k}");
        assert!(matches!(app.mode, Mode::Review), "{k} opened {:?}", app.mode);
        assert!(message(&app).starts_with("No item selected"), "{k}: {}", message(&app));
    }
    assert_eq!(app.results(), &before);
}

#[test]
fn an_item_that_leaves_the_filtered_list_is_no_longer_selected() {
    let mut app = review_app();
    app.filter = Filter::Unanswered;
    let first = app.visible()[0];
    app.selected = first;
    press(&mut app, ch('n'));
    type_text(&mut app, "no such data");
    press(&mut app, key(KeyCode::Enter));
    assert!(!app.visible().contains(&first), "answered, it left the unanswered list");
    assert!(app.visible().contains(&app.selected), "the selection is an item on screen");
    assert_ne!(app.selected, first);
}

#[test]
fn a_status_message_goes_with_the_next_key() {
    let mut app = review_app();
    press(&mut app, ch('v'));
    assert_eq!(message(&app), "Showing unanswered items.");
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(message(&app), "Filter cleared.");
    press(&mut app, ch('/'));
    type_text(&mut app, "data");
    assert_eq!(message(&app), "", "Filter cleared. stays up while a new search is typed");
    press(&mut app, key(KeyCode::Enter));
    press(&mut app, ch('j'));
    assert_eq!(app.message, None);
}

/// The UI set with its two policy versions declared, newest first.
fn versioned_set() -> privcheck::model::checklist::ChecklistSet {
    use privcheck::model::checklist::Document;
    let mut set = ui_set();
    for (file, effective) in
        [("example-market-2024-03-01.txt", "2024-03-01"), ("example-market-2021-06.txt", "2021-06")]
    {
        set.documents.push(Document {
            file: file.into(),
            title: format!("Example Market Privacy Policy, {effective}"),
            effective: effective.into(),
            applies_to: None,
            headings: Vec::new(),
            subheadings: Vec::new(),
        });
    }
    set
}

#[test]
fn a_new_review_asks_which_policy_version_is_in_force_newest_by_default() {
    let set = versioned_set();
    let results = Results::new("Checkout", period(), &set);
    let mut app =
        App::new(set, results, PathBuf::from("privcheck-2026-Q4.toml"), today()).with_identity(REVIEWER, signer());
    assert!(matches!(app.mode, Mode::Policy { cursor: 0, scope: Some(0) }), "{:?}", app.mode);
    // Esc decides later: nothing recorded, the scope questions next.
    assert_eq!(press(&mut app, key(KeyCode::Esc)), None);
    assert!(matches!(app.mode, Mode::Scope(0)));
    assert_eq!(app.results().policy, None);
    // v opens the chooser again; Enter records the highlighted (newest) version.
    press(&mut app, ch('v'));
    assert!(matches!(app.mode, Mode::Policy { cursor: 0, .. }));
    assert_eq!(press(&mut app, key(KeyCode::Enter)), Some(Effect::Save));
    assert_eq!(app.results().policy.as_deref(), Some("example-market-2024-03-01.txt"));
    assert!(matches!(app.mode, Mode::Scope(0)));
    // The older one: ↓ Enter; the chooser opens on the recorded one.
    press(&mut app, ch('v'));
    press(&mut app, key(KeyCode::Down));
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(app.results().policy.as_deref(), Some("example-market-2021-06.txt"));
    let gaps = app.results().policy_gaps(&app.set).len();
    assert!(gaps > 0);
    assert!(message(&app).contains(&format!("silent on {gaps} items")), "{}", message(&app));
    press(&mut app, ch('v'));
    assert!(matches!(app.mode, Mode::Policy { cursor: 1, .. }), "{:?}", app.mode);
    press(&mut app, key(KeyCode::Esc));
    // z takes it back.
    press(&mut app, ch('z'));
    assert_eq!(app.results().policy.as_deref(), Some("example-market-2024-03-01.txt"));
}

#[test]
fn a_set_without_declared_versions_does_not_ask() {
    let mut app = new_app();
    assert!(matches!(app.mode, Mode::Scope(_)));
    press(&mut app, ch('v'));
    assert!(matches!(app.mode, Mode::Scope(_)));
    assert!(message(&app).contains("declare no policy versions"), "{}", message(&app));
}

#[test]
fn a_read_only_review_opens_on_the_review_not_on_questions_it_cannot_answer() {
    let set = versioned_set();
    let results = Results::new("Checkout", period(), &set);
    let mut app =
        App::new(set, results, PathBuf::from("privcheck-2026-Q4.toml"), today()).with_identity(REVIEWER, signer());
    assert!(matches!(app.mode, Mode::Policy { .. }));
    app.make_read_only("opened from browse");
    assert!(matches!(app.mode, Mode::Review), "{:?}", app.mode);
    assert_eq!(press(&mut app, ch('p')), None);
    assert!(message(&app).starts_with("Read-only"), "{}", message(&app));
}
