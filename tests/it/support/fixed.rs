//! A fixed clock and key events for the tests that drive the review without a terminal,
//! so their snapshots and answers do not depend on the day they run.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use privcheck::model::period::Period;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
