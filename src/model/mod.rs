//! The domain: checklists, periods, results and what can be said about them. No files,
//! no terminals.

pub mod carry;
pub mod checklist;
pub mod diff;
pub mod merge;
pub mod period;
pub mod results;
pub mod signoff;
pub mod verify;
