//! Files: checklist files and their lint, results files, atomic saves and the writer lock.

pub mod atomic;
pub mod bounded;
pub mod checklist_file;
pub mod coverage;
pub mod lock;
pub mod policy_text;
pub mod results_file;
pub mod schema;
pub mod toml_recover;
pub mod writer;
