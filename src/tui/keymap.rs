//! Keys as data: one table of bindings ([`BINDINGS`]: screen, keys, action, help text) from
//! which the key lookup ([`action`]), the help overlay, `privcheck help review` and the
//! README's keymap ([`markdown`], checked by a test) are all made. A key that is bound is
//! shown; a key that is shown is bound.

use crate::model::results::Status;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the keyboard is: each screen has its own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The list of items and the item's details.
    Review,
    /// The scope questions.
    Scope,
    /// The chooser of the policy version the product publishes.
    Policy,
    /// The sign-off dialog.
    SignOff,
    /// The help and "not ready to sign off" overlays.
    Overlay,
    /// A question with a yes: confirm an area's carried answers, change a scope answer
    /// that changes answers, edit a signed review.
    Question,
    /// The small forms (remediation, reason, evidence).
    Form,
    /// The note editor.
    Note,
    /// Typing a search.
    Search,
    /// The file changed on disk under the review.
    Changed,
    /// Quitting with answers not on disk.
    Unsaved,
    /// `privcheck browse`: the products, the failures by item, one item across teams.
    Browse,
    /// Every screen: keys that work wherever the keyboard is.
    Everywhere,
}

impl Screen {
    /// The heading of the screen's keys in the help and the README.
    pub fn title(self) -> &'static str {
        match self {
            Screen::Review => "Review",
            Screen::Scope => "Scope questions",
            Screen::Policy => "Choosing the policy version in force",
            Screen::SignOff => "Sign-off dialog",
            Screen::Overlay => "Help and other overlays",
            Screen::Question => "Questions (confirm an area, a scope change, editing a signed review)",
            Screen::Form => "Forms (remediation, reason, evidence)",
            Screen::Note => "Note editor",
            Screen::Search => "Search",
            Screen::Changed => "The file changed on disk",
            Screen::Unsaved => "Quitting with unsaved answers",
            Screen::Browse => "privcheck browse (the roll-up; / filters as Search does)",
            Screen::Everywhere => "Everywhere",
        }
    }

    pub const ALL: [Screen; 13] = [
        Screen::Review,
        Screen::Scope,
        Screen::Policy,
        Screen::SignOff,
        Screen::Overlay,
        Screen::Question,
        Screen::Form,
        Screen::Note,
        Screen::Search,
        Screen::Changed,
        Screen::Unsaved,
        Screen::Browse,
        Screen::Everywhere,
    ];
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    NextArea,
    PrevArea,
    PageDown,
    PageUp,
    Open,
    Back,
    Set(Status),
    Confirm,
    /// Confirm every unchanged carried answer of the current area.
    ConfirmArea,
    NextUnanswered,
    EditNote,
    EditRemediation,
    EditReason,
    AddEvidence,
    RemoveEvidence,
    Search,
    CycleFilter,
    /// Show only critical / high / medium / low items, or all.
    CycleSeverity,
    /// Show or hide the item-id column.
    ToggleIds,
    /// Take back the last change.
    Undo,
    /// Scope screen: choose the policy version in force.
    ChoosePolicy,
    Scope,
    SignOff,
    Help,
    Redraw,
    Quit,
    /// Scope: answer yes / no.
    Yes,
    No,
    /// Sign-off dialog: sign, or change the role.
    Sign,
    ChangeRole,
    /// Close a dialog, form or search without doing anything.
    Cancel,
    /// Forms: the next / previous field, save.
    NextField,
    PrevField,
    Save,
    /// Search: keep the query and go back to the list.
    Keep,
    /// Note: a new line.
    NewLine,
    /// Text editing, done by the input itself (the binding is for the help).
    Edit,
    /// Read the file on disk again and re-apply the reviewer's own changes.
    Reload,
    /// Write the reviewer's answers to a new file beside the results file.
    WriteBeside,
    /// Browse: sort the products, or show the failures by item.
    SortFails,
    SortOverdue,
    SortCompletion,
    SortProduct,
    Items,
}

/// A key: its code, and whether Ctrl is held (Shift is part of the code: `G`, `BackTab`).
pub type Key = (KeyCode, bool);

/// One binding: on `screen`, any of `keys` does `action`, as `help` says.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub screen: Screen,
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
}

const fn b(screen: Screen, keys: &'static [Key], action: Action, help: &'static str) -> Binding {
    Binding { screen, keys, action, help }
}

const fn k(c: char) -> Key {
    (KeyCode::Char(c), false)
}

const fn ctrl(c: char) -> Key {
    (KeyCode::Char(c), true)
}

