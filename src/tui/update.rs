//! The review's transitions: a key in, the state changed, maybe an effect out for the
//! shell to carry out (save, sign, quit). Pure: no terminal, no files, no clock (the time
//! of an answer is passed in).

use crate::model::results::{Answer, Remediation, Status};
use crate::render::text::clean_typed;
use crate::tui::app::{App, Field, Focus, Form, FormKind, Level, Mode};
use crate::tui::input::Editor;
use crate::tui::keymap::{Action, Screen, action};
use jiff::Timestamp;
use ratatui::crossterm::event::KeyEvent;

/// What the shell must do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The results changed: save them now.
    Save,
    /// Read the file again and re-apply the reviewer's changes (it changed on disk).
    Reload,
    /// Write the answers to a new file beside the results file.
    WriteBeside,
    /// Sign off with this role (the shell runs the signer and saves).
    Sign { role: String },
    /// Leave.
    Quit,
    /// Redraw the whole screen (Ctrl-L), e.g. after line noise.
    Redraw,
}

/// Handles one key press. `now` is the time recorded with an answer.
pub fn handle_key(app: &mut App, key: KeyEvent, now: Timestamp) -> Option<Effect> {
    if action(Screen::Everywhere, key) == Some(Action::Redraw) {
        return Some(Effect::Redraw);
    }
    // A message is about the last thing done: the next key in the review supersedes it.
    if matches!(app.mode, Mode::Review | Mode::Scope(_)) {
        app.message = None;
    }
    // One undo step per key, however many answers it changes.
    app.arm_undo(true);
    let effect = dispatch(app, key, now);
    app.arm_undo(false);
    keep_selection_visible(app);
    effect
}

/// An item that left the filtered list is no longer selected: the next one shown is.
fn keep_selection_visible(app: &mut App) {
    if !matches!(app.mode, Mode::Review) || !app.filtering() {
        return;
    }
    let visible = app.visible();
    if visible.contains(&app.selected) {
        return;
    }
    if let Some(&next) = visible.iter().find(|&&v| v > app.selected).or(visible.last()) {
        select(app, next);
    }
}

