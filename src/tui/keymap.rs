//! Keys to actions, and the key list the help overlay shows (one source for both).

use crate::model::results::Status;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for in the review or on the scope screen.
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
    NextUnanswered,
    EditNote,
    EditRemediation,
    EditReason,
    AddEvidence,
    RemoveEvidence,
    Search,
    CycleFilter,
    Scope,
    SignOff,
    Help,
    Quit,
    Yes,
    No,
}

/// The keys of the review, as shown in the help overlay: (keys, what they do).
pub const REVIEW_KEYS: &[(&str, &str)] = &[
    ("↑ ↓  k j", "previous / next item"),
    ("Tab  Shift-Tab", "next / previous area"),
    ("g  G  Home  End", "first / last item"),
    ("Enter", "focus the item (scroll its details with ↑ ↓)"),
    ("Esc", "back to the list; clear the filter"),
    ("PgUp  PgDn  Ctrl-u  Ctrl-d", "scroll the item's details"),
    ("p", "pass"),
    ("f", "fail (asks for the remediation)"),
    ("n", "not applicable (asks for the reason)"),
    ("u", "back to unreviewed"),
    ("c", "confirm a carried answer as it is"),
    ("Space  ]", "next unanswered item"),
    ("e", "edit the note (Esc keeps the text)"),
    ("r", "edit the remediation of a failed item"),
    ("R", "edit the reason of a not-applicable item"),
    ("a", "add evidence (link, ticket, path)"),
    ("x", "remove evidence"),
    ("/", "search questions, guidance and notes"),
    ("v", "show all / unanswered / failed / needs attention"),
    ("s", "scope questions"),
    ("S", "sign off"),
    ("?", "this help"),
    ("Ctrl-L", "redraw the screen"),
    ("q  Ctrl-C", "quit (every answer is already saved)"),
];

/// The keys of the scope screen.
pub const SCOPE_KEYS: &[(&str, &str)] = &[
    ("y  n", "answer yes / no and go to the next question"),
    ("↑ ↓  k j", "previous / next question"),
    ("Enter  Esc  Tab", "go to the review"),
];

/// The keys of the note editor and the forms.
pub const EDIT_KEYS: &[(&str, &str)] = &[
    ("Esc", "note: keep the text and close; form: cancel"),
    ("Enter", "form: save (in the note: a new line)"),
    ("Tab  Shift-Tab", "form: next / previous field"),
    ("Ctrl-u  Ctrl-w  Ctrl-k", "clear to start / word / to end"),
];

pub fn review_action(key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        KeyCode::Char('d') if ctrl => Action::PageDown,
        KeyCode::Char('u') if ctrl => Action::PageUp,
        _ if ctrl => return None,
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::Home | KeyCode::Char('g') => Action::Top,
        KeyCode::End | KeyCode::Char('G') => Action::Bottom,
        KeyCode::Tab => Action::NextArea,
        KeyCode::BackTab => Action::PrevArea,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => Action::Open,
        KeyCode::Esc | KeyCode::Left | KeyCode::Char('h') => Action::Back,
        KeyCode::Char('p') => Action::Set(Status::Pass),
        KeyCode::Char('f') => Action::Set(Status::Fail),
        KeyCode::Char('n') => Action::Set(Status::NotApplicable),
        KeyCode::Char('u') => Action::Set(Status::Unreviewed),
        KeyCode::Char('c') => Action::Confirm,
        KeyCode::Char(' ') | KeyCode::Char(']') => Action::NextUnanswered,
        KeyCode::Char('e') => Action::EditNote,
        KeyCode::Char('r') => Action::EditRemediation,
        KeyCode::Char('R') => Action::EditReason,
        KeyCode::Char('a') => Action::AddEvidence,
        KeyCode::Char('x') => Action::RemoveEvidence,
        KeyCode::Char('/') => Action::Search,
        KeyCode::Char('v') => Action::CycleFilter,
        KeyCode::Char('s') => Action::Scope,
        KeyCode::Char('S') => Action::SignOff,
        KeyCode::Char('?') | KeyCode::F(1) => Action::Help,
        KeyCode::Char('q') => Action::Quit,
        _ => return None,
    })
}

pub fn scope_action(key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        _ if ctrl => return None,
        KeyCode::Char('y') | KeyCode::Char('Y') => Action::Yes,
        KeyCode::Char('n') | KeyCode::Char('N') => Action::No,
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::Enter | KeyCode::Esc | KeyCode::Tab => Action::Back,
        KeyCode::Char('?') | KeyCode::F(1) => Action::Help,
        KeyCode::Char('q') => Action::Quit,
        _ => return None,
    })
}