const UP: Key = (KeyCode::Up, false);
const DOWN: Key = (KeyCode::Down, false);
const LEFT: Key = (KeyCode::Left, false);
const RIGHT: Key = (KeyCode::Right, false);
const ENTER: Key = (KeyCode::Enter, false);
const ESC: Key = (KeyCode::Esc, false);
const TAB: Key = (KeyCode::Tab, false);
const BACKTAB: Key = (KeyCode::BackTab, false);
const HOME: Key = (KeyCode::Home, false);
const END: Key = (KeyCode::End, false);
const PGUP: Key = (KeyCode::PageUp, false);
const PGDN: Key = (KeyCode::PageDown, false);
const F1: Key = (KeyCode::F(1), false);

use Screen::{
    Browse, Changed, Everywhere, Form, Note, Overlay, Policy, Question, Review, Scope, Search, SignOff, Unsaved,
};

/// Every key of the review, screen by screen, in the order the help shows them.
pub const BINDINGS: &[Binding] = &[
    b(Review, &[UP, DOWN, k('k'), k('j')], Action::Down, "previous / next item"),
    b(Review, &[TAB, BACKTAB], Action::NextArea, "next / previous area"),
    b(Review, &[k('g'), k('G'), HOME, END], Action::Top, "first / last item"),
    b(Review, &[ENTER, RIGHT, k('l')], Action::Open, "focus the item (scroll its details with ↑ ↓)"),
    b(Review, &[ESC, LEFT, k('h')], Action::Back, "back to the list; clear the filter"),
    b(Review, &[PGUP, PGDN, ctrl('u'), ctrl('d')], Action::PageDown, "scroll the item's details"),
    b(Review, &[k('p')], Action::Set(Status::Pass), "pass"),
    b(Review, &[k('f')], Action::Set(Status::Fail), "fail (asks for the remediation)"),
    b(Review, &[k('n')], Action::Set(Status::NotApplicable), "not applicable (asks for the reason)"),
    b(Review, &[k('u')], Action::Set(Status::Unreviewed), "back to unreviewed"),
    b(Review, &[k('c')], Action::Confirm, "confirm a carried answer, then go to the next to do"),
    b(Review, &[k('C')], Action::ConfirmArea, "confirm all unchanged carried answers of the area"),
    b(Review, &[(KeyCode::Char(' '), false), k(']')], Action::NextUnanswered, "next item to answer or confirm"),
    b(Review, &[k('e')], Action::EditNote, "edit the note (Esc keeps the text)"),
    b(Review, &[k('r')], Action::EditRemediation, "edit the remediation of a failed item"),
    b(Review, &[k('R')], Action::EditReason, "edit the reason of a not-applicable item"),
    b(Review, &[k('a')], Action::AddEvidence, "add evidence (link, ticket, path)"),
    b(Review, &[k('x')], Action::RemoveEvidence, "remove evidence"),
    b(Review, &[k('z')], Action::Undo, "undo the last change (again for the one before)"),
    b(Review, &[k('/')], Action::Search, "search questions, guidance and notes"),
    b(Review, &[k('v')], Action::CycleFilter, "show all / unanswered / failed / needs attention"),
    b(Review, &[k('V')], Action::CycleSeverity, "and only critical / high / medium / low items"),
    b(Review, &[k('i')], Action::ToggleIds, "show or hide item ids in the list"),
    b(Review, &[k('s')], Action::Scope, "scope questions"),
    b(Review, &[k('S')], Action::SignOff, "sign off"),
    b(Review, &[k('?'), F1], Action::Help, "this help"),
    b(Review, &[k('q'), ctrl('c')], Action::Quit, "quit (every answer is already saved)"),
    b(Scope, &[k('y'), k('n'), k('Y'), k('N')], Action::Yes, "answer yes / no and go to the next question"),
    b(Scope, &[UP, DOWN, k('k'), k('j')], Action::Down, "previous / next question"),
    b(Scope, &[PGUP, PGDN], Action::PageDown, "scroll the question's help"),
    b(Scope, &[k('z')], Action::Undo, "undo the last change"),
    b(Scope, &[k('v')], Action::ChoosePolicy, "choose the policy version the product publishes"),
    b(Scope, &[ENTER, ESC, TAB], Action::Back, "go to the review"),
    b(Scope, &[k('?'), F1], Action::Help, "this help"),
    b(Scope, &[k('q'), ctrl('c')], Action::Quit, "quit"),
    b(Policy, &[UP, DOWN, k('k'), k('j')], Action::Down, "previous / next version"),
    b(Policy, &[ENTER], Action::Save, "record this version as the one in force"),
    b(Policy, &[ESC], Action::Cancel, "decide later (nothing is recorded)"),
    b(Policy, &[k('q'), ctrl('c')], Action::Quit, "quit"),
    b(SignOff, &[k('y')], Action::Sign, "sign off as shown (only y signs)"),
    b(SignOff, &[UP, DOWN, k('k'), k('j')], Action::Down, "scroll the summary"),
    b(SignOff, &[k('r')], Action::ChangeRole, "change the role (reviewer / approver)"),
    b(SignOff, &[k('n'), ESC, k('q')], Action::Cancel, "cancel"),
    b(SignOff, &[ctrl('c')], Action::Quit, "quit"),
    b(Question, &[k('y')], Action::Yes, "yes, do it"),
    b(Question, &[ctrl('c')], Action::Quit, "quit"),
    b(Overlay, &[UP, DOWN, k('k'), k('j')], Action::Down, "scroll"),
    b(Overlay, &[PGUP, PGDN, (KeyCode::Char(' '), false)], Action::PageDown, "scroll a page"),
    b(Overlay, &[ESC, k('q')], Action::Cancel, "close (any other key closes too)"),
    b(Overlay, &[ctrl('c')], Action::Quit, "quit"),
    b(Form, &[ENTER], Action::Save, "save"),
    b(Form, &[ESC], Action::Cancel, "cancel: the item stays as it was"),
    b(Form, &[TAB, BACKTAB, DOWN, UP], Action::NextField, "next / previous field"),
    b(Form, &[ctrl('u'), ctrl('w'), ctrl('k')], Action::Edit, "clear to start / word / to end"),
    b(Form, &[ctrl('c')], Action::Quit, "keep what was typed if it is valid, and quit"),
    b(Note, &[ESC], Action::Cancel, "keep the text and close"),
    b(Note, &[ENTER], Action::NewLine, "a new line"),
    b(Note, &[ctrl('c')], Action::Quit, "keep the text and quit"),
    b(Search, &[ENTER], Action::Keep, "keep the search and go back to the list"),
    b(Search, &[ESC], Action::Cancel, "cancel the search"),
    b(Search, &[ctrl('u'), ctrl('w'), ctrl('k')], Action::Edit, "clear to start / word / to end"),
    b(Search, &[ctrl('c')], Action::Quit, "quit"),
    b(Changed, &[k('r')], Action::Reload, "read the file again and re-apply your own changes on top"),
    b(Changed, &[k('w')], Action::WriteBeside, "write your answers to a new file beside it"),
    b(Changed, &[ESC], Action::Cancel, "keep reviewing: nothing is saved until you choose"),
    b(Unsaved, &[k('w')], Action::WriteBeside, "write the answers to a new file beside the results file"),
    b(Unsaved, &[k('q'), ctrl('c')], Action::Quit, "quit without them"),
    b(Unsaved, &[ESC], Action::Cancel, "keep reviewing"),
    b(Browse, &[UP, DOWN, k('k'), k('j')], Action::Down, "previous / next row"),
    b(Browse, &[k('g'), k('G'), HOME, END], Action::Top, "first / last row"),
    b(Browse, &[PGUP, PGDN], Action::PageDown, "a page up / down"),
    b(Browse, &[ENTER], Action::Open, "open a team's review (read-only); an item: who fails it"),
    b(Browse, &[k('f')], Action::SortFails, "sort the products by fails, most first"),
    b(Browse, &[k('o')], Action::SortOverdue, "sort by overdue remediations, most first"),
    b(Browse, &[k('c')], Action::SortCompletion, "sort by completion, least first"),
    b(Browse, &[k('p')], Action::SortProduct, "sort by product, then period"),
    b(Browse, &[k('i')], Action::Items, "failures by item across teams (again: the products)"),
    b(Browse, &[k('/')], Action::Search, "filter the rows"),
    b(Browse, &[ESC], Action::Back, "back: clear the filter, or go up a list"),
    b(Browse, &[k('q')], Action::Cancel, "back up a list; from the products, quit"),
    b(Browse, &[k('?'), F1], Action::Help, "this help"),
    b(Browse, &[ctrl('c')], Action::Quit, "quit"),
    b(Everywhere, &[ctrl('l')], Action::Redraw, "redraw the screen"),
];