fn dispatch(app: &mut App, key: KeyEvent, now: Timestamp) -> Option<Effect> {
    let mode = std::mem::replace(&mut app.mode, Mode::Review);
    match mode {
        Mode::Scope(i) => {
            app.mode = Mode::Scope(i);
            let effect = scope_key(app, i, key, now);
            // Another question: its help from the top.
            if !matches!(app.mode, Mode::Scope(j) if j == i) {
                app.scope_help_scroll = 0;
            }
            effect
        }
        Mode::Review => review_key(app, key, now),
        Mode::Note { item, mut editor } => {
            let act = action(Screen::Note, key);
            if matches!(act, Some(Action::Cancel | Action::Quit)) {
                let text = clean_typed(&editor.text()).trim_end().to_string();
                let effect = if app.results().answers[item].note != text {
                    change(app, item, now, |a| {
                        a.note = text;
                        confirm_carried(a);
                    });
                    Some(Effect::Save)
                } else {
                    None
                };
                if act == Some(Action::Quit) {
                    app.quit = true;
                    return Some(effect.map_or(Effect::Quit, |_| Effect::Save));
                }
                app.message = Some((Level::Info, "Note kept.".into()));
                effect
            } else {
                editor.handle(key);
                app.mode = Mode::Note { item, editor };
                None
            }
        }
        Mode::Form(form) => form_key(app, form, key, now),
        Mode::Search { mut input, before } => {
            match action(Screen::Search, key) {
                Some(Action::Cancel) => app.search = before,
                Some(Action::Keep) => {
                    app.search = input.text().trim().to_string();
                    select_first_visible(app);
                }
                Some(Action::Quit) => {
                    app.quit = true;
                    return Some(Effect::Quit);
                }
                _ => {
                    input.handle(key);
                    app.search = input.text();
                    select_first_visible(app);
                    app.mode = Mode::Search { input, before };
                }
            }
            None
        }
        Mode::ConfirmSign { role, scroll } => match action(Screen::SignOff, key) {
            Some(Action::Sign) => Some(Effect::Sign { role }),
            Some(Action::ChangeRole) => {
                let role = if role == "reviewer" { "approver".to_string() } else { "reviewer".to_string() };
                app.message = Some((Level::Info, format!("Signing as {role}.")));
                app.mode = Mode::ConfirmSign { role, scroll };
                None
            }
            Some(act @ (Action::Up | Action::Down)) => {
                let scroll = if act == Action::Up { scroll.saturating_sub(1) } else { scroll.saturating_add(1) };
                app.mode = Mode::ConfirmSign { role, scroll };
                None
            }
            Some(Action::Quit) => {
                app.quit = true;
                Some(Effect::Quit)
            }
            Some(Action::Cancel) => {
                app.message = Some((Level::Info, "Sign-off cancelled.".into()));
                None
            }
            _ => {
                app.mode = Mode::ConfirmSign { role, scroll };
                None
            }
        },
        Mode::Blockers(_) | Mode::Help { .. } if action(Screen::Overlay, key) == Some(Action::Quit) => {
            app.quit = true;
            Some(Effect::Quit)
        }
        Mode::Blockers(scroll) => {
            if let Some(s) = scroll_key(key, scroll) {
                app.mode = Mode::Blockers(s);
            }
            None
        }
        Mode::ConfirmArea { area, count } => match action(Screen::Question, key) {
            Some(Action::Yes) => {
                let items = confirmable(app, area);
                for &i in &items {
                    change(app, i, now, |a| a.carried = None);
                }
                let title = app.set.checklists[area].title.clone();
                app.message = Some((
                    Level::Info,
                    format!(
                        "Confirmed {} carried {} in {title}.",
                        items.len(),
                        crate::tui::view::plural(items.len(), "answer", "answers")
                    ),
                ));
                advance(app);
                Some(Effect::Save)
            }
            Some(Action::Quit) => quit(app),
            _ => {
                let _ = count;
                app.message = Some((Level::Info, "Nothing confirmed.".into()));
                None
            }
        },
        Mode::ConfirmEdit { pending, scope } => {
            app.mode = match scope {
                Some(i) => Mode::Scope(i),
                None => Mode::Review,
            };
            match action(Screen::Question, key) {
                Some(Action::Yes) => {
                    app.signed_by = None;
                    dispatch(app, pending, now)
                }
                Some(Action::Quit) => quit(app),
                _ => {
                    app.message = Some((Level::Info, "Still viewing: the sign-off stands.".into()));
                    None
                }
            }
        }
        Mode::Policy { cursor, scope } => {
            let n = app.set.policy_versions().len();
            let back = |app: &mut App| {
                app.mode = match scope {
                    Some(i) => Mode::Scope(i),
                    None => Mode::Review,
                }
            };
            match action(Screen::Policy, key) {
                Some(Action::Up) => app.mode = Mode::Policy { cursor: cursor.saturating_sub(1), scope },
                Some(Action::Down) => app.mode = Mode::Policy { cursor: (cursor + 1).min(n.saturating_sub(1)), scope },
                Some(Action::Save) => {
                    back(app);
                    let file = app.set.policy_versions().get(cursor).map(|d| d.file.clone())?;
                    if app.results().policy.as_deref() == Some(file.as_str()) {
                        app.message = Some((Level::Info, format!("{} stays the version in force.", file)));
                        return None;
                    }
                    before_edit(app);
                    app.edit_with(|results, _| results.policy = Some(file.clone()));
                    let gaps = app.results().policy_gaps(&app.set).len();
                    app.message = Some((
                        Level::Info,
                        format!(
                            "Version in force: {file}; it is silent on {gaps} {} that apply.",
                            crate::tui::view::plural(gaps, "item", "items")
                        ),
                    ));
                    return Some(Effect::Save);
                }
                Some(Action::Quit) => return quit(app),
                Some(Action::Cancel) => {
                    back(app);
                    app.message = Some((Level::Info, "No version recorded: v on the scope screen chooses it.".into()));
                }
                _ => app.mode = Mode::Policy { cursor, scope },
            }
            None
        }
        Mode::ConfirmScope { index, count } => {
            app.mode = Mode::Scope(index);
            match action(Screen::Question, key) {
                Some(Action::Yes) => answer_scope(app, index, false, now),
                Some(Action::Quit) => quit(app),
                _ => {
                    let _ = count;
                    app.message = Some((Level::Info, "Scope not changed.".into()));
                    None
                }
            }
        }
        Mode::Changed => match action(Screen::Changed, key) {
            Some(Action::Reload) => Some(Effect::Reload),
            Some(Action::WriteBeside) => Some(Effect::WriteBeside),
            Some(Action::Cancel) => {
                app.message = Some((
                    Level::Warn,
                    "Not saved: your answers are kept in memory; the next change asks again.".into(),
                ));
                None
            }
            _ => {
                app.mode = Mode::Changed;
                None
            }
        },
        Mode::Unsaved => match action(Screen::Unsaved, key) {
            Some(Action::WriteBeside) => {
                // Still quitting: once they are written, the review ends.
                app.mode = Mode::Unsaved;
                Some(Effect::WriteBeside)
            }
            Some(Action::Quit) => {
                app.quit = true;
                Some(Effect::Quit)
            }
            Some(Action::Cancel) => None,
            _ => {
                app.mode = Mode::Unsaved;
                None
            }
        },
        Mode::Help { scroll, scope } => {
            app.mode = match (scroll_key(key, scroll), scope) {
                (Some(scroll), _) => Mode::Help { scroll, scope },
                (None, Some(i)) => Mode::Scope(i),
                (None, None) => Mode::Review,
            };
            None
        }
    }
}

