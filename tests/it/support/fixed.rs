//! A fixed clock, key events and a fixture checklist set for the tests that drive the
//! review without a terminal, so their snapshots and answers depend neither on the day they
//! run nor on the wording of the built-in checklists.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use privcheck::model::checklist::ChecklistSet;
use privcheck::model::period::Period;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::OnceLock;

pub fn now() -> Timestamp {
    "2026-11-25T10:00:00Z".parse().unwrap()
}

pub fn today() -> Date {
    date(2026, 11, 25)
}

pub fn period() -> Period {
    "2026-Q4".parse().unwrap()
}

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// The UI tests' checklist set, `tests/fixtures/checklists-ui/` (see its README): shaped
/// like the built-in set, in few words, and changed only for the tests.
pub fn ui_set() -> ChecklistSet {
    static SET: OnceLock<ChecklistSet> = OnceLock::new();
    SET.get_or_init(|| {
        use privcheck::store::checklist_file::{load, read_sources};
        let dir = super::fixture("checklists-ui");
        let sources = read_sources(std::slice::from_ref(&dir)).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        load(&sources).unwrap_or_else(|d| panic!("{}: {d:?}", dir.display()))
    })
    .clone()
}

/// Who signs in the UI tests: Ann, with a key found through git's config.
pub fn signer() -> privcheck::tui::app::SignerInfo {
    privcheck::tui::app::SignerInfo {
        name: "Ann Example".into(),
        email: "ann@example.com".into(),
        key: "~/.ssh/id_ed25519 (git config user.signingkey)".into(),
    }
}