/// The action of `key` on `screen`, if it is bound there. The bindings that name two
/// directions (`↑ ↓`, `Tab Shift-Tab`, `g G`) give the action of the key's own direction.
pub fn action(screen: Screen, key: KeyEvent) -> Option<Action> {
    let pressed: Key = (key.code, key.modifiers.contains(KeyModifiers::CONTROL));
    let binding = BINDINGS
        .iter()
        .find(|b| b.screen == screen && b.keys.contains(&pressed))
        .or_else(|| BINDINGS.iter().find(|b| b.screen == Screen::Everywhere && b.keys.contains(&pressed)))?;
    Some(match (binding.action, pressed) {
        (Action::Down, (KeyCode::Up | KeyCode::Char('k'), false)) => Action::Up,
        (Action::NextArea, (KeyCode::BackTab, _)) => Action::PrevArea,
        (Action::Top, (KeyCode::Char('G') | KeyCode::End, _)) => Action::Bottom,
        (Action::PageDown, (KeyCode::PageUp, _) | (KeyCode::Char('u'), true)) => Action::PageUp,
        (Action::Yes, (KeyCode::Char('n' | 'N'), _)) => Action::No,
        (Action::NextField, (KeyCode::BackTab | KeyCode::Up, _)) => Action::PrevField,
        (a, _) => a,
    })
}