/// A paste (bracketed paste): one insertion into the note, form field or search being
/// edited; elsewhere it is not taken for keys (a pasted `p` must not pass an item).
pub fn handle_paste(app: &mut App, text: &str) -> Option<Effect> {
    match &mut app.mode {
        Mode::Note { editor, .. } => editor.paste(text),
        Mode::Form(form) => {
            let focus = form.focus;
            form.fields[focus].input.paste(text);
            form.error = None;
        }
        Mode::Search { input, .. } => {
            input.paste(text);
            app.search = input.text();
            select_first_visible(app);
        }
        _ => {
            app.message = Some((Level::Info, "Paste into a note (e), a form or a search (/).".into()));
        }
    }
    None
}

/// Quits, unless answers are not on disk: then asks first (the second q quits).
fn quit(app: &mut App) -> Option<Effect> {
    if app.saved != crate::tui::app::Saved::Yes && app.unsaved() > 0 {
        app.mode = Mode::Unsaved;
        return None;
    }
    app.quit = true;
    Some(Effect::Quit)
}

/// Scrolling in an overlay; `None` closes it.
fn scroll_key(key: KeyEvent, scroll: u16) -> Option<u16> {
    match action(Screen::Overlay, key)? {
        Action::Down => Some(scroll.saturating_add(1)),
        Action::Up => Some(scroll.saturating_sub(1)),
        Action::PageDown => Some(scroll.saturating_add(10)),
        Action::PageUp => Some(scroll.saturating_sub(10)),
        _ => None,
    }
}

/// Can `key` not change the review now? Read-only: says so. Signed and only being looked
/// at: asks first (and `y` replays the key). `scope` is the scope question on screen.
fn blocked(app: &mut App, key: KeyEvent, scope: Option<usize>) -> bool {
    if let Some(why) = &app.read_only {
        app.message = Some((Level::Warn, format!("Read-only: {why}; answer keys do nothing.")));
        return true;
    }
    if app.signed_by.is_some() {
        app.mode = Mode::ConfirmEdit { pending: key, scope };
        return true;
    }
    false
}

