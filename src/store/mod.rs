//! Files: checklist files and their lint, results files, atomic saves and the writer lock.

pub mod atomic;
pub mod bounded;
pub mod checklist_file;
pub mod lock;
pub mod results_file;
pub mod schema;
pub mod writer;