/// A key as people write it: `↑`, `Space`, `Shift-Tab`, `Ctrl-u`.
pub fn key_label((code, ctrl): Key) -> String {
    let name = match code {
        KeyCode::Up => "↑".to_string(),
        KeyCode::Down => "↓".to_string(),
        KeyCode::Left => "←".to_string(),
        KeyCode::Right => "→".to_string(),
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Tab => "Tab".to_string(),
        KeyCode::BackTab => "Shift-Tab".to_string(),
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Esc => "Esc".to_string(),
        KeyCode::Home => "Home".to_string(),
        KeyCode::End => "End".to_string(),
        KeyCode::PageUp => "PgUp".to_string(),
        KeyCode::PageDown => "PgDn".to_string(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if ctrl { format!("Ctrl-{name}") } else { name }
}

/// The keys of a binding, as shown: `↑ ↓  k j`.
pub fn keys_label(binding: &Binding) -> String {
    binding.keys.iter().map(|k| key_label(*k)).collect::<Vec<_>>().join("  ")
}

/// The bindings of one screen.
pub fn of(screen: Screen) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.screen == screen)
}

/// The screens of the review (its help lists these): every screen but browse's.
pub fn review_screens() -> impl Iterator<Item = Screen> {
    Screen::ALL.into_iter().filter(|&s| s != Screen::Browse)
}

/// The keymap of the review as plain text, for `privcheck help review`.
pub fn text() -> String {
    text_of(review_screens())
}

/// The keymap of `screens` as plain text (`privcheck help browse` lists browse's and the
/// search it shares).
pub fn text_of(screens: impl Iterator<Item = Screen>) -> String {
    let mut out = String::new();
    for screen in screens {
        out.push_str(screen.title());
        out.push_str(":\n");
        for b in of(screen) {
            out.push_str(&format!("  {:<28} {}\n", keys_label(b), b.help));
        }
        out.push('\n');
    }
    out
}

/// The keymap as the README's Markdown tables (a test checks the README holds exactly this).
pub fn markdown() -> String {
    let mut out = String::new();
    for screen in Screen::ALL {
        out.push_str(&format!("**{}**\n\n| keys | what they do |\n|---|---|\n", screen.title()));
        for b in of(screen) {
            out.push_str(&format!("| {} | {} |\n", keys_label(b), b.help));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn every_key_is_bound_once_per_screen() {
        for screen in Screen::ALL {
            let mut seen: Vec<Key> = Vec::new();
            for b in of(screen) {
                for key in b.keys {
                    assert!(!seen.contains(key), "{screen:?}: {} bound twice", key_label(*key));
                    seen.push(*key);
                }
            }
        }
    }

    #[test]
    fn directions_resolve_to_their_own_action() {
        let none = KeyModifiers::NONE;
        assert_eq!(action(Review, press(KeyCode::Char('k'), none)), Some(Action::Up));
        assert_eq!(action(Review, press(KeyCode::Down, none)), Some(Action::Down));
        assert_eq!(action(Review, press(KeyCode::BackTab, KeyModifiers::SHIFT)), Some(Action::PrevArea));
        assert_eq!(action(Review, press(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Action::Bottom));
        assert_eq!(action(Review, press(KeyCode::Char('u'), KeyModifiers::CONTROL)), Some(Action::PageUp));
        assert_eq!(action(Review, press(KeyCode::Char('u'), none)), Some(Action::Set(Status::Unreviewed)));
        assert_eq!(action(Review, press(KeyCode::Char('l'), none)), Some(Action::Open));
        assert_eq!(action(Review, press(KeyCode::F(1), none)), Some(Action::Help));
        assert_eq!(action(Scope, press(KeyCode::Char('n'), none)), Some(Action::No));
        assert_eq!(action(SignOff, press(KeyCode::Enter, none)), None, "only y signs");
        assert_eq!(action(Form, press(KeyCode::Up, none)), Some(Action::PrevField));
        assert_eq!(action(Review, press(KeyCode::Char('z'), KeyModifiers::CONTROL)), None);
    }

    #[test]
    fn labels() {
        assert_eq!(keys_label(&BINDINGS[0]), "↑  ↓  k  j");
        assert_eq!(key_label(ctrl('l')), "Ctrl-l");
        assert_eq!(key_label(BACKTAB), "Shift-Tab");
    }
}