/// Is the selected item on screen? With a filter or search that shows nothing, answer keys
/// have no item to act on, and say so.
fn no_item(app: &mut App) -> bool {
    if app.filtering() && !app.visible().contains(&app.selected) {
        app.message = Some((Level::Info, "No item selected: nothing matches (Esc clears the filter).".into()));
        return true;
    }
    false
}

/// Undoes the last change, saying what came back.
fn undo(app: &mut App) -> Option<Effect> {
    match app.undo() {
        Some(what) => {
            let left = app.undo_steps();
            let more = if left > 0 { format!(" ({left} more)") } else { String::new() };
            app.message = Some((Level::Info, format!("Undone: {what}.{more}")));
            Some(Effect::Save)
        }
        None => {
            app.message = Some((Level::Info, "Nothing to undo.".into()));
            None
        }
    }
}

/// Editing a carried answer's note, remediation or reason confirms it: the reviewer has
/// looked at it for this period. (An answer whose item changed since stays to answer again.)
fn confirm_carried(a: &mut Answer) {
    if a.carried.as_ref().is_some_and(|c| !c.changed) {
        a.carried = None;
    }
}

/// Before any change to the content: results of an earlier schema move to the current one
/// (the change voids their sign-offs anyway).
fn before_edit(app: &mut App) {
    if app.results().schema < crate::model::results::SCHEMA {
        app.edit_with(|results, set| results.upgrade(set));
    }
}

/// Changes the answer to item `i` and records who and when.
fn change(app: &mut App, i: usize, now: Timestamp, f: impl FnOnce(&mut Answer)) {
    before_edit(app);
    let digest = app.item_digest(i).to_string();
    let reviewer = app.reviewer.clone();
    let mut results = app.edit();
    let a = &mut results.answers[i];
    f(a);
    a.by = reviewer;
    a.at = Some(now);
    a.auto = false;
    a.digest = digest;
}

fn scope_key(app: &mut App, i: usize, key: KeyEvent, now: Timestamp) -> Option<Effect> {
    let n = app.set.scope.len();
    match action(Screen::Scope, key)? {
        act @ (Action::Yes | Action::No) => {
            if blocked(app, key, Some(i)) {
                return None;
            }
            let yes = act == Action::Yes;
            let count = app.results().answered_in_scope(&app.set, &app.set.scope[i].id).len();
            if !yes && count > 0 && app.results().scope.get(&app.set.scope[i].id) != Some(&false) {
                app.mode = Mode::ConfirmScope { index: i, count };
                return None;
            }
            answer_scope(app, i, yes, now)
        }
        Action::Undo => undo(app),
        Action::ChoosePolicy => {
            if app.set.policy_versions().is_empty() {
                app.message = Some((Level::Info, "These checklists declare no policy versions to choose from.".into()));
                return None;
            }
            if blocked(app, key, Some(i)) {
                return None;
            }
            let current = app.results().policy.as_deref();
            let cursor = app.set.policy_versions().iter().position(|d| Some(d.file.as_str()) == current).unwrap_or(0);
            app.mode = Mode::Policy { cursor, scope: Some(i) };
            None
        }
        Action::Up => {
            app.mode = Mode::Scope(i.saturating_sub(1));
            None
        }
        Action::PageDown => {
            app.scope_help_scroll = app.scope_help_scroll.saturating_add(5);
            None
        }
        Action::PageUp => {
            app.scope_help_scroll = app.scope_help_scroll.saturating_sub(5);
            None
        }
        Action::Down => {
            app.mode = Mode::Scope((i + 1).min(n.saturating_sub(1)));
            None
        }
        Action::Back => {
            app.mode = Mode::Review;
            None
        }
        Action::Help => {
            app.mode = Mode::Help { scroll: 0, scope: Some(i) };
            None
        }
        Action::Quit => quit(app),
        _ => None,
    }
}

/// Answers scope question `i`; a "no" makes the items that need it not applicable (their
/// own answers too, once the reviewer said yes to that in [`Mode::ConfirmScope`]).
fn answer_scope(app: &mut App, i: usize, yes: bool, now: Timestamp) -> Option<Effect> {
    before_edit(app);
    let id = app.set.scope[i].id.clone();
    let changed = app.edit_with(|results, set| {
        results.scope.insert(id.clone(), yes);
        if yes { results.apply_scope(set, SCOPE_BY, now) } else { results.apply_scope_no(set, &id, SCOPE_BY, now) }
    });
    let changed = if changed > 0 {
        format!(" {changed} {} by scope.", crate::tui::view::plural(changed, "item changed", "items changed"))
    } else {
        String::new()
    };
    app.message = Some((Level::Info, format!("Scope: {id} {}.{changed}", if yes { "yes" } else { "no" })));
    let n = app.set.scope.len();
    app.mode = match app.first_unanswered_scope() {
        Some(next) => Mode::Scope(next),
        None if i + 1 < n => Mode::Scope(i + 1),
        None => Mode::Review,
    };
    Some(Effect::Save)
}

/// Who the results record for answers that scope set.
const SCOPE_BY: &str = "privcheck (scope)";

fn move_in_visible(app: &mut App, delta: isize) {
    let visible = app.visible();
    if visible.is_empty() {
        return;
    }
    let pos = visible.iter().position(|&i| i == app.selected);
    let next = match (pos, delta) {
        (None, _) => 0,
        (Some(p), d) => (p as isize + d).clamp(0, visible.len() as isize - 1) as usize,
    };
    select(app, visible[next]);
}

fn select(app: &mut App, i: usize) {
    if app.selected != i {
        app.selected = i;
        app.detail_scroll = 0;
    }
}

fn select_first_visible(app: &mut App) {
    let visible = app.visible();
    if !visible.contains(&app.selected)
        && let Some(&first) = visible.first()
    {
        select(app, first);
    }
}

/// The next item needing action after the selected one, in checklist order, wrapping:
/// unanswered, or carried and not yet confirmed.
fn next_needing_action(app: &App) -> Option<usize> {
    let n = app.item_count();
    let visible = app.filtering().then(|| app.visible());
    (1..=n).map(|d| (app.selected + d) % n).find(|&i| {
        let a = &app.results().answers[i];
        (a.status == Status::Unreviewed || a.to_confirm()) && visible.as_ref().is_none_or(|v| v.contains(&i))
    })
}

/// Moves to the next item needing action, or says there is none and what is left.
fn advance(app: &mut App) {
    match next_needing_action(app) {
        Some(i) => select(app, i),
        None if app.results().signoff_blockers(&app.set).is_empty() => {
            app.message = Some((Level::Info, "Every item is answered. Press S to sign off.".into()));
        }
        None => {
            let n = app.results().signoff_blockers(&app.set).len();
            app.message = Some((
                Level::Info,
                format!(
                    "Every item is answered; {n} {} before sign-off (v shows them).",
                    crate::tui::view::plural(n, "problem remains", "problems remain")
                ),
            ));
        }
    }
}

/// The carried answers of `area` that can be confirmed as they are: unchanged items whose
/// answer is still the carried one.
fn confirmable(app: &App, area: usize) -> Vec<usize> {
    app.area_range(area)
        .filter(|&i| {
            let a = &app.results().answers[i];
            a.to_confirm() && a.digest == app.item_digest(i)
        })
        .collect()
}

fn form(kind: FormKind, item: usize, fields: Vec<(&'static str, &str)>) -> Mode {
    Mode::Form(Form {
        kind,
        item,
        fields: fields.into_iter().map(|(label, v)| Field { label, input: Editor::line(v) }).collect(),
        focus: 0,
        error: None,
        revert: false,
    })
}

/// The remediation form of item `i`; `revert` when it opened with the fail that asks for it
/// (Esc then takes the fail back too).
fn remediation_form(app: &App, i: usize, revert: bool) -> Mode {
    let r = app.results().answers[i].remediation.clone().unwrap_or_default();
    let due = r.due.map(|d| d.to_string()).unwrap_or_default();
    let mut mode =
        form(FormKind::Remediation, i, vec![("Owner", &r.owner), ("Due (YYYY-MM-DD)", &due), ("Ticket", &r.ticket)]);
    if let Mode::Form(f) = &mut mode {
        f.revert = revert;
    }
    mode
}

/// The reason form of item `i`; `revert` as for [`remediation_form`].
fn reason_form(app: &App, i: usize, revert: bool) -> Mode {
    let mut mode = form(FormKind::Reason, i, vec![("Reason", &app.results().answers[i].reason)]);
    if let Mode::Form(f) = &mut mode {
        f.revert = revert;
    }
    mode
}

fn review_key(app: &mut App, key: KeyEvent, now: Timestamp) -> Option<Effect> {
    let action = action(Screen::Review, key)?;
    let i = app.selected;
    let detail = app.focus == Focus::Detail;
    match action {
        Action::Up if detail => app.detail_scroll = app.detail_scroll.saturating_sub(1),
        Action::Down if detail => app.detail_scroll = app.detail_scroll.saturating_add(1),
        Action::Up => move_in_visible(app, -1),
        Action::Down => move_in_visible(app, 1),
        Action::Top => move_in_visible(app, isize::MIN / 2),
        Action::Bottom => move_in_visible(app, isize::MAX / 2),
        Action::PageDown => app.detail_scroll = app.detail_scroll.saturating_add(8),
        Action::PageUp => app.detail_scroll = app.detail_scroll.saturating_sub(8),
        Action::NextArea | Action::PrevArea => {
            let areas = app.set.checklists.len();
            let step = if action == Action::NextArea { 1 } else { areas - 1 };
            let visible = app.visible();
            let mut area = app.area();
            for _ in 0..areas {
                area = (area + step) % areas;
                let range = app.area_range(area);
                let first = if app.filtering() {
                    visible.iter().copied().find(|v| range.contains(v))
                } else {
                    Some(range.start)
                };
                if let Some(first) = first {
                    select(app, first);
                    break;
                }
            }
            app.focus = Focus::Items;
        }
        Action::Open => app.focus = Focus::Detail,
        Action::Back if detail => app.focus = Focus::Items,
        Action::Back if app.filtering() => {
            app.filter = Default::default();
            app.severity = None;
            app.search.clear();
            app.message = Some((Level::Info, "Filter cleared.".into()));
        }
        Action::Back => {}
        Action::Set(status) => {
            if no_item(app) || blocked(app, key, None) {
                return None;
            }
            change(app, i, now, |a| {
                a.status = status;
                a.carried = None;
            });
            app.message = Some((Level::Info, format!("{}: {}.", app.item(i).id, status.label())));
            match status {
                Status::Fail => app.mode = remediation_form(app, i, true),
                Status::NotApplicable => app.mode = reason_form(app, i, true),
                Status::Pass => advance(app),
                Status::Unreviewed => {}
            }
            return Some(Effect::Save);
        }
        Action::Confirm => {
            if no_item(app) || blocked(app, key, None) {
                return None;
            }
            let Some(carried) = app.results().answers[i].carried.clone() else {
                app.message = Some((Level::Info, "This answer is not carried: nothing to confirm.".into()));
                return None;
            };
            if carried.changed || app.results().answers[i].digest != app.item_digest(i) {
                app.message = Some((Level::Warn, "The item changed since: answer it again (p, f or n).".into()));
                return None;
            }
            change(app, i, now, |a| a.carried = None);
            app.message = Some((
                Level::Info,
                format!("{}: confirmed {} from {}.", app.item(i).id, carried.status.label(), carried.from),
            ));
            advance(app);
            return Some(Effect::Save);
        }
        Action::ConfirmArea => {
            if no_item(app) || blocked(app, key, None) {
                return None;
            }
            let area = app.area();
            let n = confirmable(app, area).len();
            if n == 0 {
                app.message = Some((Level::Info, "No carried answer in this area is left to confirm.".into()));
                return None;
            }
            app.mode = Mode::ConfirmArea { area, count: n };
        }
        Action::NextUnanswered => advance(app),
        Action::Undo => return undo(app),
        Action::EditNote => {
            if no_item(app) || blocked(app, key, None) {
                return None;
            }
            let editor = Editor::lines(&app.results().answers[i].note);
            app.mode = Mode::Note { item: i, editor: Box::new(editor) };
        }
        Action::EditRemediation => {
            if no_item(app) || blocked(app, key, None) {
                return None;
            }
            if app.results().answers[i].status != Status::Fail {
                app.message = Some((Level::Info, "Only a failed item has a remediation (f to fail it).".into()));
            } else {
                app.mode = remediation_form(app, i, false);
            }
        }
        Action::EditReason => {
            if no_item(app) || blocked(app, key, None) {
                return None;
            }
            if app.results().answers[i].status != Status::NotApplicable {
                app.message = Some((Level::Info, "Only a not-applicable item has a reason (n to mark it).".into()));
            } else {
                app.mode = reason_form(app, i, false);
            }
        }
        Action::AddEvidence => {
            if no_item(app) || blocked(app, key, None) {
                return None;
            }
            app.mode = form(FormKind::AddEvidence, i, vec![("Evidence (link, ticket or path)", "")]);
        }
        Action::RemoveEvidence => {
            if no_item(app) || blocked(app, key, None) {
                return None;
            }
            let n = app.results().answers[i].evidence.len();
            if n == 0 {
                app.message = Some((Level::Info, "This item has no evidence to remove.".into()));
            } else {
                let default = n.to_string();
                app.mode = form(FormKind::RemoveEvidence, i, vec![("Remove evidence number", &default)]);
            }
        }
        Action::Search => {
            app.mode = Mode::Search { input: Box::new(Editor::line(&app.search)), before: app.search.clone() };
        }
        Action::CycleFilter => {
            app.filter = app.filter.next();
            select_first_visible(app);
            app.message = Some((Level::Info, app.filter.showing().into()));
        }
        Action::CycleSeverity => {
            use crate::model::checklist::Severity;
            app.severity = match app.severity {
                None => Some(Severity::Critical),
                Some(Severity::Critical) => Some(Severity::High),
                Some(Severity::High) => Some(Severity::Medium),
                Some(Severity::Medium) => Some(Severity::Low),
                Some(Severity::Low) => None,
            };
            select_first_visible(app);
            let what = app.severity.map_or("every severity".to_string(), |s| format!("{s} items only"));
            app.message = Some((Level::Info, format!("Showing {}: {what}.", app.filter.label())));
        }
        Action::ToggleIds => app.show_ids = !app.show_ids,
        Action::Scope => app.mode = Mode::Scope(app.first_unanswered_scope().unwrap_or(0)),
        Action::SignOff => {
            if app.read_only.is_some() && blocked(app, key, None) {
                return None;
            }
            app.mode = if app.results().signoff_blockers(&app.set).is_empty() {
                Mode::ConfirmSign { role: "reviewer".into(), scroll: 0 }
            } else {
                Mode::Blockers(0)
            };
        }
        Action::Help => app.mode = Mode::Help { scroll: 0, scope: None },
        Action::Quit => return quit(app),
        _ => {}
    }
    None
}

fn form_key(app: &mut App, mut form: Form, key: KeyEvent, now: Timestamp) -> Option<Effect> {
    let n = form.fields.len();
    match action(Screen::Form, key) {
        Some(Action::Cancel) if form.revert => {
            // The status change that opened the form is taken back with it.
            let what = app.undo().unwrap_or_else(|| "nothing changed".into());
            app.message = Some((Level::Info, format!("Cancelled: {what}.")));
            Some(Effect::Save)
        }
        Some(Action::Cancel) => {
            app.message = Some((Level::Info, "Cancelled: nothing changed.".into()));
            None
        }
        Some(Action::NextField) => {
            form.focus = (form.focus + 1) % n;
            app.mode = Mode::Form(form);
            None
        }
        Some(Action::PrevField) => {
            form.focus = (form.focus + n - 1) % n;
            app.mode = Mode::Form(form);
            None
        }
        Some(Action::Save) => submit(app, form, now),
        Some(Action::Quit) => {
            // Keep what was typed if it is valid, then quit.
            let effect = submit(app, form, now);
            app.mode = Mode::Review;
            app.quit = true;
            Some(effect.unwrap_or(Effect::Quit))
        }
        _ => {
            form.fields[form.focus].input.handle(key);
            form.error = None;
            app.mode = Mode::Form(form);
            None
        }
    }
}

fn submit(app: &mut App, mut form: Form, now: Timestamp) -> Option<Effect> {
    let i = form.item;
    let value = |k: usize| form.fields[k].input.text().trim().to_string();
    match form.kind {
        FormKind::Remediation => {
            let due_text = value(1);
            let due = if due_text.is_empty() {
                None
            } else {
                match due_text.parse::<jiff::civil::Date>() {
                    Ok(d) => Some(d),
                    Err(_) => {
                        form.error = Some(format!("{due_text:?} is not a date like 2026-12-31"));
                        form.focus = 1;
                        app.mode = Mode::Form(form);
                        return None;
                    }
                }
            };
            let r = Remediation { owner: value(0), due, ticket: value(2) };
            let missing = r.missing();
            change(app, i, now, |a| {
                a.remediation = Some(r);
                confirm_carried(a);
            });
            app.message = Some(if missing.is_empty() {
                (Level::Info, "Remediation saved.".into())
            } else {
                (Level::Warn, format!("Remediation saved without {}: needed before sign-off.", missing.join(" and ")))
            });
            if missing.is_empty() {
                advance(app);
            }
        }
        FormKind::Reason => {
            let reason = value(0);
            let empty = reason.is_empty();
            change(app, i, now, |a| {
                a.reason = reason;
                confirm_carried(a);
            });
            if empty {
                app.message = Some((Level::Warn, "No reason given: needed before sign-off (R to add it).".into()));
            } else {
                app.message = Some((Level::Info, "Reason saved.".into()));
                advance(app);
            }
        }
        FormKind::AddEvidence => {
            let e = value(0);
            if e.is_empty() {
                app.message = Some((Level::Info, "Nothing added.".into()));
                return None;
            }
            change(app, i, now, |a| a.evidence.push(e));
            app.message = Some((Level::Info, "Evidence added.".into()));
        }
        FormKind::RemoveEvidence => {
            let n = app.results().answers[i].evidence.len();
            match value(0).parse::<usize>() {
                Ok(k) if (1..=n).contains(&k) => {
                    let removed = app.results().answers[i].evidence[k - 1].clone();
                    change(app, i, now, |a| {
                        a.evidence.remove(k - 1);
                    });
                    app.message = Some((Level::Info, format!("Removed evidence {k}: {removed}")));
                }
                _ => {
                    form.error = Some(format!("Give a number from 1 to {n}."));
                    app.mode = Mode::Form(form);
                    return None;
                }
            }
        }
    }
    Some(Effect::Save)
}
